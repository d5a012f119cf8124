// Shared by the JavaScript parity runners (Node and Chromium): the option sets, the corpus
// manifest's paths and the golden vectors, read the same way as tests/src/lib.rs reads them.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The option sets of optionsets.tsv as engine option objects: [{name, options}]. */
export function optionSets() {
  return readFileSync(join(here, 'optionsets.tsv'), 'utf8').split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [name, width, height, fit, format, quality, lossless] = l.split('\t');
      const options = { width: Number(width), fit, format };
      if (height !== '-') options.height = Number(height);
      if (quality !== '-') options.quality = Number(quality);
      if (lossless === 'true') options.lossless = true;
      return { name, options };
    });
}

/** The quality sweeps of sweeps.tsv: `{path, members: [{name, options}]}`. */
export function sweeps() {
  return readFileSync(join(here, 'sweeps.tsv'), 'utf8').split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [path, name, width, format, range] = l.split('\t');
      const [lo, hi] = range.split('-').map(Number);
      const members = [];
      for (let q = lo; q <= hi; q++) {
        members.push({ name: `${name}-q${q}`, options: { width: Number(width), format, quality: q } });
      }
      return { path, members };
    });
}

/** The paths of MANIFEST.tsv, in order. */
export function manifestPaths(corpus) {
  const rows = readFileSync(join(corpus, 'MANIFEST.tsv'), 'utf8').split('\n').filter((l) => l.trim());
  const col = rows[0].split('\t').indexOf('path');
  return rows.slice(1).map((r) => r.split('\t')[col]);
}

/** vectors.tsv: its header line and a Map "path\tset" -> result. */
export function golden() {
  const lines = readFileSync(join(here, 'vectors.tsv'), 'utf8').split('\n').filter((l) => l.trim());
  const want = new Map(lines.slice(1).map((l) => { const f = l.split('\t'); return [`${f[0]}\t${f[1]}`, f[2]]; }));
  return { header: lines[0], want, count: lines.length };
}
