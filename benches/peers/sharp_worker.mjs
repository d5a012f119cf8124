// sharp side of benches/peers.py: resize(w, w, fit inside), one thread, no cache.
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import sharp from 'sharp';

sharp.concurrency(1);
sharp.cache(false);
const cache = new Map();
const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  const [path, width, fmt, out] = line.split('\t');
  const w = Number(width);
  if (!cache.has(path)) cache.set(path, readFileSync(path));
  if (width.includes(':')) {
    // Several widths of one input: `set:` one sharp input with a clone() pipeline per width
    // (sharp's own way of making several outputs from one input), `each:` one pipeline each.
    const [mode, list] = width.split(':');
    const widths = list.split(',').map(Number);
    try {
      const t0 = process.hrtime.bigint();
      const encode = (p) => (fmt === 'jpeg' ? p.jpeg({ quality: 80 }) : p.png()).toBuffer({ resolveWithObject: true });
      let made;
      if (mode === 'set') {
        const input = sharp(cache.get(path));
        made = await Promise.all(widths.map((x) => encode(input.clone().resize(x, x, { fit: 'inside' }))));
      } else {
        made = [];
        for (const x of widths) made.push(await encode(sharp(cache.get(path)).resize(x, x, { fit: 'inside' })));
      }
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      made.forEach((m, i) => writeFileSync(`${out}.${i}`, m.data));
      const last = made[made.length - 1].info;
      process.stdout.write(`${ms.toFixed(3)}\t${made.reduce((n, m) => n + m.data.length, 0)}\t${last.width}\t${last.height}\n`);
    } catch (e) {
      process.stdout.write(`error\t${e.name}\n`);
    }
    continue;
  }
  try {
    const t0 = process.hrtime.bigint();
    let s = sharp(cache.get(path)).resize(w, w, { fit: 'inside' });
    s = fmt === 'jpeg' ? s.jpeg({ quality: 80 }) : s.png();
    const { data, info } = await s.toBuffer({ resolveWithObject: true });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    writeFileSync(out, data);
    process.stdout.write(`${ms.toFixed(3)}\t${data.length}\t${info.width}\t${info.height}\n`);
  } catch (e) {
    process.stdout.write(`error\t${e.name}\n`);
  }
}
