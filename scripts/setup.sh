#!/usr/bin/env bash
# Installs what building and testing thumbprint needs on a fresh Debian machine with rustup.
# `scripts/setup.sh run` installs only what running the service and the page needs (the wasm32
# target and npm's binaryen): no qemu, aarch64 linker, Chromium or cargo-lambda. wasm-bindgen is
# not installed at all: tools/bindgen runs its library, pinned by Cargo.lock.
# Idempotent: each step is skipped when its tool is already there. Needs the package registries
# (crates.io, Debian, npm) only.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}

if [ "$mode" = run ]; then
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
  if [ ! -d node_modules/binaryen ]; then
    echo "setup: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
  exit 0
fi

need_apt=()
command -v qemu-aarch64 >/dev/null || need_apt+=(qemu-user)
command -v aarch64-linux-gnu-gcc >/dev/null || need_apt+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
if [ "${THUMBPRINT_BROWSER:-1}" = 1 ] && ! command -v chromium >/dev/null; then need_apt+=(chromium); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "setup: apt-get install ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

installed_targets=$(rustup target list --installed)
for t in wasm32-unknown-unknown aarch64-unknown-linux-gnu; do
  grep -qx "$t" <<<"$installed_targets" || rustup target add "$t"
done
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

if ! command -v cargo-lambda >/dev/null; then
  echo "setup: pip install cargo-lambda (builds the arm64 Lambda zip; brings zig)"
  python3 -m pip install --quiet cargo-lambda==1.9.2
fi

if [ ! -d node_modules/binaryen ] || [ ! -d node_modules/playwright-core ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
