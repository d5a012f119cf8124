#!/usr/bin/env bash
# Lossy WebP and AVIF against libwebp and sharp in one command (issue 32): the photos (the
# corpus's and the 12 large ones), cwebp from Debian's webp, Pillow and numpy in the bench
# virtualenv, sharp from npm, thumbprint's release CLI and bench worker; then benches/formats.py.
# Usage: bash benches/formats.sh   (writes docs/bench/formats.tsv and docs/bench/formats.svg)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. benches/peers/prepare.sh
. benches/need_package.sh
need_package cwebp webp
target/bench-venv/bin/python benches/formats.py tests/corpus/photos "$photos/large" \
  --out docs/bench/formats.tsv --plot docs/bench/formats.svg "$@"
