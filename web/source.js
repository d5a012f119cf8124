// Where the image comes from: a chosen, dropped or pasted file, or an address (dropped, pasted
// or typed). Drops anywhere on the page are caught, so the browser never opens the file in place
// of the page.

/** What the server fetches from an `image_url` at most (service/src/fetch.rs, MAX_SOURCE_BYTES). */
export const MAX_SOURCE_BYTES = 20 * 1024 * 1024;

/** A file as the page holds it. */
export async function fromFile(file) {
  return { kind: 'file', name: file.name || 'pasted image', type: file.type, bytes: new Uint8Array(await file.arrayBuffer()), url: null };
}

/** `text` as an http(s) URL, or null. */
export function parseUrl(text) {
  try {
    const u = new URL(String(text).trim());
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * An address as the page holds it. The browser reads the image itself only when the image's
 * site allows cross-origin reads (CORS) over https; otherwise `bytes` is null and `why` says
 * why, and only the server can make the thumbnail.
 */
export async function fromUrl(url) {
  const name = decodeURIComponent(new URL(url).pathname.split('/').pop() || '') || new URL(url).hostname;
  const held = { kind: 'url', name, type: '', bytes: null, url, why: '' };
  if (!url.startsWith('https:')) {
    held.why = 'the page reads https addresses only';
    return held;
  }
  try {
    const resp = await fetch(url, { mode: 'cors', credentials: 'omit', referrerPolicy: 'no-referrer' });
    if (!resp.ok) {
      held.why = `its site answered HTTP ${resp.status}`;
      return held;
    }
    const length = Number(resp.headers.get('content-length') || 0);
    if (length > MAX_SOURCE_BYTES) {
      held.why = 'it is larger than the server fetches';
      return held;
    }
    const bytes = new Uint8Array(await resp.arrayBuffer());
    if (bytes.length > MAX_SOURCE_BYTES) {
      held.why = 'it is larger than the server fetches';
      return held;
    }
    held.bytes = bytes;
    held.type = resp.headers.get('content-type') || '';
  } catch {
    // fetch says nothing more on purpose (CORS, a blocked address and a network error look alike).
    held.why = 'its site does not let other pages read it (no CORS), or it could not be reached';
  }
  return held;
}

function fromTransfer(dt) {
  const files = [...(dt.files || [])];
  if (files.length) return { files };
  const uri = (dt.getData('text/uri-list') || '').split(/\r?\n/).find((l) => l && !l.startsWith('#'));
  const url = parseUrl(uri || dt.getData('text/plain') || '');
  return url ? { url } : null;
}

/**
 * Wires the ways in: `onFiles(files)` for chosen, dropped and pasted files; `onUrl(url)` for a
 * dropped or pasted address (a paste into a text field stays a paste into that field).
 */
export function wireIntake({ drop, input, chooser, onFiles, onUrl }) {
  chooser.addEventListener('click', () => input.click());
  input.addEventListener('change', () => { if (input.files.length) onFiles([...input.files]); input.value = ''; });
  let depth = 0;
  const hint = (on) => drop.classList.toggle('over', on);
  document.addEventListener('dragenter', (e) => { e.preventDefault(); depth++; hint(true); });
  document.addEventListener('dragleave', () => { depth = Math.max(0, depth - 1); if (!depth) hint(false); });
  document.addEventListener('dragover', (e) => { e.preventDefault(); if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'; });
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    hint(false);
    const got = e.dataTransfer && fromTransfer(e.dataTransfer);
    if (got && got.files) onFiles(got.files);
    else if (got && got.url) onUrl(got.url);
  });
  document.addEventListener('paste', (e) => {
    if (!e.clipboardData) return;
    const files = [...e.clipboardData.items].filter((i) => i.kind === 'file').map((i) => i.getAsFile()).filter(Boolean);
    if (files.length) {
      e.preventDefault();
      onFiles(files);
      return;
    }
    const target = e.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) return;
    const url = parseUrl(e.clipboardData.getData('text/plain'));
    if (url) {
      e.preventDefault();
      onUrl(url);
    }
  });
}
