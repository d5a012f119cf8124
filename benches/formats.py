#!/usr/bin/env python3
"""Lossy WebP and AVIF against libwebp (issue 32): for every photo at 320 and 640 px, the same
resized pixels (thumbprint's PNG) go through thumbprint's WebP encoder, `cwebp -m 4`, and
thumbprint's AVIF; bytes at equal PSNR (RGB, against those pixels) and encode time.

  python3 benches/formats.py PHOTO_DIR... [--out docs/bench/formats.tsv] [--plot docs/bench/formats.svg]

Bytes at equal PSNR: each encoder's (PSNR, bytes) curve over a quality sweep, interpolated
(log bytes, linear in PSNR) at the PSNR thumbprint reaches at 50, 75 and 90. Times are whole
processes (the CLI reads the PNG; cwebp reads the PNG), the median of 3 runs, run side by side.
Needs Pillow and numpy (benches/formats.sh makes a virtualenv).
"""
import argparse, math, os, shutil, statistics, subprocess, sys, tempfile, time
import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.environ.get("THUMBPRINT_BIN", os.path.join(ROOT, "target", "release", "thumbprint"))
WORKER = os.environ.get("THUMBPRINT_WORKER", os.path.join(ROOT, "target", "release", "bench_worker"))
SHARP = os.path.join(ROOT, "benches", "peers", "sharp_encode.mjs")


