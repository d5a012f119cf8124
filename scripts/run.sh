#!/usr/bin/env bash
# Runs thumbprint locally: the API and the preview page on http://127.0.0.1:${PORT:-8080}/
# (each request handled by the Lambda's own code as a payload-2.0 event; no AWS account, no JWT).
set -euo pipefail
cd "$(dirname "$0")/.."
THUMBPRINT_BROWSER=0 scripts/setup.sh
scripts/build-wasm.sh
cargo build --release --locked -p thumbprint-lambda --bin thumbprint
exec target/release/thumbprint serve --port "${PORT:-8080}" "$@"
