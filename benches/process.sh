#!/usr/bin/env bash
# The whole-process benchmark in one command (issue 30): the 12 large photos of benches/peers.sh,
# Debian's vipsthumbnail (libvips-tools) and thumbprint's release CLI; then benches/process.py.
# Usage: bash benches/process.sh [--passes N]   (writes docs/bench/process.md)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. benches/need_package.sh
need_package vipsthumbnail libvips-tools
bash benches/fetch_photos.sh target/photos
cargo build --release -p thumbprint-cli --bin thumbprint
python3 benches/process.py --photos target/photos/large --cli target/release/thumbprint "$@"
