// Shared by the browser tests: starts the local service (the README's run command's server) and
// headless Chromium (Debian's, driven by playwright-core).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const corpus = process.env.THUMBPRINT_CORPUS || join(root, 'tests', 'corpus');

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// The signing key and salt of `startServer({ urls: true })` (hex).
export const URL_KEY = '943b421c9eb07c830af81030552c86009268de4e532ba2ee2eab8247c6da0881';
export const URL_SALT = '520f986b998545b4785e0defbc4f3c1203f22de2374a3d53cb7a7fe9fea309c5';

// `thumbprint serve` on a free port; with `{ devAuth: true }` also its development issuer (on
// another free port, returned as `issuer`); with `{ urls: true }` signed image URLs (the key
// above, sources under the corpus as local:///).
export async function startServer({ devAuth = false, urls = false } = {}) {
  const port = await freePort();
  // The binary scripts/test.sh built (THUMBPRINT_BIN), else the one scripts/run.sh builds.
  const bin = process.env.THUMBPRINT_BIN || join(root, 'target', 'local', 'thumbprint');
  const args = ['serve', '--port', String(port)];
  let issuer;
  if (devAuth) {
    const devPort = await freePort();
    args.push('--dev-auth', '--dev-auth-port', String(devPort));
    issuer = `http://127.0.0.1:${devPort}`;
  }
  if (urls) args.push('--url-key', URL_KEY, '--url-salt', URL_SALT, '--local-root', corpus);
  const proc = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const base = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}version`)).ok) return { base, issuer, stop: () => proc.kill() }; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill();
  throw new Error(`server did not start: ${stderr}`);
}

export async function startBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A page of the local service (`options`: the page's, and `setup(page)` run before it loads)
// whose errors, failed requests and /thumbnail requests are kept:
// `errors` (uncaught exceptions, console errors, responses >= 400 other than POST /thumbnail's,
// which the tests look at themselves) must stay empty.
export async function openPage(browser, server, options = {}) {
  const { setup, ...pageOptions } = options;
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, ...pageOptions });
  if (setup) await setup(page); // before the page loads (routes, for example)
  const errors = [];
  const thumbnailRequests = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of [45]\d\d/.test(m.text())) errors.push(m.text()); });
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/thumbnail') thumbnailRequests.push(r); });
  page.on('response', (r) => { if (r.status() >= 400 && new URL(r.url()).pathname !== '/thumbnail') errors.push(`${r.status()} ${r.url()}`); });
  await page.goto(server.base);
  await page.getByText(/= engine .* on the server/).waitFor();
  return { page, errors, thumbnailRequests };
}

// Waits until the page shows a thumbnail made in the browser whose size text starts with `dims`,
// and no newer one is on its way (an edit waiting for its render marks Compare aria-disabled).
export async function waitForThumbnail(page, dims = '') {
  await page.waitForFunction((d) => {
    const t = document.querySelector('#stat-dims').textContent;
    return t.startsWith(d) && t !== '\u2014' && /^[0-9a-f]{64}$/.test(document.querySelector('#stat-sha').textContent)
      && document.querySelector('#busy').hidden
      && document.querySelector('#compare').getAttribute('aria-disabled') !== 'true';
  }, dims, { timeout: 30_000 });
}

// axe-core (npm, tests/browser only) on the page as it is now: the violations, by rule.
export async function axeViolations(page) {
  await page.addScriptTag({ path: join(root, 'node_modules', 'axe-core', 'axe.min.js') });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
