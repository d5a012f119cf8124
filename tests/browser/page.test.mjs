// The preview page's behaviours, one test per numbered item of issue 17 (and the comparison view),
// in Chromium as a person uses the page: real pointer presses, typing, drops, a phone viewport.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, openPage, startBrowser, startServer, waitForThumbnail } from './lib.mjs';

const photo = join(corpus, 'photos', 'rocket.jpg'); // 640 x 427 JPEG
const corrupt = join(corpus, 'malformed', 'png_truncated_mid_idat.png');
const tiff = join(corpus, 'conformance', 'tiff_lzw_hopper.tif');

let server;
let browser;
test.before(async () => { server = await startServer(); browser = await startBrowser(); });
test.after(async () => { await browser.close(); server.stop(); });

// A press with a pause between down and up, as a hand makes it (scrolled to first, as a hand
// would).
async function press(page, selector) {
  await page.locator(selector).scrollIntoViewIfNeeded();
  const box = await page.locator(selector).boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.waitForTimeout(250);
  await page.mouse.up();
}

async function typeInto(page, selector, text) {
  await page.click(selector);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(text);
}

test('1. a press right after editing a number is not lost, and nothing moves under it', { timeout: 60_000 }, async () => {
  const { page, errors, thumbnailRequests } = await openPage(browser, server);
  await page.setInputFiles('#file', photo);
  await waitForThumbnail(page, '200 \u00d7');
  // Where the buttons are on the page (not on the screen: pressing scrolls to them).
  const where = (sel) => page.evaluate((s) => { const r = document.querySelector(s).getBoundingClientRect(); return { x: r.x + scrollX, y: r.y + scrollY, w: r.width, h: r.height }; }, sel);
  const before = { compare: await where('#compare'), download: await where('#download') };
  await typeInto(page, '#width', '320');
  await press(page, '#compare');
  await page.locator('#compare-result .verdict').getByText(/^Identical/).waitFor({ timeout: 30_000 });
  assert.match(await page.textContent('#stat-dims'), /^320 \u00d7 214 PNG$/);
  assert.equal(thumbnailRequests.length, 1);
  assert.match(thumbnailRequests[0].url(), /width=320/);
  assert.deepEqual(await where('#compare'), before.compare, 'Compare did not move');
  assert.deepEqual(await where('#download'), before.download, 'Download did not move');

  await typeInto(page, '#width', '240');
  const download = page.waitForEvent('download');
  await press(page, '#download');
  assert.equal((await download).suggestedFilename(), 'rocket-240x160.png');
  assert.deepEqual(errors, []);
  await page.close();
});

// The engine as it is on a slow phone or with a 20 MP photo: every thumbnail takes 600 ms more
// (the Worker's script as served, with a wait after each engine call; the page is unchanged).
async function slowEngine(page) {
  await page.route('**/worker.js', async (route) => {
    const response = await route.fetch();
    const call = 'const out = thumbnail(event.data.bytes, event.data.options);';
    const source = await response.text();
    assert.ok(source.includes(call), 'the worker still makes thumbnails as this test expects');
    const slow = source.replace(call, `${call} for (const t = performance.now(); performance.now() - t < 600;);`);
    await route.fulfill({ response, body: slow });
  });
}

