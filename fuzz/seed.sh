#!/usr/bin/env bash
# Seeds fuzz/corpus/thumbnail with every file of the shared corpus, prefixed by 3 option bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${THUMBPRINT_CORPUS:-../shared/corpus}
mkdir -p fuzz/corpus/thumbnail
python3 - "$corpus" <<'PY'
import os, sys
corpus = sys.argv[1]
rows = [l.split("\t")[0] for l in open(os.path.join(corpus, "MANIFEST.tsv")).read().splitlines()[1:] if l.strip()]
for i, path in enumerate(rows, 1):
    head = bytes([i % 256, (i * 7) % 256, (i * 13) % 256])
    data = open(os.path.join(corpus, path), "rb").read()
    with open(f"fuzz/corpus/thumbnail/seed-{i}", "wb") as out:
        out.write(head + data)
    # The same file at 16 px wide: JPEGs of 48 px and more take a reduced-scale decode.
    with open(f"fuzz/corpus/thumbnail/seed-{i}-16px", "wb") as out:
        out.write(bytes([15, 0, 0]) + data)
print(f"seeded {2 * len(rows)} inputs")
PY
