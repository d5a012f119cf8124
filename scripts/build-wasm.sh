#!/usr/bin/env bash
# Builds the engine for the browser: wasm32 release build -> wasm-bindgen (--target web, from
# tools/bindgen) -> wasm-opt when the pinned npm binaryen is installed. Output: web/pkg/thumbprint_wasm{.js,_bg.wasm}.
# SIMD: the build enables simd128 (fast_image_resize uses it on wasm32 regardless); the parity
# vectors prove the bytes equal the native ones.
set -euo pipefail
cd "$(dirname "$0")/.."
# The digest of the sources this build is made from (service/build.rs checks it, and refuses to
# embed a web/pkg built from other sources): each file's sha256sum, sorted by path, hashed again.
# The list is service/build.rs's ENGINE_SOURCES.
engine_sources() {
  { find core/src wasm/src -type f
    printf '%s\n' core/Cargo.toml wasm/Cargo.toml Cargo.toml Cargo.lock scripts/build-wasm.sh
  } | LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum | cut -d' ' -f1
}
digest=$(engine_sources)
# While this runs, a server build (service/build.rs) waits for it instead of embedding a web/pkg
# that is about to be replaced.
mkdir -p web
touch web/.pkg-building
trap 'rm -f web/.pkg-building' EXIT
RUSTFLAGS="-C target-feature=+simd128" \
  cargo build --release --locked -p thumbprint-wasm --target wasm32-unknown-unknown
rm -rf web/pkg
# wasm-bindgen's library, pinned by Cargo.lock with the wasm-bindgen crate itself (tools/bindgen).
cargo run --locked -q --profile tool -p thumbprint-bindgen -- \
  target/wasm32-unknown-unknown/release/thumbprint_wasm.wasm web/pkg
if [ -x node_modules/.bin/wasm-opt ]; then
  node_modules/.bin/wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    web/pkg/thumbprint_wasm_bg.wasm -o web/pkg/thumbprint_wasm_bg.wasm
fi
echo "$digest" > web/pkg/.engine-sources
raw=$(stat -c %s web/pkg/thumbprint_wasm_bg.wasm)
gz=$(gzip -9c web/pkg/thumbprint_wasm_bg.wasm | wc -c)
echo "wasm: ${raw} bytes raw, ${gz} bytes gzip -9"
