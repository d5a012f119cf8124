// "Image URL for an <img>", end to end against `thumbprint serve` with signing keys, a local
// root and its development issuer: the unsigned path follows the options as they change; signing
// needs a signed-in user (401 said plainly before); once signed in, the server signs, the page
// shows the <img> (srcset for a set) and loads the image from its URL; the bytes at that URL are
// the bytes this browser's engine made for the same file and options. axe-clean throughout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { axeViolations, corpus, startBrowser, startServer, waitForThumbnail } from './lib.mjs';

const SOURCE = 'local:///photos/rocket.jpg';

async function signAndWait(page) {
  await page.getByRole('button', { name: 'Sign', exact: true }).click();
  try {
    await page.waitForFunction(() => /^(Signed\. The image|The server refused|This server|Could not|Signed, but)/.test(document.querySelector('#signed-msg').textContent));
  } catch (e) {
    // Say where it stopped (asking, loading the image, or options that changed meanwhile).
    throw new Error(`no final answer to Sign; the page says "${await page.locator('#signed-msg').textContent()}" (${e.message})`);
  }
  return page.locator('#signed-msg').textContent();
}

test('the page builds, signs and shows signed image URLs', { timeout: 180_000 }, async () => {
  const server = await startServer({ devAuth: true, urls: true });
  const browser = await startBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1100 }, bypassCSP: true });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.base);
    await page.getByText(/= engine .* on the server/).waitFor();
    await page.getByText(/^Not signed in/).waitFor();

    // The path follows the source and the options, unsigned.
    await page.getByLabel('Source', { exact: true }).fill('s3://my-bucket/a b.jpg');
    assert.match(await page.locator('#url-source-msg').textContent(), /no spaces/);
    await page.getByLabel('Source', { exact: true }).fill('s3://my-bucket/photos/cat@2x.jpg');
    assert.equal(await page.inputValue('#url-path'), '/rs:fit:200:200/f:png/plain/s3://my-bucket/photos/cat%402x.jpg');
    await page.fill('#width', '96');
    await page.selectOption('#fit', 'cover');
    await page.selectOption('#format', 'jpeg');
    assert.equal(await page.inputValue('#url-path'), '/rs:fill:96:96:1/q:80/f:jpeg/plain/s3://my-bucket/photos/cat%402x.jpg');
    await page.selectOption('#fit', 'contain');
    await page.selectOption('#format', 'png');

    // Not signed in: the server's 401, said plainly.
    await page.getByLabel('Source', { exact: true }).fill(SOURCE);
    assert.match(await signAndWait(page), /HTTP 401: sign in first/);

    // Signed in (the development issuer's form), the server signs.
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((u) => u.href.startsWith(`${server.issuer}/oauth2/authorize`));
    await page.getByLabel('Name').fill('ada');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/^Signed in as ada/).waitFor();

    // The same file in the browser's engine, and the same options for the URL.
    await page.setInputFiles('#file', join(corpus, 'photos', 'rocket.jpg'));
    await page.fill('#width', '96');
    await waitForThumbnail(page, '96 \u00d7');
    const browserSha = await page.locator('#stat-sha').textContent();
    await page.getByLabel('Source', { exact: true }).fill(SOURCE);
    assert.equal(await page.inputValue('#url-path'), '/rs:fit:96:96/f:png/plain/local:///photos/rocket.jpg');
    assert.match(await signAndWait(page), /^Signed\. The image at the URL: 96 \u00d7 \d+\./);
    const snippet = await page.inputValue('#url-snippet');
    const url = snippet.match(/^<img src="([^"]+)" alt="">$/)[1];
    assert.ok(url.startsWith(server.base), url);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{43}\/rs:fit:96:96\/f:png\/plain\/local:\/\/\/photos\/rocket\.jpg$/);
    assert.equal(await page.locator('#url-image').getAttribute('src'), url);
    assert.ok(await page.locator('#url-image').isVisible());
    const served = await fetch(url);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const servedSha = createHash('sha256').update(Buffer.from(await served.arrayBuffer())).digest('hex');
    assert.equal(servedSha, browserSha, 'the signed URL answers the bytes this browser made');
    assert.deepEqual(await axeViolations(page), [], 'signed');

    // A set: one signed URL per width, as srcset.
    await page.fill('#sizes', '64, 128');
    assert.equal((await page.inputValue('#url-path')).split('\n').length, 2);
    assert.match(await signAndWait(page), /^Signed\. The image at the URL: 64 \u00d7/);
    const set = await page.inputValue('#url-snippet');
    assert.match(set, /srcset="http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{43}\/rs:fit:64:64\/f:png\/plain\/local:\/\/\/photos\/rocket\.jpg 64w,\n\s+http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{43}\/rs:fit:128:128\/f:png\/plain\/local:\/\/\/photos\/rocket\.jpg 128w"/);

    // A source off the server's lists is refused with its reason, not signed.
    await page.fill('#sizes', '');
    await page.getByLabel('Source', { exact: true }).fill('https://elsewhere.example.com/a.jpg');
    assert.match(await signAndWait(page), /HTTP 422\): .*\(url_not_allowed\)/);
    assert.ok(await page.locator('#url-result').isHidden());
    assert.deepEqual(await axeViolations(page), [], 'refused');
    assert.deepEqual(errors, []);
    console.log('browser urls: 1 passed, 0 failed');
  } finally {
    await browser.close();
    server.stop();
  }
});
