// The preview page: takes an image (file or address), runs the engine in a Worker as the options
// change, shows the thumbnail beside the original, and compares it with the server's bytes.
import { completeSignIn, currentToken, loadConfig, signIn, signOut, whoIs } from './auth.js';
import { call, callWithCopy } from './engine.js';
import { readOptions, readSet, setMaxDimension, syncQuality } from './fields.js';
import { askServer, askServerSet, showOutcome, showText, tokenProblem } from './server.js';
import { clearSet, fileName, showSet, showSetOutcome, wireCopy } from './set.js';
import { fromFile, fromUrl, MAX_SOURCE_BYTES, parseUrl, wireIntake } from './source.js';
import { describe, dims, fmtBytes, saving } from './text.js';
import { wireUrlBuilder } from './urls.js';
import { Viewer } from './viewer.js';

const $ = (id) => document.getElementById(id);
const viewer = new Viewer();
const state = {
  source: null, // { kind, name, type, bytes, url, why }
  original: null, // the engine's reading of the header: { format, width, height }
  origUrl: null, // what the view shows as the original (the file, or the engine's PNG of it)
  result: null, // the engine's thumbnail, or the server's when the browser could not read the source
  set: null, // { asked, members } when the set field has widths: the engine's members
  thumbUrl: null,
  limits: null,
  seq: 0, // bumped when the source changes: answers for an older source are dropped
  timer: 0, // a render waiting for typing to pause
  running: false,
  again: false,
  afterRender: null, // a click (Compare, Download) that came while a render was pending
  comparing: false,
  refused: false, // the engine refused the source (the server refuses it the same way)
  resetView: false,
};
let authConfig = null;

// ---- rendering: one engine run at a time, the newest options win --------------------------
const pending = () => !!state.timer || state.running;

function schedule(delay) {
  clearTimeout(state.timer);
  state.timer = setTimeout(() => { state.timer = 0; run(); }, delay);
  showText($('compare-result'), '');
  syncActions();
}

function flush() {
  if (!state.timer) return;
  clearTimeout(state.timer);
  state.timer = 0;
  run();
}

async function run() {
  if (state.running) { state.again = true; return; }
  state.running = true;
  syncActions();
  const busy = setTimeout(() => { $('busy').hidden = false; }, 120);
  try {
    await render();
  } finally {
    clearTimeout(busy);
    state.running = false;
    if (state.again) {
      state.again = false;
      run();
    } else {
      $('busy').hidden = true;
      syncActions();
      const next = state.afterRender;
      state.afterRender = null;
      if (next && !pending()) next();
    }
  }
}

function message(text, kind = '') {
  $('message').textContent = text;
  $('message').className = kind ? `message ${kind}` : 'message';
  $('message').hidden = !text;
}

async function render() {
  const src = state.source;
  if (!src) return;
  const options = readOptions();
  if (!options) {
    state.result = null;
    message('Fix the marked option to update the thumbnail.', 'warn');
    return;
  }
  if (!src.bytes) {
    state.result = null;
    clearResult();
    message('No preview: this browser cannot read that address. \u201cCompare with server\u201d shows the server\u2019s thumbnail.', 'info');
    return;
  }
  const seq = state.seq;
  try {
    const r = await callWithCopy('thumbnail', src.bytes, { options });
    if (seq !== state.seq) return;
    message('');
    state.refused = false;
    showResult(r, options.fit, 'browser');
    await renderSet(src, options, seq);
  } catch (e) {
    if (seq !== state.seq) return;
    state.result = null;
    state.refused = true;
    clearResult();
    message(describe(e.code, e.message));
  }
}

/** The set's members, when the set field has widths (one engine call for all of them). */
async function renderSet(src, options, seq) {
  const asked = readSet(options);
  state.set = null;
  if (!asked.length) { clearSet(); return; }
  const got = await callWithCopy('thumbnails', src.bytes, { members: asked });
  if (seq !== state.seq) return;
  state.set = { asked, members: got.members };
  showSet(stem(), asked, got.members);
}

const stem = () => (state.source ? state.source.name.replace(/\.[^.]*$/, '') : '') || 'thumbnail';

