// The engine, off the page's thread: one Worker hosts the wasm build. After a trap it closes
// itself (its instance cannot be trusted); the calls it still held are answered with
// internal_error and a fresh Worker takes over.
let worker;
let nextId = 1;
const pending = new Map();

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

/** Sends one call (`info`, `inspect`, `thumbnail`, `thumbnails`, `sha256`) to the engine; resolves with its answer. */
export function call(type, payload = {}, transfer = []) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, type, ...payload }, transfer);
  });
}

/** A copy of `bytes` sent to the engine (the original stays with the page). */
export function callWithCopy(type, bytes, payload = {}) {
  const copy = bytes.slice();
  return call(type, { bytes: copy, ...payload }, [copy.buffer]);
}

// For the page's tests (tests/browser/): talk to the engine Worker directly.
window.thumbprintEngine = { call: (type, payload) => call(type, payload) };
