#!/usr/bin/env bash
# The set benchmark in one command (issue 18): the 12 large photos of benches/peers.sh, sharp and
# libvips as there, Debian's vipsthumbnail (libvips-tools), thumbprint's release worker and CLI;
# then benches/sets.py. Usage: bash benches/sets.sh [--passes N]   (writes docs/bench/sets.md)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
photos=$root/target/photos
bash benches/fetch_photos.sh "$photos"
if ! command -v vipsthumbnail >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libvips-tools >/dev/null
fi
if [ ! -x target/bench-venv/bin/python ]; then python3 -m venv target/bench-venv; fi
target/bench-venv/bin/pip install -q -r benches/peers/requirements.txt
(cd benches/peers && npm install --no-audit --no-fund --silent)
cargo build --release -p thumbprint-bench-worker --bin bench_worker
cargo build --release -p thumbprint-lambda --bin thumbprint
target/bench-venv/bin/python benches/sets.py --photos "$photos" --python "$root/target/bench-venv/bin/python" "$@"
