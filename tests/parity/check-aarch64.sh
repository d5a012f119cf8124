#!/usr/bin/env bash
# Parity vectors on aarch64: cross-builds the parity runner for aarch64-unknown-linux-gnu (NEON
# paths of every crate) as the Lambda is built, runs it under qemu-user and compares with tests/parity/vectors.tsv.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Built by cargo-lambda with the Lambda zip, in the same invocation (same profile, flags, linker
# and dependency graph: the engine's aarch64 code is the deployed one's).
tests/lambda/build-arm64.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unzip -o -q target/lambda/parity/bootstrap.zip -d "$work"
# Once with a thumbnail call per option set, once with one thumbnails call per file (the option
# sets as a set's members): both must print the vectors.
for mode in single sets; do
  out=$work/$mode.tsv
  flag=$([ "$mode" = sets ] && echo --sets || true)
  qemu-aarch64 -L /usr/aarch64-linux-gnu "$work/bootstrap" \
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
