// Time of the engine in headless Chromium (the page's own Worker, wasm32 + simd128) against the
// native CLI on the same files, 200 px PNG. Median of N runs each; the native figure is the
// whole `thumbprint resize` process (start-up and file read included, about 1-2 ms).
// V8 runs a wasm function in its baseline compiler (Liftoff) until it has been hot for a while,
// then in optimised (TurboFan) code compiled in the background: so every file is first made
// once, in order, a second after the page is ready ('first call': what a person who opens the
// page and drops a file sees), and only then timed (the steady state the ratio is taken from).
//
//   node benches/browser_vs_native.mjs [N] [DIR] [WIDTH]
//   (after scripts/build-wasm.sh and a release build; DIR: every file in it instead of the
//   corpus samples, e.g. target/photos/large from benches/fetch_photos.sh)
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { root, corpus, startServer, startBrowser } from '../tests/browser/lib.mjs';

const runs = Number(process.argv[2] || 7);
const dir = process.argv[3] ? resolve(process.argv[3]) : corpus;
const width = String(Number(process.argv[4] || 200));
const files = process.argv[3]
  ? readdirSync(dir).filter((f) => !f.startsWith('.')).sort()
  : ['oddities/jpeg_ultrahdr_gainmap.jpg', 'photos/blackbug_rgba.png', 'orientation/Landscape_1.jpg', 'photos/rocket.jpg'];
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startServer();
const browser = await startBrowser();
try {
  const page = await browser.newPage();
  await page.goto(server.base);
  // The page's own engine: its Worker (web/worker.js), as the page calls it. `ms` is the
  // engine call inside the Worker (no message passing, no hashing).
  await page.evaluate(() => window.thumbprintEngine.call('info'));
  // The Worker's warm-up (web/worker.js) runs after `info`; a call sent now waits for it.
  const warmUp = await page.evaluate(async () => {
    const t0 = performance.now();
    await window.thumbprintEngine.call('sha256', { bytes: new Uint8Array(1) });
    return performance.now() - t0;
  });
  console.log(`engine warm-up after load: ${warmUp.toFixed(0)} ms`);
  // A person takes a moment to choose a file after the page has loaded.
  await page.waitForTimeout(1000);
  const make = (b64, n) => page.evaluate(async ({ b64, n, width }) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const out = [];
    for (let i = 0; i < n; i++) {
      const r = await window.thumbprintEngine.call('thumbnail',
        { bytes: bytes.slice(), options: { width: Number(width), height: Number(width) } });
      out.push(r.ms);
    }
    return out;
  }, { b64, n, width });
  const first = {};
  for (const f of files) {
    first[f] = (await make(readFileSync(join(dir, f)).toString('base64'), 1))[0];
  }
  console.log('file | first call ms | browser ms | native ms | browser/native | first call/native');
  const ratios = [];
  const firstRatios = [];
  for (const f of files) {
    const times = (await make(readFileSync(join(dir, f)).toString('base64'), runs + 1)).slice(1);
    const native = [];
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      execFileSync(join(root, 'target/release/thumbprint'), ['resize', join(dir, f), '-w', width, '-H', width, '-o', '/dev/null']);
      native.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const b = median(times); const n = median(native);
    ratios.push(b / n);
    firstRatios.push(first[f] / n);
    console.log(`${f} | ${first[f].toFixed(1)} | ${b.toFixed(1)} | ${n.toFixed(1)} | ${(b / n).toFixed(2)} | ${(first[f] / n).toFixed(2)}`);
  }
  console.log(`browser/native: median ${median(ratios).toFixed(2)}, worst ${Math.max(...ratios).toFixed(2)}; first call/native: median ${median(firstRatios).toFixed(2)}, worst ${Math.max(...firstRatios).toFixed(2)}`);
} finally {
  await browser.close();
  server.stop();
}
