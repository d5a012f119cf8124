// The CloudFront Function of the CDN (terraform/cdn/accept.js) against the server it fronts:
// for real browsers' Accept headers and edge cases, the Accept the function leaves gives the
// same answer from `thumbprint serve` (format, bytes, Vary) as the Accept the browser sent, and
// the function leaves one of only three values for real browsers (a fourth, "image/avif" alone,
// for a client that takes AVIF but not WebP). So the cache's variants per image lose nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { root, startServer, URL_KEY, URL_SALT } from '../browser/lib.mjs';

// The function as CloudFront runs it: a script defining handler(event), nothing exported.
const code = readFileSync(join(root, 'terraform', 'cdn', 'accept.js'), 'utf8');
const context = vm.createContext({});
vm.runInContext(code, context);
const handler = context.handler;

function viewerRequest(accept) {
  const headers = { host: { value: 'img.example.com' } };
  if (accept !== undefined) headers.accept = { value: accept };
  return { version: '1.0', context: { eventType: 'viewer-request' }, viewer: { ip: '192.0.2.1' },
    request: { method: 'GET', uri: '/x/rs:fit:64:64/plain/local:///a.png', querystring: {}, headers, cookies: {} } };
}

const ACCEPTS = [
  undefined,
  '',
  '*/*',
  'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8', // Chrome
  'image/avif,image/webp,*/*', // Firefox
  'image/webp,image/avif,image/jxl,image/heic,image/heic-sequence,video/*;q=0.8,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5', // Safari 17
  'image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5', // Safari 13
  'IMAGE/WEBP',
  ' image/webp ; q=1 ',
  'image/webp;q=0',
  'image/webp; q=0.0',
  'image/webp;q=+0',
  'image/webp;q=.0',
  'image/webp;q=0e3',
  'image/webp;q=0.5',
  'image/webp;q=',
  'image/webp;q=0x0',
  'image/webp;q=0abc',
  'image/webp;Q=0',
  'image/webp;q=0, image/webp',
  'image/webpx',
  'text/html,application/xhtml+xml',
  'image/avif',
  'image/avif;q=0,image/webp',
  'IMAGE/AVIF, image/webp;q=0',
  'image/avifx,image/webp',
];

// What browsers send: these must leave only the three variants.
const BROWSERS = ACCEPTS.slice(2, 7);

function sign(path) {
  const mac = createHmac('sha256', Buffer.from(URL_KEY, 'hex'));
  mac.update(Buffer.from(URL_SALT, 'hex'));
  mac.update(path);
  return mac.digest('base64url');
}

test('the Accept function keeps the server\'s answer and leaves three variants', { timeout: 120_000 }, async () => {
  const server = await startServer({ urls: true });
  try {
    // A PNG source: its format follows Accept (a JPEG source would not look at it).
    const path = '/rs:fit:48:48/plain/local:///photos/chelsea_cat.png';
    const url = `${server.base.replace(/\/$/, '')}/${sign(path)}${path}`;
    const answer = async (accept) => {
      const headers = accept === undefined ? {} : { accept };
      const r = await fetch(url, { headers });
      assert.equal(r.status, 200, `${accept}`);
      const bytes = Buffer.from(await r.arrayBuffer());
      return { type: r.headers.get('content-type'), vary: r.headers.get('vary'), sha: createHash('sha256').update(bytes).digest('hex') };
    };
    const left = new Set();
    const browsers = new Set();
    for (const accept of ACCEPTS) {
      const out = handler(viewerRequest(accept));
      const normalised = out.headers.accept ? out.headers.accept.value : undefined;
      left.add(String(normalised));
      if (BROWSERS.includes(accept)) browsers.add(String(normalised));
      assert.equal(out.uri, '/x/rs:fit:64:64/plain/local:///a.png', 'the path is untouched');
      assert.equal(out.headers.host.value, 'img.example.com', 'other headers are untouched');
      assert.deepEqual(await answer(normalised), await answer(accept), `Accept ${JSON.stringify(accept)} -> ${JSON.stringify(normalised)}`);
    }
    assert.deepEqual([...left].sort(), ['image/avif', 'image/avif,image/webp', 'image/webp', 'undefined']);
    assert.deepEqual([...browsers].sort(), ['image/avif,image/webp', 'undefined']);
    console.log(`cdn accept function: ${ACCEPTS.length} Accept values, the server's answer kept, ${left.size} variants`);
  } finally {
    server.stop();
  }
});
