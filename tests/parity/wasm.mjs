// Parity vectors on wasm32 in Node: runs every corpus file through the wasm engine
// (web/pkg, built by scripts/build-wasm.sh) with the option sets of optionsets.tsv and prints the
// same lines as the native `parity` binary. With --check, compares with vectors.tsv instead.
// With --sets, each file goes through one `thumbnails` call with every option set as a member.
//
//   node tests/parity/wasm.mjs [--check] [--sets] [CORPUS_DIR]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { golden, manifestPaths, optionSets, sweeps } from './corpus.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const asSet = args.includes('--sets');
const corpus = args.find((a) => !a.startsWith('--')) || process.env.THUMBPRINT_CORPUS
  || join(root, 'tests', 'corpus');

const pkg = await import(join(root, 'web', 'pkg', 'thumbprint_wasm.js'));
pkg.initSync({ module: readFileSync(join(root, 'web', 'pkg', 'thumbprint_wasm_bg.wasm')) });

const sets = optionSets();
const lines = [`# engine ${pkg.engineVersion()}`];
for (const path of manifestPaths(corpus)) {
  const bytes = readFileSync(join(corpus, path));
  const members = asSet ? pkg.thumbnails(bytes, sets.map((s) => s.options)) : null;
  sets.forEach((set, i) => {
    let result;
    if (members) {
      const m = members[i];
      result = m.error ? `error:${m.error.code}` : pkg.sha256(m.bytes);
    } else {
      try {
        result = pkg.sha256(pkg.thumbnail(bytes, set.options).bytes);
      } catch (e) {
        if (!e.code) throw e;
        result = `error:${e.code}`;
      }
    }
    lines.push(`${path}\t${set.name}\t${result}`);
  });
}

for (const sweep of sweeps()) {
  const bytes = readFileSync(join(corpus, sweep.path));
  const results = [];
  if (asSet) {
    for (let i = 0; i < sweep.members.length; i += 8) {
      const chunk = sweep.members.slice(i, i + 8).map((m) => m.options);
      for (const m of pkg.thumbnails(bytes, chunk)) {
        results.push(m.error ? `error:${m.error.code}` : pkg.sha256(m.bytes));
      }
    }
  } else {
    for (const m of sweep.members) {
      try {
        results.push(pkg.sha256(pkg.thumbnail(bytes, m.options).bytes));
      } catch (e) {
        if (!e.code) throw e;
        results.push(`error:${e.code}`);
      }
    }
  }
  sweep.members.forEach((m, i) => lines.push(`${sweep.path}\t${m.name}\t${results[i]}`));
}

if (!check) {
  process.stdout.write(lines.join('\n') + '\n');
} else {
  const { header, want, count } = golden();
  want.set(header, header);
  let bad = 0;
  for (const l of lines) {
    const f = l.split('\t');
    const key = f.slice(0, 2).join('\t');
    const got = f[2] ?? l;
    if (want.get(key) !== got) { bad++; console.log(`MISMATCH ${key}: wasm ${got}, golden ${want.get(key)}`); }
  }
  if (count !== lines.length) { bad++; console.log(`line count: wasm ${lines.length}, golden ${count}`); }
  console.log(`wasm parity${asSet ? ' (sets)' : ''}: ${lines.length - 1 - bad} passed, ${bad} failed`);
  process.exit(bad ? 1 : 0);
}
