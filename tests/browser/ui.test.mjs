// The page used as a person would: pick a photo, change the width, see the preview and its
// numbers, press "Compare with server", see "Identical"; a malformed file and an SVG get clear
// messages. With THUMBPRINT_SCREENSHOTS=1 it saves the README's screenshots of the comparison
// view (docs/screenshot.png at 1280 x 800, docs/screenshot-phone.png at 390 x 844).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, corpus, startServer, startBrowser, waitForThumbnail } from './lib.mjs';

// The largest colour photo of the corpus.
const photos = readdirSync(join(corpus, 'photos')).filter((f) => /\.jpe?g$/i.test(f) && !/gray|grey/i.test(f))
  .map((f) => join(corpus, 'photos', f)).sort((a, b) => statSync(b).size - statSync(a).size);
const photo = photos[0];

test('the preview page as a person uses it', { timeout: 180_000 }, async () => {
  const server = await startServer();
  const browser = await startBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.base);
    await page.getByText(/= engine .* on the server/).waitFor();

    await page.setInputFiles('#file', photo);
    await waitForThumbnail(page, '200 ×');
    await page.getByLabel('Width').fill('320');
    await page.getByLabel('Width').press('Tab');
    await waitForThumbnail(page, '320 ×');
    const dims = await page.textContent('#stat-dims');
    assert.match(dims, /^320 × \d+ PNG$/);
    assert.match(await page.textContent('#stat-etag'), /^"[0-9a-f]{32}"$/);
    assert.match(await page.textContent('#stat-time'), /ms in this browser$/);
    assert.equal(await page.getAttribute('#download', 'aria-disabled'), 'false');

    assert.equal(await page.locator('#busy').isVisible(), false, 'busy state cleared');
    await page.getByRole('button', { name: 'Compare with server', exact: true }).click();
    await page.getByText(/^Identical: /).waitFor({ timeout: 60_000 });
    const sha = await page.textContent('#stat-sha');
    assert.ok((await page.textContent('#compare-result')).includes(sha), 'both hashes shown and equal');
    if (process.env.THUMBPRINT_SCREENSHOTS) {
      const top = (sel) => page.evaluate((s) => document.querySelector(s).scrollIntoView({ block: 'start' }), sel);
      await page.locator('#zoom-in').click();
      await page.locator('#split').fill('45');
      await page.setViewportSize({ width: 1280, height: 1000 });
      await top('#options-heading');
      writeFileSync(join(root, 'docs', 'screenshot.png'), await page.screenshot());
      await page.setViewportSize({ width: 390, height: 844 });
      await page.locator('#zoom-fit').click();
      await top('#preview-heading');
      writeFileSync(join(root, 'docs', 'screenshot-phone.png'), await page.screenshot());
      await page.setViewportSize({ width: 1280, height: 800 });
    }

    // The seed's size rule: width alone is a width x width box, so a portrait fits by height.
    await page.setInputFiles('#file', join(corpus, 'oddities', 'jpeg_410_subsampling_fox.jpg'));
    await page.getByLabel('Width').fill('120');
    await page.getByLabel('Width').press('Tab');
    await waitForThumbnail(page, '90 × 120 PNG');
    assert.equal(await page.getAttribute('#height', 'placeholder'), '= width');

    await page.setInputFiles('#file', join(corpus, 'malformed', 'png_truncated_mid_idat.png'));
    await page.getByText(/damaged or cut short.*\(corrupt_image\)/).waitFor();
    await page.setInputFiles('#file', join(corpus, 'malformed', 'svg_check.svg'));
    await page.getByText(/not an image the service accepts.*\(unsupported_format\)/).waitFor();
    assert.equal(await page.locator('#compare').isDisabled(), true);
    assert.deepEqual(errors, []);
    console.log('browser ui: 1 passed, 0 failed');
  } finally {
    await browser.close();
    server.stop();
  }
});

test('after an engine trap the page starts a fresh engine', { timeout: 120_000 }, async () => {
  const server = await startServer();
  const browser = await startBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(server.base);
    await page.getByText(/= engine .* on the server/).waitFor();
    const outcome = await page.evaluate(async () => {
      const engine = window.thumbprintEngine;
      const trapped = await engine.call('trap-for-tests').then(() => 'no error', (e) => e.code);
      // A 1x1 PNG through the fresh instance.
      const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));
      const after = await engine.call('thumbnail', { bytes: png, options: { width: 1 } });
      return { trapped, width: after.width, format: after.format };
    });
    assert.deepEqual(outcome, { trapped: 'internal_error', width: 1, format: 'png' });
  } finally {
    await browser.close();
    server.stop();
  }
});

