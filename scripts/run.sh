#!/usr/bin/env bash
# Runs thumbprint locally: the API and the preview page on http://127.0.0.1:${PORT:-8080}/
# (each request goes from hyper to the handler the Lambda runs; no AWS account). With --dev-auth,
# a development token issuer on :$((PORT+1)) and the JWT check API Gateway does (README).
# Installs only what running needs (scripts/setup.sh run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
# The page's engine and the server build side by side (separate profile folders, so neither
# waits for the other's lock; on 2 cores this overlaps their single-threaded stretches). The
# server embeds the engine's build: its build script waits while scripts/build-wasm.sh runs, and
# fails loudly if web/pkg is then missing or was built from other sources (service/build.rs).
touch web/.pkg-building  # before the server's build can look (build-wasm.sh removes it)
scripts/build-wasm.sh &
wasm=$!
server_rc=0
cargo build --profile local --locked -p thumbprint-cli --bin thumbprint || server_rc=$?
wait "$wasm"
[ "$server_rc" = 0 ] || exit "$server_rc"
exec target/local/thumbprint serve --port "${PORT:-8080}" "$@"
