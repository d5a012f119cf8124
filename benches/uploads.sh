#!/usr/bin/env bash
# Thumbnails on upload through the harness (benches/uploads.py): the release bootstrap, moto's
# S3 from the tests' virtualenv.
#   bash benches/uploads.sh [--uploads 100]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q -p thumbprint-lambda --bin bootstrap
venv=$(tests/python-venv.sh)
exec "$venv/bin/python" benches/uploads.py --bootstrap target/release/bootstrap "$@"