// As a person does it (issue 27): the mouse into Width, the field emptied, a pause, 640 typed
// key by key, then a mouse press on Compare (150 ms) without leaving the field first. The
// pause lets the page see the empty field (and mark it) before the new digits arrive; the
// slow engine makes the press end before the new thumbnail is made.
test('1b. a mouse press on Compare right after clearing and retyping Width sends the request', { timeout: 60_000 }, async () => {
  const { page, errors } = await openPage(browser, server, { setup: slowEngine });
  await page.setInputFiles('#file', photo);
  await waitForThumbnail(page, '200 \u00d7');
  await page.locator('#width').click();
  await page.keyboard.press('End');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');
  await page.waitForTimeout(1_200);
  await page.keyboard.type('640', { delay: 90 });
  const sent = page.waitForRequest((r) => new URL(r.url()).pathname === '/thumbnail' && r.method() === 'POST', { timeout: 4_000 });
  await page.locator('#compare').scrollIntoViewIfNeeded();
  const box = await page.locator('#compare').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.waitForTimeout(150);
  await page.mouse.up();
  const request = await sent;
  assert.match(request.url(), /width=640/);
  await page.locator('#compare-result .verdict').getByText(/^Identical/).waitFor({ timeout: 30_000 });
  assert.match(await page.textContent('#stat-dims'), /^640 \u00d7 427 PNG$/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('2. a file over the request cap keeps its warning and Compare stays off; the address is the way out', { timeout: 60_000 }, async () => {
  const { page, errors } = await openPage(browser, server);
  const max = await page.evaluate(async () => (await window.thumbprintEngine.call('info')).limits.maxInputBytes);
  // A real JPEG with zeros after its end marker: decodable, and one byte over the cap.
  const jpeg = readFileSync(photo);
  const big = Buffer.concat([jpeg, Buffer.alloc(max + 1 - jpeg.length)]);
  await page.setInputFiles('#file', { name: 'big.jpg', mimeType: 'image/jpeg', buffer: big });
  await waitForThumbnail(page, '200 \u00d7');
  const warned = async () => {
    assert.match(await page.textContent('#notice'), /refuses request bodies over 4\.40 MiB.*address/);
    assert.equal(await page.locator('#compare').isDisabled(), true);
    assert.match(await page.textContent('#compare-why'), /payload_too_large.*address/);
  };
  await warned();
  await typeInto(page, '#width', '150');
  await waitForThumbnail(page, '150 \u00d7');
  await warned();
  await page.selectOption('#format', 'jpeg');
  await waitForThumbnail(page, '150 \u00d7 100 JPEG');
  await warned();
  assert.ok(await page.getByLabel(/image.s address/).isVisible());
  assert.deepEqual(errors, []);
  await page.close();
});

test('3. a bad value is marked at its field with the allowed range', { timeout: 60_000 }, async () => {
  const { page, errors } = await openPage(browser, server);
  await page.setInputFiles('#file', photo);
  await waitForThumbnail(page, '200 \u00d7');
  for (const [field, text, said] of [
    ['#width', '0', /1\u20134096 \(it is 0\)/], ['#width', '5000', /1\u20134096 \(it is 5000\)/],
    ['#width', '12.5', /Whole pixels only/], ['#width', '', /Enter a width, 1\u20134096/],
    ['#width', 'e', /must be a number, 1\u20134096/], ['#height', '0', /1\u20134096 \(it is 0\)/],
  ]) {
    await typeInto(page, field, text);
    if (text === '') await page.keyboard.press('Backspace');
    await page.waitForFunction((f) => document.querySelector(f).getAttribute('aria-invalid') === 'true', field);
    const msgId = await page.getAttribute(field, 'aria-describedby');
    assert.ok(msgId.split(' ').includes(`${field.slice(1)}-msg`), 'the message describes the field');
    assert.match(await page.textContent(`${field}-msg`), said, `${field} = ${JSON.stringify(text)}`);
    assert.equal(await page.locator('#compare').isDisabled(), true);
    assert.equal(await page.getAttribute('#download', 'aria-disabled'), 'true');
    await typeInto(page, field, field === '#width' ? '200' : '');
    if (field === '#height') await page.keyboard.press('Backspace');
    await page.waitForFunction((f) => !document.querySelector(f).hasAttribute('aria-invalid'), field);
  }
  await waitForThumbnail(page, '200 \u00d7');
  assert.equal(await page.locator('#compare').isDisabled(), false);
  assert.deepEqual(errors, []);
  await page.close();
});

test('4. on a phone the result is brought into view and focused', { timeout: 60_000 }, async () => {
  const { page, errors } = await openPage(browser, server, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await page.setInputFiles('#file', photo);
  await waitForThumbnail(page, '200 \u00d7');
  const box = await page.locator('#viewer').boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height / 2 < 844, `the view is on screen (top ${box.y})`);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'preview-heading');
  assert.deepEqual(errors, []);
  await page.close();
});

test('5. no broken-image icon: an undecodable file shows only its error; a TIFF is shown by the engine', { timeout: 60_000 }, async () => {
  const { page, errors } = await openPage(browser, server);
  const broken = () => page.evaluate(() => [...document.images].filter((i) => i.checkVisibility() && i.complete && i.naturalWidth === 0).map((i) => i.id));
  await page.setInputFiles('#file', corrupt);
  await page.getByText(/damaged or cut short.*\(corrupt_image\)/).waitFor();
  await page.waitForTimeout(300);
  assert.deepEqual(await broken(), []);
  // A decompression bomb: the engine refuses it, and the page does not hand it to the browser's
  // own decoder either.
  await page.setInputFiles('#file', join(corpus, 'malformed', 'bomb_png_16384x16384_zlib.png'));
  await page.getByText(/over the engine.s budget.*\(image_too_large\)/).waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.querySelector('#original-view').getAttribute('src')), null);
  assert.deepEqual(await broken(), []);
  await page.setInputFiles('#file', tiff);
  await waitForThumbnail(page, '');
  await page.waitForFunction(() => document.querySelector('#original-view').naturalWidth > 0 && !document.querySelector('#layer-orig').hidden);
  assert.deepEqual(await broken(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('6. Compare: a bad token is said plainly, one request per press, both hashes side by side', { timeout: 60_000 }, async () => {
  const { page, errors, thumbnailRequests } = await openPage(browser, server);
  await page.setInputFiles('#file', photo);
  await waitForThumbnail(page, '200 \u00d7');
  await page.fill('#token', 'tökén');
  await page.click('#compare');
  await page.getByText(/characters a token cannot have/).waitFor();
  assert.equal(thumbnailRequests.length, 0);
  await page.fill('#token', '');
  await page.evaluate(() => { for (let i = 0; i < 3; i++) document.querySelector('#compare').click(); });
  await page.locator('#compare-result .verdict').getByText(/^Identical/).waitFor({ timeout: 30_000 });
  assert.equal(thumbnailRequests.length, 1, 'three clicks while in flight, one request');
  const [b, s] = [await page.textContent('#sha-browser'), await page.textContent('#sha-server')];
  assert.match(b, /^[0-9a-f]{64}$/);
  assert.equal(b, s);
  assert.equal(b, await page.textContent('#stat-sha'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('6b. Compare is byte-identical for lossy WebP, lossless WebP and AVIF', { timeout: 120_000 }, async () => {
  const { page, errors } = await openPage(browser, server);
  await page.setInputFiles('#file', photo);
  await waitForThumbnail(page, '200 \u00d7');
  let before = await page.textContent('#stat-sha');
  for (const [choice, shown] of [['webp', 'WEBP'], ['webp-lossless', 'WEBP'], ['avif', 'AVIF']]) {
    await page.selectOption('#format', choice);
    // The new thumbnail: its format shown and a hash other than the last one's.
    await page.waitForFunction(([f, old]) => document.querySelector('#stat-dims').textContent.endsWith(f)
      && document.querySelector('#stat-sha').textContent !== old, [shown, before], { timeout: 30_000 });
    await waitForThumbnail(page, '200 \u00d7');
    before = await page.textContent('#stat-sha');
    await page.click('#compare');
    await page.locator('#compare-result .verdict').getByText(/^Identical/).waitFor({ timeout: 60_000 });
    const [b, s] = [await page.textContent('#sha-browser'), await page.textContent('#sha-server')];
    assert.match(b, /^[0-9a-f]{64}$/, choice);
    assert.equal(b, s, choice);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('7. Quality is for the lossy formats only; labels line up; the hidden file input takes no Tab stop', { timeout: 60_000 }, async () => {
  const { page, errors } = await openPage(browser, server);
  assert.equal(await page.locator('#quality').isDisabled(), true);
  assert.match(await page.textContent('#quality-msg'), /PNG and lossless WebP ignore it/);
  const opacity = await page.evaluate(() => Number(getComputedStyle(document.querySelector('#quality')).opacity));
  assert.ok(opacity < 0.7, `disabled quality looks disabled (opacity ${opacity})`);
  await page.selectOption('#format', 'jpeg');
  assert.equal(await page.locator('#quality').isDisabled(), false);
  assert.doesNotMatch(await page.textContent('#quality-msg'), /ignore it/);
  // An untouched slider follows the format's default: AVIF 50, WebP 80; lossless WebP disables it.
  await page.selectOption('#format', 'avif');
  assert.equal(await page.inputValue('#quality'), '50');
  await page.selectOption('#format', 'webp');
  assert.equal(await page.inputValue('#quality'), '80');
  await page.selectOption('#format', 'webp-lossless');
  assert.equal(await page.locator('#quality').isDisabled(), true);
  // Fields in one row: labels and controls at the same heights.
  const rows = await page.evaluate(() => [...document.querySelectorAll('#options .field')].map((f) => ({
    label: f.querySelector('label').getBoundingClientRect().top, control: f.querySelector('input, select').getBoundingClientRect().top,
  })));
  for (const a of rows) {
    for (const b of rows) {
      if (Math.abs(a.label - b.label) < 30) {
        assert.ok(Math.abs(a.label - b.label) < 1 && Math.abs(a.control - b.control) < 1, JSON.stringify(rows));
      }
    }
  }
  const stops = [];
  await page.locator('body').focus();
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    stops.push(await page.evaluate(() => { const e = document.activeElement; return `${e.tagName.toLowerCase()}${e.type ? `[${e.type}]` : ''}#${e.id}`; }));
  }
  assert.ok(stops.includes('button[button]#choose'), stops.join(' '));
  assert.ok(!stops.some((s) => s.startsWith('input[file]')), stops.join(' '));
  assert.deepEqual(errors, []);
  await page.close();
});

test('8. typing and dragging the quality slider update the preview live', { timeout: 60_000 }, async () => {
  const { page, errors } = await openPage(browser, server);
  await page.setInputFiles('#file', photo);
  await waitForThumbnail(page, '200 \u00d7');
  await page.click('#width');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('400');
  // No Tab, no Enter: the field keeps focus and the preview follows.
  await waitForThumbnail(page, '400 \u00d7 267 PNG');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'width');
  await page.selectOption('#format', 'jpeg');
  await waitForThumbnail(page, '400 \u00d7 267 JPEG');
  const bytes80 = await page.textContent('#stat-bytes');
  await page.focus('#quality');
  for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((b) => document.querySelector('#stat-bytes').textContent !== b && document.querySelector('#busy').hidden, bytes80);
  assert.equal(await page.textContent('#quality-value'), '50');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'quality');
  assert.deepEqual(errors, []);
  await page.close();
});

test('9. drops: two files say which is used, an address loads, a drop anywhere is caught, a pasted address loads', { timeout: 60_000 }, async () => {
  const { page, errors, thumbnailRequests } = await openPage(browser, server);
  const image = readFileSync(photo);
  await page.route('https://images.example.test/**', (route) => route.fulfill({ status: 200, body: image, headers: { 'content-type': 'image/jpeg', 'access-control-allow-origin': '*' } }));
  // Playwright answers a fulfilled cross-origin request as readable; an unreadable address is
  // one whose fetch fails, which is all a page learns of a CORS refusal too.
  await page.route('https://private.example.test/**', (route) => route.abort('failed'));
  const b64 = image.toString('base64');
  const dropped = await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'first.jpg', { type: 'image/jpeg' }));
    dt.items.add(new File([bytes], 'second.jpg', { type: 'image/jpeg' }));
    // Dropped on the footer, outside the drop box: still caught.
    return document.querySelector('footer').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, b64);
  assert.equal(dropped, false, 'the drop was taken by the page (default prevented)');
  await waitForThumbnail(page, '200 \u00d7');
  assert.match(await page.textContent('#notice'), /2 files were dropped.*first\.jpg/);
  assert.match(await page.textContent('#input-info'), /^first\.jpg/);

  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.setData('text/uri-list', 'https://images.example.test/photos/launch.jpg');
    document.querySelector('#drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => document.querySelector('#input-info').textContent.startsWith('launch.jpg'));
  await waitForThumbnail(page, '200 \u00d7');
  assert.match(await page.textContent('#notice'), /Read in this browser/);
  assert.equal(await page.inputValue('#image-url'), 'https://images.example.test/photos/launch.jpg');
  // Compare sends the address, as JSON: the server fetches it (here it cannot: no such host).
  await page.click('#compare');
  await page.locator('#compare-result .verdict').getByText(/refused.*source_unavailable|refused.*url_not_allowed/).waitFor({ timeout: 30_000 });
  const sent = JSON.parse(thumbnailRequests.at(-1).postData());
  assert.deepEqual(sent, { image_url: 'https://images.example.test/photos/launch.jpg', width: 200, fit: 'contain', format: 'png' });

  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.setData('text/plain', 'https://private.example.test/cat.jpg');
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  await page.waitForFunction(() => document.querySelector('#input-info').textContent.startsWith('cat.jpg'));
  await page.getByText(/No preview: this browser cannot read that address \(its site does not let other pages read it/).first().waitFor();
  assert.equal(await page.locator('#compare').isDisabled(), false, 'the server may still fetch it');
  assert.deepEqual(errors.filter((e) => !/net::ERR_FAILED/.test(e)), []);
  await page.close();
});

test('10. the original\u2019s size and the scale of the view are shown; 1:1, zoom and split work', { timeout: 60_000 }, async () => {
  const { page, errors } = await openPage(browser, server);
  await page.setInputFiles('#file', photo);
  await waitForThumbnail(page, '200 \u00d7 133 PNG');
  assert.match(await page.textContent('#input-info'), /rocket\.jpg: 109\.9 KiB, 640 \u00d7 427 JPG/);
  assert.equal(await page.textContent('#orig-dims'), '640 \u00d7 427 JPG');
  assert.match(await page.textContent('#stat-saving'), /^\u2212\d+ %$/);
  assert.match(await page.textContent('#zoom-level'), /^\d+ % \(fit\)$/);
  await page.click('#zoom-1to1');
  assert.equal(await page.textContent('#zoom-level'), '100 % (1:1)');
  assert.equal(await page.evaluate(() => document.querySelector('#preview').getBoundingClientRect().width), 200);
  await page.click('#zoom-in');
  assert.equal(await page.textContent('#zoom-level'), '150 %');
  await page.locator('#split').fill('20');
  const widths = await page.evaluate(() => [document.querySelector('#layer-orig').getBoundingClientRect().width, document.querySelector('#viewer').clientWidth]);
  assert.ok(Math.abs(widths[0] - widths[1] * 0.2) < 2, String(widths));
  // Dragging the line moves the split.
  const box = await page.locator('#viewer').boundingBox();
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  assert.equal(await page.inputValue('#split'), '70');
  await page.click('#zoom-fit');
  assert.match(await page.textContent('#zoom-level'), /\(fit\)$/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('11. a finished thumbnail is announced; loading the page asks for nothing that is missing', { timeout: 60_000 }, async () => {
  const { page, errors } = await openPage(browser, server);
  await page.setInputFiles('#file', photo);
  await waitForThumbnail(page, '200 \u00d7');
  assert.equal(await page.getAttribute('#announce', 'role'), 'status');
  assert.match(await page.textContent('#announce'), /^Thumbnail ready: 200 \u00d7 133 PNG, [\d.]+ KiB, \u2212\d+ % against the original\.$/);
  const icon = await page.evaluate(() => document.querySelector('link[rel=icon]').href);
  assert.equal((await fetch(icon)).status, 200);
  assert.deepEqual(errors, [], 'no 404 (favicon, auth-config) and no console error');
  await page.close();
});

test('the whole page by keyboard alone: choose, set options, zoom, download, compare', { timeout: 60_000 }, async () => {
  const { page, errors } = await openPage(browser, server);
  const tabTo = async (id) => {
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((want) => document.activeElement.id === want, id)) return;
    }
    throw new Error(`Tab never reached #${id}`);
  };
  // Chromium's file chooser event (CDP Page.fileChooserOpened) is known to go missing now and
  // then (microsoft/playwright#28023), which timed this test out once in CI. So the test checks
  // what the page itself does, that Enter on the button clicks the file input, and keeps the
  // native dialog shut; then the files go in as a chooser would put them.
  await page.evaluate(() => {
    window.fileInputClicks = 0;
    document.getElementById('file').addEventListener('click', (e) => { window.fileInputClicks++; e.preventDefault(); });
  });
  await tabTo('choose');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.fileInputClicks === 1, null, { timeout: 5_000 });
  await page.setInputFiles('#file', photo);
  await waitForThumbnail(page, '200 \u00d7');
  await tabTo('width');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('300');
  await tabTo('format');
  await page.keyboard.press('ArrowDown'); // PNG -> JPEG
  await waitForThumbnail(page, '300 \u00d7 200 JPEG');
  await tabTo('viewer');
  await page.keyboard.press('1');
  assert.match(await page.textContent('#zoom-level'), /\(1:1\)$/);
  await page.keyboard.press('+');
  await page.keyboard.press('ArrowLeft');
  assert.match(await page.textContent('#zoom-level'), /^\d+ %$/);
  await tabTo('download');
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  assert.equal((await download).suggestedFilename(), 'rocket-300x200.jpg');
  await tabTo('compare');
  await page.keyboard.press('Enter');
  await page.locator('#compare-result .verdict').getByText(/^Identical/).waitFor({ timeout: 30_000 });
  assert.deepEqual(errors, []);
  await page.close();
});
