#!/usr/bin/env bash
# The peer benchmark in one command: photos from Debian's lomiri wallpapers, Pillow and
# libvips in a virtualenv, sharp from npm, thumbprint's release worker; then benches/peers.py.
# Usage: bash benches/peers.sh [--passes N]   (writes docs/bench/peers.{md,svg})
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. benches/peers/prepare.sh
target/bench-venv/bin/python benches/peers.py --photos "$photos" --python "$root/target/bench-venv/bin/python" "$@"
# Whole-process peak RSS of the CLI for the largest photo (20 MP, baseline) to 200 and 800 px.
for w in 200 800; do
  /usr/bin/time -f "cli_peak_rss_kib_${w}px %M" target/release/thumbprint resize \
    "$photos/large/Kleiber_by_Lukas_Baubkus.jpg" -w "$w" -o "target/bench-out/cli-$w.png" 2>&1 | tail -1
done
