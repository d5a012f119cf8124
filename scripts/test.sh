#!/usr/bin/env bash
# Runs every test of thumbprint on a fresh machine: installs what is missing (scripts/setup.sh),
# then style, unit and integration tests (service, threat table, corpus manifest, OpenAPI, the
# hostile corpus against the memory budget, the local server's front door), the
# parity vectors on x86_64, aarch64 (qemu-user) and wasm32 (Node and headless Chromium), the
# preview page driven in Chromium, the real arm64 Lambda zip under qemu against a Runtime API,
# and the Terraform checks.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==== %s\n' "$*"; }

step setup;              scripts/setup.sh
step "cargo fmt";        cargo fmt --all -- --check
step "cargo clippy";     cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo doc";        RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --workspace --locked
step "fuzz targets build"; (cd fuzz && RUSTFLAGS="--cfg fuzzing" cargo check --locked --bins -q)
step "wasm build";       scripts/build-wasm.sh
step "cargo test";       cargo test --workspace --locked
step "parity aarch64";   tests/parity/check-aarch64.sh
step "parity wasm32 (Node)"; node tests/parity/wasm.mjs --check && node tests/parity/wasm.mjs --check --sets
step "release build";    cargo build --release --locked -p thumbprint-lambda --bin thumbprint
step "hostile inputs, release binary (2 s CPU, memory budget)"
THUMBPRINT_BIN="$PWD/target/release/thumbprint" cargo test --locked -p thumbprint-lambda --test hostile
step "browser (Chromium): parity and UI"; node --test tests/browser/
step "arm64 Lambda zip under qemu"; tests/lambda/roundtrip.sh
step "terraform";        tests/terraform/run.sh
if [ -f target/terraform-skipped ]; then
  step "all tests passed, but: $(cat target/terraform-skipped)"
else
  step "all tests passed"
fi
