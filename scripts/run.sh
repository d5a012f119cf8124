#!/usr/bin/env bash
# Runs thumbprint locally: the API and the preview page on http://127.0.0.1:${PORT:-8080}/
# (each request goes from hyper to the handler the Lambda runs; no AWS account, no JWT).
# Installs only what running needs (scripts/setup.sh run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
scripts/build-wasm.sh
cargo build --release --locked -p thumbprint-lambda --bin thumbprint
exec target/release/thumbprint serve --port "${PORT:-8080}" "$@"
