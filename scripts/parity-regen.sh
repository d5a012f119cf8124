#!/usr/bin/env bash
# Re-records tests/parity/vectors.tsv on this (x86_64) machine. Only when output is meant to
# change: bump ENGINE_VERSION in core/src/lib.rs first, then run this; then
# tests/parity/check-aarch64.sh, `node tests/parity/wasm.mjs --check` and the browser parity test
# (all run by scripts/test.sh) must pass too, and the commit message says why the bytes changed.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release --locked -q -p thumbprint-tests --bin parity > tests/parity/vectors.tsv
echo "recorded $(grep -vc '^#' tests/parity/vectors.tsv) vectors for $(head -1 tests/parity/vectors.tsv)"