function showResult(r, fit, maker) {
  state.result = r;
  if (state.thumbUrl) URL.revokeObjectURL(state.thumbUrl);
  state.thumbUrl = URL.createObjectURL(new Blob([r.bytes], { type: r.mime || `image/${r.format}` }));
  viewer.show({ thumbUrl: state.thumbUrl, origUrl: state.origUrl, width: r.width, height: r.height, fit, reset: state.resetView });
  state.resetView = false;
  $('view-empty').hidden = true;
  const size = state.source.bytes ? state.source.bytes.length : 0;
  $('stat-dims').textContent = `${dims(r.width, r.height)} ${r.format.toUpperCase()}`;
  $('stat-bytes').textContent = `${fmtBytes(r.bytes.length)} (${r.bytes.length} bytes)`;
  $('stat-saving').textContent = size ? saving(size, r.bytes.length) : '\u2014';
  $('stat-etag').textContent = r.etag || '\u2014';
  $('stat-sha').textContent = r.sha256;
  $('stat-time').textContent = r.ms == null ? 'made by the server' : `${r.ms.toFixed(1)} ms in this browser`;
  const dl = $('download');
  dl.href = state.thumbUrl;
  dl.download = fileName(stem(), r);
  $('announce').textContent = `Thumbnail ready${maker === 'server' ? ' (made by the server)' : ''}: ${dims(r.width, r.height)} ${r.format.toUpperCase()}, ${fmtBytes(r.bytes.length)}${size ? `, ${saving(size, r.bytes.length)} against the original` : ''}.`;
}

function clearResult() {
  viewer.clear();
  state.set = null;
  clearSet();
  $('view-empty').hidden = !!state.source;
  for (const id of ['stat-dims', 'stat-bytes', 'stat-saving', 'stat-etag', 'stat-sha', 'stat-time']) $(id).textContent = '\u2014';
}

// ---- what may be pressed now ----------------------------------------------------------------
function overLimit() {
  const s = state.source;
  return !!(s && s.kind === 'file' && state.limits && s.bytes.length > state.limits.maxInputBytes);
}

function syncActions() {
  const ready = !!state.result && !pending();
  const dl = $('download');
  dl.setAttribute('aria-disabled', String(!ready));
  if (!ready) dl.removeAttribute('href');
  const compare = $('compare');
  let why = '';
  if (!state.source) why = 'Choose an image first.';
  else if (overLimit()) why = `This file is over the ${fmtBytes(state.limits.maxInputBytes)} the server accepts in a request body (payload_too_large). Put it online and give its address above: the server fetches up to ${fmtBytes(MAX_SOURCE_BYTES)}.`;
  else if ($('options').querySelector('[aria-invalid="true"]')) why = 'Fix the marked option first.';
  else if (state.refused && !pending()) why = 'Nothing to compare: the engine refused this image with these options, and the server refuses it the same way.';
  else if (state.comparing) why = 'Asking the server\u2026';
  compare.disabled = !!why;
  // While a render is pending the button looks unavailable, but a press is kept and carried
  // out with the new thumbnail as soon as it is ready: no press is lost, none uses old bytes.
  compare.setAttribute('aria-disabled', String(!why && pending()));
  $('compare-why').textContent = why || (pending() ? 'Waiting for the thumbnail\u2026' : 'Sends the same image and options to POST /thumbnail.');
}

// ---- the source -----------------------------------------------------------------------------
async function displayable(url) {
  const img = new Image();
  img.src = url;
  try { await img.decode(); return true; } catch { return false; }
}

/** The original as the view shows it: the file itself, or (TIFF, ...) the engine's PNG of it. */
async function showOriginal(src, seq) {
  // A file over the engine's budget (a decompression bomb) is not handed to the browser's
  // decoder either: the page would pay in memory what the engine refused to.
  if (!src.bytes || !state.original || !state.original.admitted) return;
  let url = URL.createObjectURL(new Blob([src.bytes], { type: src.type || 'application/octet-stream' }));
  if (!(await displayable(url))) {
    URL.revokeObjectURL(url);
    url = null;
    const side = Math.min(state.limits ? state.limits.maxDimension : 4096, Math.max(state.original.width, state.original.height));
    try {
      const png = await callWithCopy('thumbnail', src.bytes, { options: { width: side, format: 'png' } });
      url = URL.createObjectURL(new Blob([png.bytes], { type: 'image/png' }));
    } catch { /* the thumbnail's own error says what is wrong */ }
  }
  if (seq !== state.seq) { if (url) URL.revokeObjectURL(url); return; }
  state.origUrl = url;
  if (state.result && state.result.ms != null && url) viewer.show({ thumbUrl: state.thumbUrl, origUrl: url, width: state.result.width, height: state.result.height, fit: $('fit').value });
}

