#!/usr/bin/env bash
# Parity vectors on aarch64: cross-builds the parity runner for aarch64-unknown-linux-gnu (NEON
# paths of every crate) as the Lambda is built, runs it under qemu-user and compares with tests/parity/vectors.tsv.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Built by cargo-lambda exactly as the Lambda zip is (same profile, flags and linker: the
# engine's aarch64 code is the deployed one's), into target/lambda/parity/bootstrap.
cargo lambda build --release --arm64 --locked -p thumbprint-tests --bin parity
# Once with a thumbnail call per option set, once with one thumbnails call per file (the option
# sets as a set's members): both must print the vectors.
for mode in single sets; do
  out=$(mktemp)
  flag=$([ "$mode" = sets ] && echo --sets || true)
  qemu-aarch64 -L /usr/aarch64-linux-gnu target/lambda/parity/bootstrap \
    $flag "${THUMBPRINT_CORPUS:-tests/corpus}" >"$out"
  total=$(grep -vc '^#' tests/parity/vectors.tsv)
  if diff -u tests/parity/vectors.tsv "$out"; then
    echo "aarch64 parity ($mode): $total passed, 0 failed"
  else
    bad=$(diff tests/parity/vectors.tsv "$out" | grep -c '^>' || true)
    echo "aarch64 parity ($mode): $((total - bad)) passed, $bad failed"
    exit 1
  fi
done
