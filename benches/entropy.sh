#!/usr/bin/env bash
# The entropy-decoding benchmark in one command (issue 30): the baseline photos among the 12 of
# benches/peers.sh against Debian's djpeg (libjpeg-turbo-progs); then benches/entropy.py.
# Usage: bash benches/entropy.sh [--passes N]   (writes docs/bench/entropy.md)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. benches/need_package.sh
need_package djpeg libjpeg-turbo-progs
bash benches/fetch_photos.sh target/photos
cargo build --release -p thumbprint-bench-worker --bin bench_worker
python3 benches/entropy.py --photos target/photos/large --worker target/release/bench_worker "$@"
