// The browser leg of the parity vectors: every corpus file through the engine loaded by the page
// (/pkg/thumbprint_wasm.js from the local server) in headless Chromium, for every option set;
// SHA-256 must equal the recorded vectors, which the native CLI/engine produce (tests/parity.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, startServer, startBrowser } from './lib.mjs';
import { golden, manifestPaths, optionSets, sweeps } from '../parity/corpus.mjs';

test('corpus parity in headless Chromium', { timeout: 600_000 }, async () => {
  const server = await startServer();
  const browser = await startBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(server.base);
    await page.evaluate(async () => {
      const m = await import('/pkg/thumbprint_wasm.js');
      await m.default();
      // As the page's Worker does once loaded: the vectors must hold on a warmed instance.
      m.warmUp();
      window.engine = m;
    });
    const sets = optionSets();
    const { header, want } = golden();
    assert.equal(header, `# engine ${await page.evaluate(() => window.engine.engineVersion())}`);
    let passed = 0;
    let setPassed = 0;
    const failures = [];
    for (const path of manifestPaths(corpus)) {
      const b64 = readFileSync(join(corpus, path)).toString('base64');
      // Each option set alone, then all of them as one set's members: both give the vectors.
      const { single, set } = await page.evaluate(({ b64, sets }) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const e = window.engine;
        return {
          single: sets.map((s) => {
            try { return e.sha256(e.thumbnail(bytes, s.options).bytes); } catch (err) { return `error:${err.code}`; }
          }),
          set: e.thumbnails(bytes, sets.map((s) => s.options)).map((m) => (m.error ? `error:${m.error.code}` : e.sha256(m.bytes))),
        };
      }, { b64, sets });
      sets.forEach((s, i) => {
        const key = `${path}\t${s.name}`;
        if (want.get(key) === single[i]) passed++; else failures.push(`${key}: browser ${single[i]}, native ${want.get(key)}`);
        if (want.get(key) === set[i]) setPassed++; else failures.push(`${key} (set): browser ${set[i]}, native ${want.get(key)}`);
      });
    }
    // The quality sweeps (every quantiser of the lossy encoders): singles, and sets of 8.
    for (const sweep of sweeps()) {
      const b64 = readFileSync(join(corpus, sweep.path)).toString('base64');
      const members = sweep.members.map((m) => m.options);
      const { single, set } = await page.evaluate(({ b64, members }) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const e = window.engine;
        const set = [];
        for (let i = 0; i < members.length; i += 8) {
          for (const m of e.thumbnails(bytes, members.slice(i, i + 8))) set.push(m.error ? `error:${m.error.code}` : e.sha256(m.bytes));
        }
        return {
          single: members.map((o) => { try { return e.sha256(e.thumbnail(bytes, o).bytes); } catch (err) { return `error:${err.code}`; } }),
          set,
        };
      }, { b64, members });
      sweep.members.forEach((m, i) => {
        const key = `${sweep.path}\t${m.name}`;
        if (want.get(key) === single[i]) passed++; else failures.push(`${key}: browser ${single[i]}, native ${want.get(key)}`);
        if (want.get(key) === set[i]) setPassed++; else failures.push(`${key} (set): browser ${set[i]}, native ${want.get(key)}`);
      });
    }
    console.log(`browser parity: ${passed} passed, sets ${setPassed} passed, ${failures.length} failed`);
    assert.deepEqual(failures, []);
    assert.equal(passed, want.size);
    assert.equal(setPassed, want.size);
  } finally {
    await browser.close();
    server.stop();
  }
});
