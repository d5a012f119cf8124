// Sign-in on the page, end to end against `thumbprint serve --dev-auth`: without a token the
// server answers 401 and the page says so; "Sign in" runs authorization code + PKCE through the
// development issuer's form; "Compare with server" then gets "Identical"; the token lives in
// sessionStorage only; "Sign out" ends it and the next compare is a 401 again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { corpus, startServer, startBrowser, waitForThumbnail } from './lib.mjs';

const image = join(corpus, 'oddities', 'jpeg_410_subsampling_fox.jpg');

async function pickAndCompare(page) {
  await page.setInputFiles('#file', image);
  await waitForThumbnail(page);
  await page.getByRole('button', { name: 'Compare with server', exact: true }).click();
  await page.waitForFunction(() => /^(Identical|Different|The server refused|Could not)/.test(document.querySelector('#compare-result').textContent));
  return page.textContent('#compare-result');
}

test('the page signs in with PKCE, compares, and signs out', { timeout: 180_000 }, async () => {
  const server = await startServer({ devAuth: true });
  const browser = await startBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1100 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const tokenRequests = [];
    page.on('request', (r) => { if (r.url().endsWith('/oauth2/token')) tokenRequests.push(r.postData() || ''); });
    await page.goto(server.base);
    await page.getByText(/= engine .* on the server/).waitFor();
    await page.getByText(/^Not signed in/).waitFor();

    // Without a token: the gateway's 401, said plainly.
    assert.match(await pickAndCompare(page), /HTTP 401: it needs a token\)\. Sign in/);

    // Sign in: the issuer's form, then back on the page with a token.
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((u) => u.href.startsWith(`${server.issuer}/oauth2/authorize`));
    const authorizeUrl = new URL(page.url());
    assert.equal(authorizeUrl.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authorizeUrl.searchParams.get('redirect_uri'), server.base);
    assert.ok(!authorizeUrl.searchParams.has('client_secret'));
    await page.getByLabel('Name').fill('ada');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/^Signed in as ada/).waitFor();
    assert.equal(page.url(), server.base, 'the code and state are gone from the address bar');
    assert.equal(tokenRequests.length, 1);
    assert.match(tokenRequests[0], /code_verifier=/);
    assert.doesNotMatch(tokenRequests[0], /client_secret/);
    const storage = await page.evaluate(() => ({ session: Object.keys(sessionStorage), local: localStorage.length }));
    assert.deepEqual(storage, { session: ['thumbprint.token'], local: 0 });

    assert.match(await pickAndCompare(page), /^Identical: /);

    // A forged return (a code with a state this tab never made) is refused without a token call.
    await page.goto(`${server.base}?code=forged&state=forged`);
    await page.getByText(/Sign-in failed: .*state/).waitFor();
    assert.equal(tokenRequests.length, 1);

    // Sign out: the issuer's logout sends the browser back; the next compare is refused.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(server.base);
    await page.getByText(/^Not signed in/).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('thumbprint.token')), null);
    assert.match(await pickAndCompare(page), /HTTP 401/);
    assert.deepEqual(errors, []);
    console.log('browser auth: 1 passed, 0 failed');
  } finally {
    await browser.close();
    server.stop();
  }
});