async function use(src, note = '') {
  const seq = ++state.seq;
  state.source = src;
  state.original = null;
  state.result = null;
  state.refused = false;
  state.resetView = true;
  if (state.origUrl) URL.revokeObjectURL(state.origUrl);
  state.origUrl = null;
  clearResult();
  message('');
  let info = src.bytes ? `${src.name}: ${fmtBytes(src.bytes.length)}` : `${src.name} (at ${new URL(src.url).host})`;
  if (src.bytes) {
    try {
      state.original = await callWithCopy('inspect', src.bytes);
      info += `, ${dims(state.original.width, state.original.height)} ${state.original.format.toUpperCase()}`;
    } catch { /* rendering says why */ }
  }
  if (seq !== state.seq) return;
  $('input-info').textContent = info;
  $('orig-dims').textContent = state.original ? `${dims(state.original.width, state.original.height)} ${state.original.format.toUpperCase()}` : '\u2014';
  $('orig-bytes').textContent = src.bytes ? `${fmtBytes(src.bytes.length)} (${src.bytes.length} bytes)` : '\u2014';
  const notes = [note];
  if (src.kind === 'url') {
    notes.push(src.bytes
      ? 'Read in this browser (its site allows it): the preview is made from the bytes the server will fetch.'
      : `No preview: this browser cannot read that address (${src.why}). \u201cCompare with server\u201d asks the server to fetch it and shows its thumbnail.`);
  }
  if (overLimit()) {
    notes.push(`The preview works, but the server refuses request bodies over ${fmtBytes(state.limits.maxInputBytes)}: give the image\u2019s address instead and the server fetches it.`);
  }
  $('notice').textContent = notes.filter(Boolean).join(' ');
  $('notice').className = overLimit() || (src.kind === 'url' && !src.bytes) ? 'notice warn' : 'notice';
  schedule(0);
  reveal();
  showOriginal(src, seq);
}

/** On a narrow screen the result starts below the fold: bring it up and move focus there. */
function reveal() {
  const top = $('viewer').getBoundingClientRect().top;
  if (top > window.innerHeight * 0.6 || top < 0) {
    $('preview-heading').scrollIntoView({ block: 'start' });
    $('preview-heading').focus({ preventScroll: true });
  }
}

async function useFiles(files) {
  const note = files.length > 1 ? `${files.length} files were dropped: one image at a time, so this is the first, ${files[0].name}.` : '';
  use(await fromFile(files[0]), note);
}

async function useUrl(url) {
  $('image-url').value = url;
  $('image-url').removeAttribute('aria-invalid');
  $('url-msg').textContent = 'Reading\u2026';
  const src = await fromUrl(url);
  $('url-msg').textContent = '';
  use(src);
  urlBuilder.suggest(url);
}

// ---- compare with the server ----------------------------------------------------------------
async function compare() {
  const out = $('compare-result');
  if (pending()) {
    state.afterRender = compare;
    showText(out, 'Waiting for the thumbnail\u2026');
    flush();
    return;
  }
  const options = readOptions();
  if (state.comparing || !state.source || !options || overLimit()) return;
  const token = $('token').value.trim().replace(/^Bearer\s+/i, '') || currentToken();
  const problem = tokenProblem(token);
  if (problem) { showText(out, problem, 'bad'); return; }
  state.comparing = true;
  syncActions();
  out.setAttribute('aria-busy', 'true');
  showText(out, 'Asking the server\u2026');
  try {
    const got = await askServer(state.source, options, token, authConfig ? 'Sign in and try again.' : 'Paste a bearer token and try again.');
    if (got.refused) {
      showText(out, got.refused, 'bad');
    } else {
      const { sha256 } = await callWithCopy('sha256', got.bytes);
      if (state.result && state.result.ms != null) {
        showOutcome(out, state.result.sha256, sha256);
        if (state.set) await compareSet(out, token);
      } else if (state.source && !state.source.bytes) {
        showResult({ ...got, sha256, ms: null, mime: `image/${got.format}` }, options.fit, 'server');
        showText(out, `Made by the server (SHA-256 ${sha256}). This browser could not read the image, so there is no preview to compare it with.`);
      }
    }
  } catch (e) {
    showText(out, `Could not reach the server: ${e.message}`, 'bad');
  } finally {
    state.comparing = false;
    out.removeAttribute('aria-busy');
    syncActions();
  }
}

