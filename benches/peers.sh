#!/usr/bin/env bash
# The peer benchmark in one command: photos from Debian's lomiri wallpapers, Pillow and
# libvips in a virtualenv, sharp from npm, thumbprint's release worker; then benches/peers.py.
# Usage: bash benches/peers.sh [--passes N]   (writes docs/bench/peers.{md,svg})
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
photos=$root/target/photos
bash benches/fetch_photos.sh "$photos"
if [ ! -x target/bench-venv/bin/python ]; then python3 -m venv target/bench-venv; fi
target/bench-venv/bin/pip install -q -r benches/peers/requirements.txt
(cd benches/peers && npm install --no-audit --no-fund --silent)
cargo build --release -p thumbprint-bench-worker --bin bench_worker
cargo build --release -p thumbprint-lambda --bin thumbprint
target/bench-venv/bin/python benches/peers.py --photos "$photos" --python "$root/target/bench-venv/bin/python" "$@"
# Whole-process peak RSS of the CLI for the largest photo (20 MP, baseline) to 200 and 800 px.
for w in 200 800; do
  /usr/bin/time -f "cli_peak_rss_kib_${w}px %M" target/release/thumbprint resize \
    "$photos/large/Kleiber_by_Lukas_Baubkus.jpg" -w "$w" -o "target/bench-out/cli-$w.png" 2>&1 | tail -1
done
