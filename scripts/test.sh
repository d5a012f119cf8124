#!/usr/bin/env bash
# Runs every test of thumbprint on a fresh machine: installs what is missing (scripts/setup.sh),
# then style, unit and integration tests, the corpus manifest walk, and the parity vectors on
# x86_64, aarch64 (qemu-user) and wasm32 (Node).
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n==== %s\n' "$*"; }

step setup;            scripts/setup.sh
step "cargo fmt";      cargo fmt --all -- --check
step "cargo clippy";   cargo clippy --workspace --all-targets --locked -- -D warnings
step "cargo test";     cargo test --workspace --locked
step "parity aarch64"; tests/parity/check-aarch64.sh
step "wasm build";     scripts/build-wasm.sh
step "parity wasm32 (Node)"; node tests/parity/wasm.mjs --check
step "all tests passed"
