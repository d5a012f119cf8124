// "Compare with server": sends the same input and options to POST /thumbnail and says whether
// the server's bytes are the preview's bytes, both SHA-256 side by side.
import { query } from './fields.js';
import { describe } from './text.js';

/** A token as a header can carry it: printable ASCII, no spaces. */
export function tokenProblem(token) {
  return token && !/^[\x21-\x7e]+$/.test(token)
    ? 'The bearer token has characters a token cannot have (spaces or non-ASCII): paste it again.'
    : null;
}

function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/**
 * Asks the server for the thumbnail of `source` (bytes, or an address it fetches) with
 * `options`. Resolves to `{ bytes, width?, height?, format?, etag? }` or `{ refused: text }`.
 */
export async function askServer(source, options, token, signedInHelp) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  let resp;
  if (source.kind === 'url') {
    headers['Content-Type'] = 'application/json';
    headers.Accept = 'application/json';
    resp = await fetch('thumbnail', { method: 'POST', headers, body: JSON.stringify({ image_url: source.url, ...options }) });
  } else {
    headers['Content-Type'] = source.type && source.type.startsWith('image/') ? source.type : 'image/x-unknown';
    resp = await fetch(`thumbnail?${query(options)}`, { method: 'POST', headers, body: source.bytes });
  }
  const body = new Uint8Array(await resp.arrayBuffer());
  if (resp.status === 401) {
    return { refused: `The server refused the request (HTTP 401: ${token ? 'the token is not valid here or has expired' : 'it needs a token'}). ${signedInHelp}` };
  }
  if (resp.status === 403) return { refused: 'The server refused the request (HTTP 403: the token lacks the thumbnail scope).' };
  let json = null;
  if ((resp.headers.get('content-type') || '').startsWith('application/json')) {
    try { json = JSON.parse(new TextDecoder().decode(body)); } catch { /* not JSON after all */ }
  }
  if (!resp.ok) {
    const code = json && json.error && json.error.code;
    const detail = code ? describe(code, json.error.message) : json && json.message ? json.message : '';
    return { refused: `The server refused the request (HTTP ${resp.status}${detail ? `): ${detail}` : ')'}` };
  }
  if (json && json.thumbnail_base64) {
    return { bytes: fromBase64(json.thumbnail_base64), width: json.width, height: json.height, format: json.format, etag: json.etag };
  }
  return { bytes: body, etag: resp.headers.get('etag') };
}

function toBase64(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/**
 * Asks the server for a set (`POST /thumbnail` with `"sizes"`): resolves to `{ members: [{
 * bytes, width, height, format, etag } | { error: text }] }` in order, or `{ refused: text }`.
 */
export async function askServerSet(source, members, token, signedInHelp) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const body = source.kind === 'url' ? { image_url: source.url, sizes: members } : { image_base64: toBase64(source.bytes), sizes: members };
  const resp = await fetch('thumbnail', { method: 'POST', headers, body: JSON.stringify(body) });
  if (resp.status === 401) {
    return { refused: `The server refused the set (HTTP 401: ${token ? 'the token is not valid here or has expired' : 'it needs a token'}). ${signedInHelp}` };
  }
  if (resp.status === 403) return { refused: 'The server refused the set (HTTP 403: the token lacks the thumbnail scope).' };
  let json = null;
  try { json = await resp.json(); } catch { /* not JSON */ }
  if (!resp.ok || !json || !Array.isArray(json.thumbnails)) {
    const code = json && json.error && json.error.code;
    return { refused: `The server refused the set (HTTP ${resp.status}${code ? `): ${describe(code, json.error.message)}` : ')'}` };
  }
  return {
    members: json.thumbnails.map((m) => (m.error
      ? { error: describe(m.error.code, m.error.message) }
      : { bytes: fromBase64(m.thumbnail_base64), width: m.width, height: m.height, format: m.format, etag: m.etag })),
  };
}

/** Shows the outcome: "Identical" or "Different", with both hashes side by side. */
export function showOutcome(out, browserSha, serverSha) {
  out.replaceChildren();
  const same = browserSha === serverSha;
  const head = document.createElement('p');
  head.className = same ? 'verdict ok' : 'verdict bad';
  head.textContent = same
    ? 'Identical: the server returned exactly the bytes this browser made.'
    : 'Different: the server returned other bytes than this browser made.';
  const table = document.createElement('dl');
  table.className = 'hashes';
  for (const [who, sha, id] of [['This browser', browserSha, 'sha-browser'], ['The server', serverSha, 'sha-server']]) {
    const row = document.createElement('div');
    const dt = document.createElement('dt');
    dt.textContent = `${who} (SHA-256)`;
    const dd = document.createElement('dd');
    dd.className = 'mono';
    dd.id = id;
    dd.textContent = sha;
    row.append(dt, dd);
    table.append(row);
  }
  out.append(head, table);
  out.dataset.server = serverSha;
  out.className = same ? 'compare-result ok' : 'compare-result bad';
}

export function showText(out, text, kind = '') {
  out.replaceChildren();
  const p = document.createElement('p');
  p.textContent = text;
  p.className = kind ? `verdict ${kind}` : 'verdict';
  out.append(p);
  out.className = kind ? `compare-result ${kind}` : 'compare-result';
  delete out.dataset.server;
}
