// The preview page: picks an image, runs the engine in a Worker, shows the result, and compares
// it with the server's bytes for the same input and options.
import { completeSignIn, currentToken, loadConfig, signIn, signOut, whoIs } from './auth.js';

const $ = (id) => document.getElementById(id);
let worker;
let nextId = 1;
const pending = new Map();
// One Worker hosts the engine. After a trap it closes itself (its instance cannot be trusted);
// the calls it still held are answered with internal_error and a fresh Worker takes over.
function startWorker() {
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (e) => {
    const p = pending.get(e.data.id);
    if (p) {
      pending.delete(e.data.id);
      e.data.ok ? p.resolve(e.data) : p.reject(e.data);
    }
    if (e.data.restart) {
      for (const [id, q] of pending) {
        pending.delete(id);
        q.reject({ code: 'internal_error', message: 'the engine stopped; it has been restarted' });
      }
      startWorker();
    }
  };
}
startWorker();
// For the page's tests (tests/browser/ui.test.mjs): talk to the engine Worker directly.
window.thumbprintEngine = { call: (type, payload) => call(type, payload) };
function call(type, payload = {}, transfer = []) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, type, ...payload }, transfer);
  });
}

const MESSAGES = {
  unsupported_format: 'This file is not an image the service accepts (JPEG, PNG, GIF, WebP, BMP, TIFF or ICO). SVG, HTML, AVIF, HEIC and other formats are refused.',
  corrupt_image: 'This image is damaged or cut short: it cannot be decoded.',
  image_too_large: 'This image is over the engine\u2019s budget (pixels, memory or work): the server refuses it too.',
  output_too_large: 'The thumbnail would be too large for the server to return (Lambda response cap). Try a smaller size or JPEG.',
  invalid_option: 'An option is out of range.',
  payload_too_large: 'The file is larger than the server accepts in a request.',
};
const state = { bytes: null, name: '', type: '', info: null, result: null, seq: 0, originalUrl: null, previewUrl: null };

