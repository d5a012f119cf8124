// A thumbnail set (the "Set of sizes (srcset)" field): every member made in the browser by one
// engine call, shown with its size, bytes and ETag, a file per member, the <img srcset> of
// the set, and "Compare with server" member by member.
import { dims, describe, fmtBytes } from './text.js';

const $ = (id) => document.getElementById(id);
let urls = [];

/** The file name of a member, as Download and `thumbprint resize -o DIR/` name it. */
export function fileName(stem, m) {
  return `${stem || 'thumbnail'}-${m.width}x${m.height}.${m.format === 'jpeg' ? 'jpg' : m.format}`;
}

/** The `<img>` element of a set: srcset by each distinct width, src the middle member. */
export function srcsetSnippet(stem, members) {
  const seen = new Set();
  const ok = members.filter((m) => m.ok && !seen.has(m.width) && seen.add(m.width));
  if (!ok.length) return '';
  const mid = ok[Math.floor((ok.length - 1) / 2)];
  const srcset = ok.map((m) => `${fileName(stem, m)} ${m.width}w`).join(',\n        ');
  return `<img src="${fileName(stem, mid)}"\n   srcset="${srcset}"\n   sizes="(max-width: ${mid.width}px) 100vw, ${mid.width}px"\n   width="${mid.width}" height="${mid.height}" alt="">`;
}

export function clearSet() {
  for (const u of urls) URL.revokeObjectURL(u);
  urls = [];
  $('set').hidden = true;
  $('set-table').tBodies[0].replaceChildren();
  $('srcset').value = '';
  $('set-msg').textContent = '';
}

function cell(row, text, className = '') {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.append(td);
  return td;
}

/**
 * Shows the set: `asked` the members' options, `members` the engine's answers in order (each
 * `{ok, width, height, format, bytes, etag, sha256}` or `{ok: false, code, message}`).
 */
export function showSet(stem, asked, members) {
  clearSet();
  const body = $('set-table').tBodies[0];
  members.forEach((m, i) => {
    const row = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = `${asked[i].width} px`;
    row.append(th);
    if (m.ok) {
      cell(row, `${dims(m.width, m.height)} ${m.format.toUpperCase()}`);
      cell(row, fmtBytes(m.bytes.length));
      cell(row, m.etag, 'mono etag');
      const url = URL.createObjectURL(new Blob([m.bytes], { type: m.mime || `image/${m.format}` }));
      urls.push(url);
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName(stem, m);
      a.textContent = a.download;
      row.append(Object.assign(document.createElement('td'), { className: 'mono' }));
      row.lastChild.append(a);
    } else {
      const td = cell(row, describe(m.code, m.message), 'error');
      td.colSpan = 4;
    }
    body.append(row);
  });
  $('srcset').value = srcsetSnippet(stem, members);
  $('set').hidden = false;
}

/** "Copy" beside the snippet. */
export function wireCopy() {
  $('copy-srcset').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText($('srcset').value);
      $('set-msg').textContent = 'Copied.';
    } catch {
      $('srcset').select();
      $('set-msg').textContent = 'Selected: press Ctrl+C (\u2318C) to copy.';
    }
  });
}

/**
 * The server's set beside the browser's: one row per member, "Identical" or "Different" with
 * both SHA-256, or the member's error. `server` is `[{sha256} | {error: text}]` in order.
 */
export function showSetOutcome(out, asked, browser, server) {
  const block = document.createElement('div');
  block.id = 'compare-set';
  const same = browser.filter((b, i) => b.ok && server[i] && server[i].sha256 === b.sha256).length;
  const made = browser.filter((b) => b.ok).length;
  const head = document.createElement('p');
  head.className = same === made && made === asked.length ? 'verdict ok' : 'verdict bad';
  head.textContent = same === made
    ? `Set: all ${made} member${made === 1 ? '' : 's'} the browser made are identical on the server.`
    : `Set: ${made - same} of ${made} members differ from the server.`;
  const table = document.createElement('table');
  table.className = 'set-compare';
  table.innerHTML = '<caption class="visually-hidden">Each member: this browser and the server</caption><thead><tr><th scope="col">Width asked</th><th scope="col">Verdict</th><th scope="col">SHA-256: this browser, the server</th></tr></thead>';
  const body = document.createElement('tbody');
  asked.forEach((a, i) => {
    const b = browser[i];
    const s = server[i] || { error: 'no answer' };
    const row = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = `${a.width} px`;
    row.append(th);
    const verdict = s.error
      ? (b.ok ? `Different: the server refused it (${s.error})` : `Both refused it (${s.error})`)
      : !b.ok ? 'Different: the browser refused it' : s.sha256 === b.sha256 ? 'Identical' : 'Different';
    cell(row, verdict, verdict.startsWith('Identical') || verdict.startsWith('Both') ? 'ok' : 'bad');
    const hashes = cell(row, '', 'mono');
    for (const [who, sha] of [['browser', b.ok ? b.sha256 : '\u2014'], ['server', s.sha256 || '\u2014']]) {
      const line = document.createElement('span');
      line.className = `sha-${who}`;
      line.textContent = sha;
      hashes.append(line);
    }
    body.append(row);
  });
  table.append(body);
  block.append(head, table);
  out.append(block);
}
