// The engine runs here, off the page's thread: messages in {id, type, ...}, out {id, ok, ...}.
// A trap (WebAssembly.RuntimeError: an engine panic under panic=abort) leaves the instance
// unusable; the answer then says `restart` and this Worker closes, and the page starts a fresh
// one.
import init, { thumbnail, thumbnails, inspect, engineVersion, limits, sha256, trapForTests, warmUp } from './pkg/thumbprint_wasm.js';

const ready = init().then(() => ({ version: engineVersion(), limits: limits() }));
// Once loaded, a made-up photo goes through the engine (about 0.1-0.3 s, off the page's thread)
// so that the browser has compiled and optimised its hot code before a person's first file: a
// cold engine took 4-5x its steady time on that first one (benches/browser_vs_native.mjs).
// A call that arrives meanwhile waits for it, as it would for any other call; should it trap,
// the next call answers as a trap does (the page then starts a fresh Worker).
let warmUpTrap = null;
ready.then(() => setTimeout(() => {
  try { warmUp(); } catch (e) { warmUpTrap = e; }
}, 0));

self.onmessage = async (event) => {
  const { id, type } = event.data;
  try {
    const info = await ready;
    if (warmUpTrap) throw warmUpTrap;
    if (type === 'info') {
      self.postMessage({ id, ok: true, ...info });
    } else if (type === 'inspect') {
      self.postMessage({ id, ok: true, ...inspect(event.data.bytes) });
    } else if (type === 'thumbnail') {
      const t0 = performance.now();
      const out = thumbnail(event.data.bytes, event.data.options);
      const ms = performance.now() - t0;
      const hash = sha256(out.bytes);
      self.postMessage({ id, ok: true, ms, sha256: hash, width: out.width, height: out.height,
        format: out.format, mime: out.mime, etag: out.etag, bytes: out.bytes }, [out.bytes.buffer]);
    } else if (type === 'thumbnails') {
      const t0 = performance.now();
      const set = thumbnails(event.data.bytes, event.data.members);
      const ms = performance.now() - t0;
      const members = set.map((m) => (m.error
        ? { ok: false, code: m.error.code, message: m.error.message }
        : { ok: true, sha256: sha256(m.bytes), width: m.width, height: m.height, format: m.format, mime: m.mime, etag: m.etag, bytes: m.bytes }));
      self.postMessage({ id, ok: true, ms, members }, members.filter((m) => m.ok).map((m) => m.bytes.buffer));
    } else if (type === 'sha256') {
      self.postMessage({ id, ok: true, sha256: sha256(event.data.bytes) });
    } else if (type === 'trap-for-tests') {
      trapForTests();
    }
  } catch (e) {
    const trapped = e instanceof WebAssembly.RuntimeError;
    self.postMessage({ id, ok: false, code: e && e.code ? e.code : 'internal_error',
      message: String(e && e.message || e), restart: trapped });
    if (trapped) self.close();
  }
};