function fmtBytes(n) {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(2)} MiB`;
}
function showMessage(text, warn = false) {
  const m = $('message');
  m.textContent = text;
  m.className = warn ? 'message warn' : 'message';
  m.hidden = !text;
}
function options() {
  const o = { width: Number($('width').value), fit: $('fit').value, format: $('format').value };
  if ($('height').value) o.height = Number($('height').value);
  if (o.format === 'jpeg') o.quality = Number($('quality').value);
  return o;
}
function query(o) {
  return new URLSearchParams(Object.entries(o).map(([k, v]) => [k, String(v)])).toString();
}

async function render() {
  $('quality').disabled = $('format').value !== 'jpeg';
  if (!state.bytes) return;
  const seq = ++state.seq;
  $('busy').hidden = false;
  $('compare-result').textContent = '';
  $('compare-result').className = 'compare-result';
  showMessage('');
  try {
    const copy = state.bytes.slice();
    const r = await call('thumbnail', { bytes: copy, options: options() }, [copy.buffer]);
    if (seq !== state.seq) return;
    state.result = r;
    if (state.previewUrl) URL.revokeObjectURL(state.previewUrl);
    state.previewUrl = URL.createObjectURL(new Blob([r.bytes], { type: r.mime }));
    $('preview').src = state.previewUrl;
    $('preview').hidden = false;
    $('stat-dims').textContent = `${r.width} × ${r.height} ${r.format.toUpperCase()}`;
    $('stat-bytes').textContent = `${fmtBytes(r.bytes.length)} (${r.bytes.length} bytes)`;
    $('stat-etag').textContent = r.etag;
    $('stat-sha').textContent = r.sha256;
    $('stat-time').textContent = `${r.ms.toFixed(1)} ms`;
    $('stats').hidden = false;
    const dl = $('download');
    dl.href = state.previewUrl;
    dl.download = `${state.name.replace(/\.[^.]*$/, '') || 'thumbnail'}-${r.width}x${r.height}.${r.format === 'jpeg' ? 'jpg' : r.format}`;
    dl.hidden = false;
    $('compare').disabled = false;
  } catch (e) {
    if (seq !== state.seq) return;
    state.result = null;
    $('preview').hidden = true;
    $('stats').hidden = true;
    $('download').hidden = true;
    $('compare').disabled = true;
    showMessage(`${MESSAGES[e.code] || e.message} (${e.code})`);
  } finally {
    if (seq === state.seq) $('busy').hidden = true;
  }
}

async function load(file) {
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  state.bytes = bytes;
  state.name = file.name || 'pasted';
  state.type = file.type;
  if (state.originalUrl) URL.revokeObjectURL(state.originalUrl);
  state.originalUrl = URL.createObjectURL(file);
  $('original').src = state.originalUrl;
  $('original').hidden = false;
  $('input-info').textContent = `${state.name}: ${fmtBytes(bytes.length)}`;
  await render();
  const max = state.info && state.info.limits.maxInputBytes;
  if (max && bytes.length > max && state.result) {
    showMessage(`The preview works, but the server refuses request bodies over ${fmtBytes(max)} (payload_too_large): send it by image_url instead.`, true);
  }
}

async function compare(event) {
  event.preventDefault();
  if (!state.bytes || !state.result) return;
  const out = $('compare-result');
  out.className = 'compare-result';
  out.textContent = 'Asking the server…';
  const headers = { 'Content-Type': state.type && state.type.startsWith('image/') ? state.type : 'image/x-unknown' };
  const token = $('token').value.trim().replace(/^Bearer\s+/i, '') || currentToken();
  if (token) {
    if (!/^[\x21-\x7e]+$/.test(token)) {
      out.className = 'compare-result bad';
      out.textContent = 'The bearer token has characters a token cannot have (spaces or non-ASCII): paste it again.';
      return;
    }
    headers.Authorization = `Bearer ${token}`;
  }
  try {
    const resp = await fetch(`thumbnail?${query(options())}`, { method: 'POST', headers, body: state.bytes });
    const body = new Uint8Array(await resp.arrayBuffer());
    if (resp.status === 401 || resp.status === 403) {
      out.className = 'compare-result bad';
      out.textContent = resp.status === 401
        ? `The server refused the request (HTTP 401: ${token ? 'the token is not valid here or has expired' : 'it needs a token'}). ${authConfig ? 'Sign in' : 'Paste a bearer token'} and try again.`
        : 'The server refused the request (HTTP 403: the token lacks the thumbnail scope).';
      return;
    }
    if (!resp.ok) {
      let detail = `HTTP ${resp.status}`;
      try { const j = JSON.parse(new TextDecoder().decode(body)); detail += j.error ? `: ${j.error.code}` : j.message ? `: ${j.message}` : ''; } catch { /* not JSON */ }
      out.className = 'compare-result bad';
      out.textContent = `The server refused the request (${detail}).`;
      return;
    }
    const copy = body.slice();
    const { sha256 } = await call('sha256', { bytes: copy }, [copy.buffer]);
    const same = sha256 === state.result.sha256;
    out.className = same ? 'compare-result ok' : 'compare-result bad';
    out.textContent = same
      ? `Identical: the server returned exactly these bytes (SHA-256 ${sha256}).`
      : `Different: server SHA-256 ${sha256}, preview SHA-256 ${state.result.sha256}.`;
    out.dataset.server = sha256;
  } catch (e) {
    out.className = 'compare-result bad';
    out.textContent = `Could not reach the server: ${e.message}`;
  }
}

async function start() {
  try {
    state.info = await call('info');
    const el = $('engine-status');
    el.textContent = `Engine ${state.info.version} loaded in this browser.`;
    try {
      const v = await (await fetch('version')).json();
      if (v.engine === state.info.version) {
        el.textContent = `Engine ${state.info.version} in this browser = engine ${v.engine} on the server.`;
      } else {
        el.textContent = `Engine mismatch: this page runs engine ${state.info.version}, the server runs ${v.engine}. Previews may differ from the server's bytes.`;
        el.classList.add('bad');
      }
    } catch {
      el.textContent += ' (server version unavailable)';
    }
  } catch (e) {
    $('engine-status').textContent = `The engine could not load: ${e.message}`;
    $('engine-status').classList.add('bad');
  }
}

const drop = $('drop');
drop.addEventListener('click', (e) => { if (e.target.tagName !== 'LABEL' && e.target.tagName !== 'INPUT') $('file').click(); });
drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); $('file').click(); } });
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); load(e.dataTransfer.files[0]); });
$('file').addEventListener('change', (e) => load(e.target.files[0]));
document.addEventListener('paste', (e) => {
  const item = [...(e.clipboardData ? e.clipboardData.items : [])].find((i) => i.kind === 'file');
  if (item) load(item.getAsFile());
});
for (const id of ['width', 'height', 'fit', 'format', 'quality']) $(id).addEventListener('change', render);
$('options').addEventListener('submit', (e) => { e.preventDefault(); render(); });
$('server-form').addEventListener('submit', compare);

// Sign-in, when the server says how (GET auth-config).
let authConfig = null;
function showSignedIn() {
  const token = currentToken();
  $('signin-status').textContent = token
    ? `Signed in as ${whoIs(token)}: “Compare with server” sends this session’s access token.`
    : 'Not signed in: the server may refuse the request (401).';
  $('signin-button').hidden = !!token;
  $('signout-button').hidden = !token;
}
async function startAuth() {
  authConfig = await loadConfig();
  if (!authConfig) return;
  $('signin').hidden = false;
  const done = await completeSignIn(authConfig);
  showSignedIn();
  if (done && !done.ok) $('signin-status').textContent = `Sign-in failed: ${done.error}.`;
}
$('signin-button').addEventListener('click', () => signIn(authConfig));
$('signout-button').addEventListener('click', () => { signOut(authConfig); showSignedIn(); });
start();
startAuth();
