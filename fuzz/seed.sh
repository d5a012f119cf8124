#!/usr/bin/env bash
# Seeds the fuzz corpora: fuzz/corpus/thumbnail and fuzz/corpus/inspect with every file of the
# test corpus (prefixed by option bytes), fuzz/corpus/thumbnails with those up to 64 KB as sets
# of 1 to 4 members (a count byte and 3 option bytes a member), fuzz/corpus/jpeg_scaled with every corpus JPEG and the
# small structured JPEGs of the hostile generator, each at both scales (selector byte 0 and 1).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${THUMBPRINT_CORPUS:-tests/corpus}
mkdir -p fuzz/corpus/thumbnail fuzz/corpus/thumbnails fuzz/corpus/inspect fuzz/corpus/jpeg_scaled
seeds=$(mktemp -d)
cargo run --release -q -p thumbprint-tests --bin hostile -- --jpeg-seeds "$seeds"
python3 - "$corpus" "$seeds" <<'PY'
import os, sys
corpus, seeds = sys.argv[1], sys.argv[2]
rows = [l.split("\t")[0] for l in open(os.path.join(corpus, "MANIFEST.tsv")).read().splitlines()[1:] if l.strip()]
jpegs = []
for i, path in enumerate(rows, 1):
    data = open(os.path.join(corpus, path), "rb").read()
    head = bytes([i % 256, (i * 7) % 256, (i * 13) % 256])
    open(f"fuzz/corpus/thumbnail/seed-{i}", "wb").write(head + data)
    # The same file at 16 px wide: JPEGs of 48 px and more take a reduced-scale decode.
    open(f"fuzz/corpus/thumbnail/seed-{i}-16px", "wb").write(bytes([15, 0, 0]) + data)
    open(f"fuzz/corpus/inspect/seed-{i}", "wb").write(bytes([i % 256]) + data)
    if len(data) <= 65_536:
        # 4 members at 16, 48, 96 and 160 px (two reduced JPEG scales and full), then 1 to 3
        # members of other options.
        sets = bytes([3, 15, 0, 0, 47, 0, 9, 95, 0, 1, 159, 1, 3])
        other = bytes([i % 3]) + bytes((i * k) % 256 for k in (3, 5, 7, 11, 13, 17, 19, 23, 29))
        open(f"fuzz/corpus/thumbnails/seed-{i}", "wb").write(sets + data)
        open(f"fuzz/corpus/thumbnails/seed-{i}-mixed", "wb").write(other[: 1 + 3 * (1 + i % 3)] + data)
    if data[:2] == b"\xff\xd8" and len(data) <= 200_000:
        jpegs.append(data)
jpegs += [open(os.path.join(seeds, n), "rb").read() for n in sorted(os.listdir(seeds))]
for i, data in enumerate(jpegs):
    for sel in (0, 1):
        open(f"fuzz/corpus/jpeg_scaled/seed-{i}-{sel}", "wb").write(bytes([sel]) + data)
print(f"seeded {2 * len(rows)} thumbnail, {len(os.listdir('fuzz/corpus/thumbnails'))} thumbnails, {len(rows)} inspect, {2 * len(jpegs)} jpeg_scaled inputs")
PY
rm -rf "$seeds"
