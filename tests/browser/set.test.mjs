// A thumbnail set on the preview page (issue 18): the widths typed into "Set of sizes (srcset)"
// are made in the browser by one engine call, each member's ETag is the server's ETag for the
// same single request, the <img srcset> names the files, "Compare with server" sends one set
// request and compares every member, and a bad list is marked at the field. axe-core clean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations, corpus, openPage, startBrowser, startServer, waitForThumbnail } from './lib.mjs';

const photo = join(corpus, 'photos', 'rocket.jpg'); // 640 x 427 JPEG

let server;
let browser;
test.before(async () => { server = await startServer(); browser = await startBrowser(); });
test.after(async () => { await browser.close(); server.stop(); });

/** The server's answer to one single request for `photo` with `query` (ETag and size). */
async function single(query) {
  const resp = await fetch(`${server.base}thumbnail?${query}`, {
    method: 'POST', headers: { 'Content-Type': 'image/jpeg', Accept: 'application/json' }, body: readFileSync(photo),
  });
  assert.equal(resp.status, 200);
  return resp.json();
}

const rows = (page) => page.$$eval('#set-table tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));

test('a set is made in the browser, each member the single request\u2019s bytes, and compared with the server', { timeout: 90_000 }, async () => {
  const { page, errors, thumbnailRequests } = await openPage(browser, server, { bypassCSP: true });
  await page.setInputFiles('#file', photo);
  await waitForThumbnail(page, '200 \u00d7');
  assert.equal(await page.isHidden('#set'), true, 'no set until widths are given');
  await page.selectOption('#format', 'jpeg');
  await waitForThumbnail(page, '200 \u00d7 133 JPEG');
  await page.fill('#sizes', '300, 100 1000w');
  await page.waitForFunction(() => document.querySelectorAll('#set-table tbody tr').length === 3, null, { timeout: 30_000 });
  const shown = await rows(page);
  // Sorted by width; the 1000 px member is the photo's own size (contain never upscales).
  assert.deepEqual(shown.map((r) => [r[0], r[1]]), [
    ['100 px', '100 \u00d7 67 JPEG'], ['300 px', '300 \u00d7 200 JPEG'], ['1000 px', '640 \u00d7 427 JPEG'],
  ]);
  for (const [i, width] of [100, 300, 1000].entries()) {
    const server1 = await single(`width=${width}&format=jpeg&quality=80`);
    assert.equal(shown[i][3], server1.etag, `${width}: the member's ETag is the single request's`);
  }
  const snippet = await page.inputValue('#srcset');
  assert.match(snippet, /srcset="rocket-100x67\.jpg 100w,\s+rocket-300x200\.jpg 300w,\s+rocket-640x427\.jpg 640w"/);
  assert.match(snippet, /^<img src="rocket-300x200\.jpg"/);
  const links = await page.$$eval('#set-table a[download]', (as) => as.map((a) => a.download));
  assert.deepEqual(links, ['rocket-100x67.jpg', 'rocket-300x200.jpg', 'rocket-640x427.jpg']);

  const before = thumbnailRequests.length;
  await page.click('#compare');
  await page.locator('#compare-set .verdict').getByText(/^Set: all 3 members/).waitFor({ timeout: 30_000 });
  const verdicts = await page.$$eval('#compare-set tbody tr', (trs) => trs.map((tr) => tr.cells[1].textContent));
  assert.deepEqual(verdicts, ['Identical', 'Identical', 'Identical']);
  const sent = thumbnailRequests.slice(before).map((r) => r.postData() || '');
  assert.equal(sent.length, 2, 'the single thumbnail and one set request');
  const set = JSON.parse(sent.find((b) => b.startsWith('{')));
  assert.deepEqual(set.sizes.map((m) => m.width), [100, 300, 1000]);
  assert.deepEqual(await axeViolations(page), [], 'axe: the compared set');
  await page.setViewportSize({ width: 390, height: 844 });
  assert.deepEqual(await axeViolations(page), [], 'axe: the compared set on a phone');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a bad list of widths is marked at the field and makes nothing', { timeout: 60_000 }, async () => {
  const { page, errors } = await openPage(browser, server);
  await page.setInputFiles('#file', photo);
  await waitForThumbnail(page, '200 \u00d7');
  for (const [text, said] of [
    ['100, abc', /\u201cabc\u201d is not a whole number/],
    ['100, 0', /Each width must be 1\u20134096 \(one is 0\)/],
    ['1 2 3 4 5 6 7 8 9', /At most 8 widths in a set \(there are 9\)/],
  ]) {
    await page.fill('#sizes', text);
    await page.waitForFunction((re) => document.querySelector('#sizes').getAttribute('aria-invalid') === 'true'
      && new RegExp(re).test(document.querySelector('#sizes-msg').textContent), said.source, { timeout: 5_000 });
    assert.equal(await page.isDisabled('#compare'), true, `${text}: nothing to compare`);
  }
  await page.fill('#sizes', '');
  await page.waitForFunction(() => !document.querySelector('#sizes').hasAttribute('aria-invalid'));
  await waitForThumbnail(page, '200 \u00d7');
  assert.equal(await page.isHidden('#set'), true);
  assert.deepEqual(errors, []);
  await page.close();
});