class Pipe:
    """A line-protocol worker: one request line in, one answer line out."""

    def __init__(self, args):
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                  cwd=os.path.dirname(args[-1]) if args[0] == "node" else None)

    def ask(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        return self.p.stdout.readline().rstrip("\n").split("\t")


def in_process(worker, sharp, png, fmt, q, tmp, n=5):
    """Median ms of thumbprint's engine (bench worker: PNG bytes to fmt at the same size) and of
    sharp (PNG bytes to fmt), interleaved."""
    ours, theirs = [], []
    for _ in range(n):
        a = worker.ask(f"{png}\t4096\t{fmt}:{q}\t{os.path.join(tmp, 'w.out')}")
        b = sharp.ask(f"{png}\t{fmt}\t{q}\t{os.path.join(tmp, 's.out')}")
        if a[0] == "error" or b[0] == "error":
            return None
        ours.append(float(a[0]))
        theirs.append(float(b[0]))
    return statistics.median(ours), statistics.median(theirs)
SWEEP = list(range(5, 101, 5))
POINTS = [50, 75, 90]


def run(args):
    t = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - t


def timed(args, n=3):
    return statistics.median(run(args) for _ in range(n))


def pixels(path, alpha=False):
    return np.asarray(Image.open(path).convert("RGBA" if alpha else "RGB"), dtype=np.float64)


def has_alpha(path):
    return bool((np.asarray(Image.open(path).convert("RGBA"))[..., 3] < 255).any())


def psnr(a, b):
    mse = ((a - b) ** 2).mean()
    return 99.0 if mse == 0 else 10 * math.log10(255 * 255 / mse)


def ours(png, out, fmt, q):
    return [CLI, "resize", "-w", "4096", "-f", fmt, "-q", str(q), "-o", out, png]


def cwebp(png, out, q):
    return ["cwebp", "-quiet", "-m", "4", "-q", str(q), png, "-o", out]


def ms_pair(pair):
    return ("", "") if pair is None else tuple(f"{v:.2f}" for v in pair)


def curve(make, ref, tmp):
    pts = []
    for q in SWEEP:
        out = os.path.join(tmp, f"c{q}")
        run(make(out, q))
        pts.append((psnr(ref, pixels(out, ref.shape[2] == 4)), os.path.getsize(out)))
    return sorted(pts)


def bytes_at(curve_pts, target):
    """Bytes at `target` PSNR on a (psnr, bytes) curve: log-linear interpolation; None outside."""
    for (p0, b0), (p1, b1) in zip(curve_pts, curve_pts[1:]):
        if p0 <= target <= p1 and p1 > p0:
            t = (target - p0) / (p1 - p0)
            return math.exp(math.log(b0) + t * (math.log(b1) - math.log(b0)))
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--out")
    ap.add_argument("--plot")
    ap.add_argument("--widths", default="320,640")
    a = ap.parse_args()
    photos = sorted(
        os.path.join(d, f) for d in a.dirs for f in os.listdir(d)
        if f.lower().endswith((".jpg", ".jpeg", ".png"))
    )
    rows, curves = [], []
    header = ("photo\twidth\tq\tpsnr\tours_B\tcwebp_B_at_psnr\tratio\tavif_q\tavif_psnr\tavif_B"
              "\tours_webp_B_at_avif_psnr\tours_s\tcwebp_s\tavif_s\tours_webp_ms\tsharp_webp_ms"
              "\tours_avif_ms\tsharp_avif_ms")
    worker = Pipe([WORKER]) if os.path.exists(WORKER) else None
    sharp = Pipe(["node", SHARP]) if shutil.which("node") else None
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        for photo in photos:
            for w in map(int, a.widths.split(",")):
                # A path of its own: the bench worker keeps each path's bytes.
                png = os.path.join(tmp, f"ref-{len(curves)}.png")
                run([CLI, "resize", "-w", str(w), "-f", "png", "-o", png, photo])
                # RGBA where the thumbnail has transparency (alpha is then part of the error and
                # of the bytes), else RGB.
                ref = pixels(png, has_alpha(png))
                alpha = ref.shape[2] == 4
                mine = curve(lambda o, q: ours(png, o, "webp", q), ref, tmp)
                theirs = curve(lambda o, q: cwebp(png, o, q), ref, tmp)
                curves.append((os.path.basename(photo), w, mine, theirs))
                avif = os.path.join(tmp, "a.avif")
                avif_s = timed(ours(png, avif, "avif", 50))
                avif_p = psnr(ref, pixels(avif, alpha)) if avif_readable() else float("nan")
                avif_b = os.path.getsize(avif)
                for q in POINTS:
                    out = os.path.join(tmp, "o.webp")
                    ours_s = timed(ours(png, out, "webp", q))
                    p = psnr(ref, pixels(out, alpha))
                    b = os.path.getsize(out)
                    cb = bytes_at(theirs, p)
                    cq = os.path.join(tmp, "c.webp")
                    cwebp_s = timed(cwebp(png, cq, q))
                    webp_ms = in_process(worker, sharp, png, "webp", q, tmp) if worker and sharp else None
                    avif_ms = (in_process(worker, sharp, png, "avif", 50, tmp, 3)
                               if worker and sharp and q == 50 else None)
                    row = (os.path.basename(photo), w, q, f"{p:.2f}", b,
                           "" if cb is None else f"{cb:.0f}",
                           "" if cb is None else f"{b / cb:.3f}", 50, f"{avif_p:.2f}", avif_b,
                           "" if (m := bytes_at(mine, avif_p)) is None else f"{m:.0f}",
                           f"{ours_s:.4f}", f"{cwebp_s:.4f}", f"{avif_s:.4f}",
                           *ms_pair(webp_ms), *ms_pair(avif_ms))
                    rows.append(row)
                    print("\t".join(map(str, row)), flush=True)
    ratios = [float(r[6]) for r in rows if r[6]]
    speed = [float(r[11]) / float(r[12]) for r in rows]
    avif_vs = [r[9] / float(r[10]) for r in rows if r[10] and r[2] == 50]
    webp_sharp = [float(r[14]) / float(r[15]) for r in rows if r[14]]
    avif_sharp = [float(r[16]) / float(r[17]) for r in rows if r[16]]
    summary = [
        f"# webp bytes / cwebp -m 4 bytes at equal PSNR: median {statistics.median(ratios):.3f}, "
        f"worst {max(ratios):.3f} ({len(ratios)} points)",
        f"# webp encode time / cwebp -m 4 (whole process): median {statistics.median(speed):.2f}, "
        f"worst {max(speed):.2f}",
        f"# avif q50 bytes / our webp bytes at the same PSNR: median "
        f"{statistics.median(avif_vs):.3f}, worst {max(avif_vs):.3f}" if avif_vs else "# avif: n/a",
        f"# in-process webp time / sharp webp (effort 4): median {statistics.median(webp_sharp):.2f}, "
        f"worst {max(webp_sharp):.2f}" if webp_sharp else "# sharp: n/a",
        f"# in-process avif q50 time / sharp avif q50 (effort 4): median "
        f"{statistics.median(avif_sharp):.2f}, worst {max(avif_sharp):.2f}" if avif_sharp else "# sharp avif: n/a",
    ]
    print("\n".join(summary))
    if a.out:
        with open(a.out, "w") as f:
            f.write("\n".join([header] + ["\t".join(map(str, r)) for r in rows] + summary) + "\n")
    if a.plot:
        plot(curves, a.plot)


def avif_readable():
    try:
        import pillow_avif  # noqa: F401  (older Pillow)
    except ImportError:
        pass
    from PIL import features
    return features.check("avif")


def plot(curves, path):
    """An SVG of bytes against PSNR, both encoders, every photo at its widths (no matplotlib)."""
    W, H, pad = 720, 480, 50
    pts = [p for _, _, m, t in curves for p in m + t]
    xs = [math.log(b) for _, b in pts]
    ys = [p for p, _ in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), min(max(ys), 60)
    sx = lambda v: pad + (v - x0) / (x1 - x0) * (W - 2 * pad)
    sy = lambda v: H - pad - (min(v, 60) - y0) / (y1 - y0) * (H - 2 * pad)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-size="12">',
           f'<rect width="{W}" height="{H}" fill="white"/>',
           f'<text x="{W/2}" y="{H-10}" text-anchor="middle">bytes (log scale)</text>',
           f'<text x="12" y="{H/2}" transform="rotate(-90 12 {H/2})" text-anchor="middle">PSNR dB</text>',
           '<text x="60" y="20" fill="#c00">thumbprint WebP</text><text x="200" y="20" fill="#06c">cwebp -m 4</text>']
    for _, _, m, t in curves:
        for c, colour in ((m, "#c00"), (t, "#06c")):
            d = " ".join(f"{sx(math.log(b)):.1f},{sy(p):.1f}" for p, b in c)
            out.append(f'<polyline fill="none" stroke="{colour}" stroke-opacity="0.5" points="{d}"/>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main()
