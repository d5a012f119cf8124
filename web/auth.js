// Sign-in for the preview page: OAuth 2.0 authorization code with PKCE (RFC 7636, S256) and a
// public client, against the endpoints the server names at GET auth-config (Cognito's hosted
// domain when deployed, `thumbprint serve --dev-auth` locally). No client secret exists here.
// The verifier and state live in sessionStorage for the round trip only; the access token in
// sessionStorage (this tab, until it closes), never localStorage.
const PENDING = 'thumbprint.signin';
const TOKEN = 'thumbprint.token';

function b64url(bytes) {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function randomString(n = 32) {
  return b64url(crypto.getRandomValues(new Uint8Array(n)));
}
async function s256(text) {
  return b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}
// Where the issuer sends the browser back: this page's folder (registered as the callback).
export function redirectUri() {
  return new URL('./', location.href).href;
}

// The server's sign-in settings, or null when it has none (then only a pasted token works).
export async function loadConfig() {
  try {
    const r = await fetch('auth-config', { cache: 'no-store' });
    if (!r.ok || r.status === 204) return null;
    const c = await r.json();
    return c.authorization_endpoint && c.token_endpoint && c.client_id ? c : null;
  } catch {
    return null;
  }
}

// Leaves for the issuer's sign-in page.
export async function signIn(config) {
  const verifier = randomString(48);
  const state = randomString(16);
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const url = new URL(config.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.client_id,
    redirect_uri: redirectUri(),
    scope: config.scope,
    state,
    code_challenge: await s256(verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.href);
}

// On return from the issuer: checks the state, exchanges the code with the verifier, keeps the
// token, and takes the code out of the address bar. Returns null when this load is not a
// return, else { ok: true } or { ok: false, error }.
export async function completeSignIn(config) {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return null;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', redirectUri());
  if (!pending || params.get('state') !== pending.state) {
    return { ok: false, error: 'the sign-in answer did not match this tab’s request (state); try again' };
  }
  if (params.has('error')) return { ok: false, error: `the issuer said ${params.get('error')}` };
  try {
    const r = await fetch(config.token_endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: config.client_id,
        code: params.get('code'),
        redirect_uri: redirectUri(),
        code_verifier: pending.verifier,
      }),
    });
    const body = await r.json().catch(() => ({}));
    if (!r.ok || !body.access_token) return { ok: false, error: `the token endpoint said ${body.error || `HTTP ${r.status}`}` };
    const expires = Date.now() + 1000 * (Number(body.expires_in) || 3600);
    sessionStorage.setItem(TOKEN, JSON.stringify({ token: body.access_token, expires }));
    return { ok: true };
  } catch (e) {
    return { ok: false, error: `the token endpoint could not be reached (${e.message})` };
  }
}

// The signed-in access token while it lasts (a minute of margin), else null.
export function currentToken() {
  const t = JSON.parse(sessionStorage.getItem(TOKEN) || 'null');
  if (!t || t.expires - 60_000 < Date.now()) return null;
  return t.token;
}

// Who the token is for: the `username` claim of a Cognito access token, else `sub`. Display
// only: the server checks the token, the page does not.
export function whoIs(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims.username || claims.sub || 'unknown';
  } catch {
    return 'unknown';
  }
}

// Forgets the token, and ends the issuer's session when it has a logout endpoint (Cognito's
// /logout takes client_id and logout_uri).
export function signOut(config) {
  sessionStorage.removeItem(TOKEN);
  if (config && config.logout_endpoint) {
    const url = new URL(config.logout_endpoint);
    url.search = new URLSearchParams({ client_id: config.client_id, logout_uri: redirectUri() }).toString();
    location.assign(url.href);
  }
}
