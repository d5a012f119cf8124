#!/usr/bin/env bash
# Seeds fuzz/corpus/thumbnail with every file of the shared corpus, prefixed by option bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${THUMBPRINT_CORPUS:-../shared/corpus}
mkdir -p fuzz/corpus/thumbnail
i=0
tail -n +2 "$corpus/MANIFEST.tsv" | cut -f1 | while read -r path; do
  i=$((i + 1))
  { printf '\x%02x\x%02x\x%02x' $((i % 256)) $(((i * 7) % 256)) $(((i * 13) % 256)); cat "$corpus/$path"; } \
    > "fuzz/corpus/thumbnail/seed-$i"
done
echo "seeded $(ls fuzz/corpus/thumbnail | wc -l) inputs"