/** Every member of the set against the server's set (one request with "sizes"). */
async function compareSet(out, token) {
  const { asked, members } = state.set;
  const got = await askServerSet(state.source, asked, token, authConfig ? 'Sign in and try again.' : 'Paste a bearer token and try again.');
  if (got.refused) {
    const p = document.createElement('p');
    p.className = 'verdict bad';
    p.id = 'compare-set';
    p.textContent = got.refused;
    out.append(p);
    return;
  }
  const server = [];
  for (const m of got.members) server.push(m.error ? m : { sha256: (await callWithCopy('sha256', m.bytes)).sha256 });
  showSetOutcome(out, asked, members, server);
}

// ---- wiring ---------------------------------------------------------------------------------
wireIntake({ drop: $('drop'), input: $('file'), chooser: $('choose'), onFiles: useFiles, onUrl: useUrl });
$('url-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const url = parseUrl($('image-url').value);
  if (!url) {
    $('image-url').setAttribute('aria-invalid', 'true');
    $('url-msg').textContent = 'Give an http:// or https:// address.';
    $('url-msg').className = 'field-msg error';
    return;
  }
  $('url-msg').className = 'field-msg';
  useUrl(url);
});
// Each keystroke re-checks the fields at once (marks and Compare's state follow the text now,
// not the last render's reading of it): a field cleared and then typed into must not leave
// Compare disabled under the pointer until the render, or a press on it is lost.
const edited = () => { readOptions(); schedule(300); };
for (const id of ['width', 'height']) {
  $(id).addEventListener('input', edited);
  $(id).addEventListener('change', flush);
}
for (const id of ['fit', 'format']) $(id).addEventListener('change', () => { syncQuality(); schedule(0); });
$('quality').addEventListener('input', () => { syncQuality(); schedule(40); });
$('sizes').addEventListener('input', edited);
$('sizes').addEventListener('change', flush);
wireCopy();
$('options').addEventListener('submit', (e) => { e.preventDefault(); flush(); });
$('server-form').addEventListener('submit', (e) => { e.preventDefault(); compare(); });
$('download').addEventListener('click', (e) => {
  if ($('download').getAttribute('aria-disabled') !== 'true') return;
  e.preventDefault();
  if (pending() && state.source) {
    state.afterRender = () => { if (state.result) $('download').click(); };
    flush();
  }
});

async function start() {
  syncQuality();
  syncActions();
  try {
    const info = await call('info');
    state.limits = info.limits;
    setMaxDimension(info.limits.maxDimension);
    const el = $('engine-status');
    el.textContent = `Engine ${info.version} loaded in this browser.`;
    try {
      const v = await (await fetch('version')).json();
      if (v.engine === info.version) {
        el.textContent = `Engine ${info.version} in this browser = engine ${v.engine} on the server.`;
      } else {
        el.textContent = `Engine mismatch: this page runs engine ${info.version}, the server runs ${v.engine}. Previews may differ from the server's bytes.`;
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

// Sign-in, when the server says how (GET auth-config).
function showSignedIn() {
  const token = currentToken();
  $('signin-status').textContent = token
    ? `Signed in as ${whoIs(token)}: \u201cCompare with server\u201d sends this session\u2019s access token.`
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
const bearer = () => $('token').value.trim().replace(/^Bearer\s+/i, '') || currentToken();
const urlBuilder = wireUrlBuilder({
  current() {
    const options = readOptions();
    return { options, members: options ? readSet(options) : [] };
  },
  token: bearer,
  signedIn: () => !!bearer(),
});
$('token').addEventListener('input', urlBuilder.update);
start();
startAuth().then(urlBuilder.update);
