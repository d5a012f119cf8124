#!/usr/bin/env bash
# Builds the engine for the browser: wasm32 release build -> wasm-bindgen (--target web, from
# tools/bindgen) -> wasm-opt when the pinned npm binaryen is installed. Output: web/pkg/thumbprint_wasm{.js,_bg.wasm}.
# SIMD: the build enables simd128 (fast_image_resize uses it on wasm32 regardless); the parity
# vectors prove the bytes equal the native ones.
set -euo pipefail
cd "$(dirname "$0")/.."
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
raw=$(stat -c %s web/pkg/thumbprint_wasm_bg.wasm)
gz=$(gzip -9c web/pkg/thumbprint_wasm_bg.wasm | wc -c)
echo "wasm: ${raw} bytes raw, ${gz} bytes gzip -9"
