// The browser leg of the parity vectors: every corpus file through the engine loaded by the page
// (/pkg/thumbprint_wasm.js from the local server) in headless Chromium, for every option set;
// SHA-256 must equal the recorded vectors, which the native CLI/engine produce (tests/parity.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, corpus, startServer, startBrowser } from './lib.mjs';

test('corpus parity in headless Chromium', { timeout: 600_000 }, async () => {
  const server = await startServer();
  const browser = await startBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(server.base);
    await page.evaluate(async () => {
      const m = await import('/pkg/thumbprint_wasm.js');
      await m.default();
      window.engine = m;
    });
    const sets = readFileSync(join(root, 'tests/parity/optionsets.tsv'), 'utf8').split('\n')
      .filter((l) => l.trim() && !l.startsWith('#')).map((l) => {
        const [name, width, height, fit, format, quality] = l.split('\t');
        const o = { width: Number(width), fit, format };
        if (height !== '-') o.height = Number(height);
        if (quality !== '-') o.quality = Number(quality);
        return { name, options: o };
      });
    const golden = readFileSync(join(root, 'tests/parity/vectors.tsv'), 'utf8').split('\n').filter((l) => l.trim());
    assert.equal(golden[0], `# engine ${await page.evaluate(() => window.engine.engineVersion())}`);
    const want = new Map(golden.slice(1).map((l) => { const f = l.split('\t'); return [`${f[0]}\t${f[1]}`, f[2]]; }));
    const manifest = readFileSync(join(corpus, 'MANIFEST.tsv'), 'utf8').split('\n').filter((l) => l.trim());
    const col = manifest[0].split('\t').indexOf('path');
    let passed = 0;
    const failures = [];
    for (const row of manifest.slice(1)) {
      const path = row.split('\t')[col];
      const b64 = readFileSync(join(corpus, path)).toString('base64');
      const results = await page.evaluate(({ b64, sets }) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        return sets.map((s) => {
          try { return window.engine.sha256(window.engine.thumbnail(bytes, s.options).bytes); } catch (e) { return `error:${e.code}`; }
        });
      }, { b64, sets });
      sets.forEach((s, i) => {
        const key = `${path}\t${s.name}`;
        if (want.get(key) === results[i]) passed++; else failures.push(`${key}: browser ${results[i]}, native ${want.get(key)}`);
      });
    }
    console.log(`browser parity: ${passed} passed, ${failures.length} failed`);
    assert.deepEqual(failures, []);
    assert.equal(passed, want.size);
  } finally {
    await browser.close();
    server.stop();
  }
});
