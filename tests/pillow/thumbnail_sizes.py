#!/usr/bin/env python3
"""Records the sizes Pillow's own Image.thumbnail((bw, bh)) gives, for core's geometry test.

Usage: python3 tests/pillow/thumbnail_sizes.py > tests/pillow/thumbnail_sizes.tsv
(needs `pip install pillow==13.0.0`). Pillow's size rule runs unchanged; only its resize is
replaced by a stub, so sources of any size cost nothing. The cases are a dense grid of small
sizes (where exact ties between floor and ceil are common), every exact tie met in a sweep of
random sizes, and random sources and boxes up to the 64 Mpx budget. Seeded: the output is stable.
"""
import random

import PIL
from PIL import Image

STUB = Image.new("1", (1, 1))


def pillow_size(sw, sh, bw, bh):
    im = Image.new("1", (1, 1))
    im._size = (sw, sh)
    im.draft = lambda *a, **k: None
    im.resize = lambda size, *a, **k: STUB
    im.thumbnail((bw, bh))
    return im.size


def is_tie(sw, sh, bw, bh):
    """Whether the exact proportional side is equally close (in Pillow's measure) to floor and ceil."""
    if bw >= sw and bh >= sh:
        return False
    if bw * sh >= sw * bh:
        f, c = sw * bh // sh, -(-sw * bh // sh)
        return f != c and abs(sw * bh - f * sh) == abs(sw * bh - c * sh)
    f, c = bw * sh // sw, -(-bw * sh // sw)
    return f not in (0, c) and abs(sw * f - bw * sh) * c == abs(sw * c - bw * sh) * f


def main():
    rng = random.Random(20261128)
    cases = []
    for sw in range(1, 33):
        for sh in range(1, 33):
            for b in (1, 2, 3, 5, 7, 16):
                cases.append((sw, sh, b, b))
    ties = 0
    while ties < 400:
        sw, sh = rng.randint(1, 5000), rng.randint(1, 5000)
        bw = rng.randint(1, 800)
        bh = rng.choice((bw, rng.randint(1, 800)))
        if is_tie(sw, sh, bw, bh):
            cases.append((sw, sh, bw, bh))
            ties += 1
    for _ in range(2000):
        sw = rng.randint(1, 1 << 26)
        sh = rng.randint(1, max(1, (1 << 26) // sw))
        if rng.random() < 0.5:
            sw, sh = sh, sw
        bw = rng.choice((16, 120, 200, 800, rng.randint(1, 4096)))
        bh = rng.choice((bw, rng.randint(1, 4096)))
        cases.append((sw, sh, bw, bh))
    print(f"# source_w\tsource_h\tbox_w\tbox_h\tpillow_w\tpillow_h  (Pillow {PIL.__version__} Image.thumbnail)")
    for sw, sh, bw, bh in cases:
        w, h = pillow_size(sw, sh, bw, bh)
        print(f"{sw}\t{sh}\t{bw}\t{bh}\t{w}\t{h}")


if __name__ == "__main__":
    main()
