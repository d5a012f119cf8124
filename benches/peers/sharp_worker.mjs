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
