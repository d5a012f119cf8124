// axe-core over the page in each state a person meets: empty, an image loaded and compared with
// the server, an error, an invalid option, an address the browser cannot read; at desktop and
// phone sizes. Zero violations of any impact. (The CSP is bypassed only to inject axe itself.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { axeViolations, corpus, openPage, startBrowser, startServer, waitForThumbnail } from './lib.mjs';

test('axe-core: no violations in the empty, loaded, compared, error and invalid states', { timeout: 120_000 }, async () => {
  const server = await startServer();
  const browser = await startBrowser();
  try {
    for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
      const { page, errors } = await openPage(browser, server, { viewport, bypassCSP: true });
      const seen = {};
      seen.empty = await axeViolations(page);
      await page.setInputFiles('#file', join(corpus, 'photos', 'rocket.jpg'));
      await waitForThumbnail(page, '200 \u00d7');
      seen.loaded = await axeViolations(page);
      await page.click('#compare');
      await page.locator('#compare-result .verdict').getByText(/^Identical/).waitFor({ timeout: 30_000 });
      seen.compared = await axeViolations(page);
      await page.fill('#width', '0');
      await page.waitForFunction(() => document.querySelector('#width').getAttribute('aria-invalid') === 'true');
      seen.invalid = await axeViolations(page);
      await page.fill('#width', '200');
      await page.setInputFiles('#file', join(corpus, 'malformed', 'png_truncated_mid_idat.png'));
      await page.getByText(/\(corrupt_image\)/).waitFor();
      seen.error = await axeViolations(page);
      await page.route('https://nocors.example.test/**', (route) => route.abort('failed'));
      await page.fill('#image-url', 'https://nocors.example.test/a.jpg');
      await page.click('#url-button');
      await page.getByText(/^No preview: this browser cannot read that address/).first().waitFor();
      seen.address = await axeViolations(page);
      for (const [state, violations] of Object.entries(seen)) {
        assert.deepEqual(violations, [], `${viewport.width} px, ${state}`);
      }
      assert.deepEqual(errors.filter((e) => !/net::ERR_FAILED/.test(e)), []);
      await page.close();
    }
    console.log('axe-core: 12 states, 0 violations');
  } finally {
    await browser.close();
    server.stop();
  }
});
