#!/usr/bin/env bash
# What benches/peers.sh and benches/sets.sh both need, from the project root: the 12 large photos
# in target/photos, Pillow and libvips in target/bench-venv, sharp from npm, and thumbprint's
# release worker and CLI. Sourced (it sets `photos`).
photos=$PWD/target/photos
bash benches/fetch_photos.sh "$photos"
if [ ! -x target/bench-venv/bin/python ]; then python3 -m venv target/bench-venv; fi
target/bench-venv/bin/pip install -q -r benches/peers/requirements.txt
(cd benches/peers && npm install --no-audit --no-fund --silent)
cargo build --release -p thumbprint-bench-worker --bin bench_worker
cargo build --release -p thumbprint-cli --bin thumbprint
