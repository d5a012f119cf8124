#!/usr/bin/env bash
# The entropy-decoding benchmark in one command (issue 30): the baseline photos among the 12 of
# benches/peers.sh against Debian's djpeg (libjpeg-turbo-progs); then benches/entropy.py.
# Usage: bash benches/entropy.sh [--passes N]   (writes docs/bench/entropy.md)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if ! command -v djpeg >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libjpeg-turbo-progs >/dev/null
fi
bash benches/fetch_photos.sh target/photos
cargo build --release -p thumbprint-bench-worker --bin bench_worker
python3 benches/entropy.py --photos target/photos/large --worker target/release/bench_worker "$@"
