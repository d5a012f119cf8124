// "Image URL": the current options and a source (s3://bucket/key, https://…, or local:///… on
// `thumbprint serve --local-root`) as the path of a signed image URL in imgproxy's format
// (docs/urls.md), shown unsigned as it is typed; for a signed-in user the server signs it
// (POST /sign, behind the same JWT as POST /thumbnail: the keys never reach the page) and the
// page shows the <img> to copy (srcset for a set) and the image itself, fetched from that URL.

const $ = (id) => document.getElementById(id);

/** What is wrong with a source, or null. */
export function sourceProblem(text) {
  if (!text) return 'Enter the image\u2019s source: s3://bucket/key or https://\u2026';
  if (/\s/.test(text)) return 'A source has no spaces (percent-encode them: %20).';
  if (/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/./.test(text)) return null;
  if (/^https?:\/\/[^/?#]+/i.test(text)) return null;
  if (/^local:\/\/\/./.test(text)) return null;
  return 'A source is s3://bucket/key, an http(s):// address, or local:///path on thumbprint serve.';
}

/** The source as a `plain/` segment: percent-encoded where imgproxy's reading needs it. */
export function plainSource(source) {
  return encodeURI(source).replace(/[?#@]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The processing options of the engine options `o` (the page's fields) for a `width` x `height`
 * box: the URL that answers the same bytes as POST /thumbnail with them (docs/urls.md's table).
 */
export function processing(o, width = o.width, height = o.height ?? o.width) {
  const parts = o.fit === 'contain'
    ? [`rs:fit:${width}:${height}`]
    // cover and fill reach their box whatever the source's size: imgproxy's enlarge.
    : [`rs:${o.fit === 'cover' ? 'fill' : 'force'}:${width}:${height}:1`];
  if (o.format !== 'png' && !o.lossless && o.quality) parts.push(`q:${o.quality}`);
  parts.push(`f:${o.format}`);
  return parts.join('/');
}

/** The unsigned paths: one for the options, or one per member of a set (each a square box). */
export function unsignedPaths(o, members, source) {
  const plain = plainSource(source);
  const boxes = members.length ? members.map((m) => [m.width, m.width]) : [[o.width, o.height ?? o.width]];
  return boxes.map(([w, h]) => ({ width: w, path: `/${processing(o, w, h)}/plain/${plain}` }));
}

/** The `<img>` element: one URL, or srcset by each box width with src the middle one. */
export function imgSnippet(urls) {
  if (urls.length === 1) return `<img src="${urls[0].url}" alt="">`;
  const mid = urls[Math.floor((urls.length - 1) / 2)];
  const srcset = urls.map((u) => `${u.url} ${u.width}w`).join(',\n        ');
  return `<img src="${mid.url}"\n   srcset="${srcset}"\n   sizes="(max-width: ${mid.width}px) 100vw, ${mid.width}px" alt="">`;
}

/**
 * Asks the server to sign `paths`: `{ urls: [absolute URL] }` or `{ refused: text }`. The
 * answer's base_url (the CDN's address) is where they are asked; else this page's origin.
 */
export async function signPaths(paths, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  let resp;
  try {
    resp = await fetch('sign', { method: 'POST', headers, body: JSON.stringify({ paths }) });
  } catch (e) {
    return { refused: `Could not reach the server: ${e.message}` };
  }
  if (resp.status === 401) return { refused: 'The server refused to sign (HTTP 401: sign in first, or paste a token).' };
  if (resp.status === 403) return { refused: 'The server refused to sign (HTTP 403: the token lacks the thumbnail scope).' };
  let json = null;
  try { json = await resp.json(); } catch { /* not JSON */ }
  if (resp.status === 404) return { refused: 'This server has no signing key: signed image URLs are off (docs/urls.md says how to turn them on).' };
  if (!resp.ok || !json || !Array.isArray(json.paths)) {
    const e = json && json.error;
    return { refused: `The server refused to sign (HTTP ${resp.status}${e ? `): ${e.message} (${e.code})` : ')'}` };
  }
  const base = (json.base_url || location.origin).replace(/\/+$/, '');
  return { urls: json.paths.map((p) => `${base}${p}`) };
}

/**
 * Wires the section: `current()` gives `{ options, members }` from the options form (options
 * null when a field is invalid), `token()` the bearer token to send, `signedIn()` whether one
 * is at hand.
 */
export function wireUrlBuilder({ current, token, signedIn }) {
  let shown = [];
  let seq = 0;
  function update() {
    const source = $('url-source').value.trim();
    const problem = source ? sourceProblem(source) : null;
    if (problem) $('url-source').setAttribute('aria-invalid', 'true');
    else $('url-source').removeAttribute('aria-invalid');
    $('url-source-msg').textContent = problem || 'On the server\u2019s allow-list: its buckets and origins.';
    $('url-source-msg').classList.toggle('error', !!problem);
    const { options, members } = current();
    const next = source && !problem && options ? unsignedPaths(options, members, source) : [];
    $('url-sign').disabled = !next.length;
    $('url-sign-why').textContent = !next.length
      ? 'Enter a source and valid options first.'
      : signedIn() ? 'The server signs these paths with its key.' : 'Signing needs a signed-in user or a bearer token (below).';
    const text = next.map((s) => s.path).join('\n');
    // Events that change nothing (a field losing focus) keep what is shown.
    if (text === $('url-path').value) return;
    seq += 1;
    shown = next;
    $('url-path').value = text;
    $('url-path').rows = Math.max(1, shown.length);
    $('url-result').hidden = true;
    $('signed-msg').textContent = '';
  }
  async function sign() {
    if (!shown.length) return;
    const mine = ++seq;
    const asked = shown;
    $('url-sign').setAttribute('aria-busy', 'true');
    $('signed-msg').textContent = 'Asking the server to sign\u2026';
    const got = await signPaths(asked.map((s) => s.path), token());
    $('url-sign').removeAttribute('aria-busy');
    if (mine !== seq) {
      $('signed-msg').textContent = 'The options changed while the server was signing: sign again.';
      return;
    }
    if (got.refused) {
      $('signed-msg').textContent = got.refused;
      $('signed-msg').classList.add('error');
      return;
    }
    $('signed-msg').classList.remove('error');
    const urls = got.urls.map((url, i) => ({ url, width: asked[i].width }));
    $('url-snippet').value = imgSnippet(urls);
    $('url-snippet').rows = urls.length === 1 ? 2 : urls.length + 3;
    const img = $('url-image');
    img.hidden = true;
    img.onload = () => {
      img.hidden = false;
      $('signed-msg').textContent = `Signed. The image at the URL: ${img.naturalWidth} \u00d7 ${img.naturalHeight}.`;
    };
    img.onerror = () => { $('signed-msg').textContent = 'Signed, but the image at the URL did not load: open it to see the server\u2019s answer.'; };
    img.src = urls[Math.floor((urls.length - 1) / 2)].url;
    $('url-open').href = img.src;
    $('url-result').hidden = false;
    $('signed-msg').textContent = 'Signed. Loading the image from its URL\u2026';
  }
  $('url-source').addEventListener('input', update);
  $('options').addEventListener('input', update);
  $('options').addEventListener('change', update);
  $('url-form-signed').addEventListener('submit', (e) => { e.preventDefault(); sign(); });
  $('url-copy').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText($('url-snippet').value);
      $('signed-msg').textContent = 'Copied.';
    } catch {
      $('url-snippet').select();
      $('signed-msg').textContent = 'Selected: copy it with Ctrl+C.';
    }
  });
  update();
  return { update, suggest(source) { if (!$('url-source').value) { $('url-source').value = source; update(); } } };
}
