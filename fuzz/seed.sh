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
    with open(f"fuzz/corpus/thumbnail/seed-{i}", "wb") as out:
        out.write(head + open(os.path.join(corpus, path), "rb").read())
print(f"seeded {len(rows)} inputs")
PY
