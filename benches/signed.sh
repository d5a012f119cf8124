#!/usr/bin/env bash
# Signed image URLs end to end (benches/signed.py): the large-photo set (benches/fetch_photos.sh),
# the release `thumbprint`, moto's S3 server from the tests' virtualenv; then the run.
#   bash benches/signed.sh [--seconds 60] [--clients 8] [--runs 10]
set -euo pipefail
cd "$(dirname "$0")/.."
benches/fetch_photos.sh target/bench-photos >/dev/null
cargo build --release --locked -q -p thumbprint-cli --bin thumbprint
venv=$(tests/python-venv.sh)
exec "$venv/bin/python" benches/signed.py --binary target/release/thumbprint --photos target/bench-photos/large "$@"
