// sharp side of benches/formats.py: a PNG (thumbprint's resized pixels) to WebP or AVIF at a
// quality, sharp's default effort (4 for both: cwebp's -m 4), one thread, no cache. Reads
// `png<TAB>format<TAB>quality<TAB>out` lines, answers `ms<TAB>bytes`: from the PNG's bytes in
// memory to the encoded file, as thumbprint's bench worker is timed (decode + encode).
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import sharp from 'sharp';

sharp.concurrency(1);
sharp.cache(false);
const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  const [path, fmt, quality, out] = line.split('\t');
  try {
    const input = readFileSync(path);
    const t0 = process.hrtime.bigint();
    const p = sharp(input);
    const made = await (fmt === 'avif' ? p.avif({ quality: Number(quality) }) : p.webp({ quality: Number(quality) })).toBuffer();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    writeFileSync(out, made);
    console.log(`${ms.toFixed(3)}\t${made.length}`);
  } catch (e) {
    console.log(`error\t${e.message}`);
  }
}
