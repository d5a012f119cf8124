#!/usr/bin/env bash
# The set benchmark in one command (issue 18): the 12 large photos of benches/peers.sh, sharp and
# libvips as there, Debian's vipsthumbnail (libvips-tools), thumbprint's release worker and CLI;
# then benches/sets.py. Usage: bash benches/sets.sh [--passes N]   (writes docs/bench/sets.md)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. benches/need_package.sh
need_package vipsthumbnail libvips-tools
. benches/peers/prepare.sh
target/bench-venv/bin/python benches/sets.py --photos "$photos" --python "$root/target/bench-venv/bin/python" "$@"
