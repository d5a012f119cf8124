#!/usr/bin/env bash
# The whole-process benchmark in one command (issue 30): the 12 large photos of benches/peers.sh,
# Debian's vipsthumbnail (libvips-tools) and thumbprint's release CLI; then benches/process.py.
# Usage: bash benches/process.sh [--passes N]   (writes docs/bench/process.md)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if ! command -v vipsthumbnail >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libvips-tools >/dev/null
fi
bash benches/fetch_photos.sh target/photos
cargo build --release -p thumbprint-cli --bin thumbprint
python3 benches/process.py --photos target/photos/large --cli target/release/thumbprint "$@"
