#!/usr/bin/env python3
"""thumbprint against Pillow, libvips (pyvips) and sharp on real photos, one core, interleaved.

Run it with `bash benches/peers.sh` (sets up the peers and the photos first). Each peer is a
long-lived worker process (benches/peers/*) fed one request at a time; peers take turns on every
(file, size, format), in a rotating order, for a warm-up pass and then --passes timed passes.
Only the library call is timed, in each worker. Prints a markdown table and writes it, with a
JSON record and an SVG chart, to --out.

PSNR: each PNG output is compared with a reference made from the full-size decode (Pillow,
no draft), resampled to the output's size with Lanczos in floating point per channel.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
CASES = [(200, "png"), (800, "png"), (200, "jpeg"), (800, "jpeg")]


def peer_commands(venv_python, worker):
    node_env = dict(os.environ, UV_THREADPOOL_SIZE="1")
    return {
        "thumbprint": ([str(worker)], None),
        "pillow": ([venv_python, str(ROOT / "benches/peers/pillow_worker.py")], None),
        "libvips": ([venv_python, str(ROOT / "benches/peers/pyvips_worker.py")], None),
        "sharp": (["node", str(ROOT / "benches/peers/sharp_worker.mjs")], node_env),
    }


class Worker:
    def __init__(self, name, cmd, env):
        self.name = name
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
            cwd=ROOT / "benches/peers",
        )

    def ask(self, path, width, fmt, out):
        self.proc.stdin.write(f"{path}\t{width}\t{fmt}\t{out}\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline().rstrip("\n").split("\t")
        if not reply or reply[0] in ("", "error"):
            return None
        return float(reply[0]), int(reply[1]), int(reply[2]), int(reply[3])

    def peak_rss_mib(self):
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


_references = {}


def reference(path, w, h):
    """Full-size decode, Lanczos in float per channel, at w x h."""
    key = (path, w, h)
    if key not in _references:
        if path not in _references:
            _references[path] = Image.open(path).convert("RGB")
        full = _references[path]
        bands = [b.convert("F").resize((w, h), Image.Resampling.LANCZOS) for b in full.split()]
        _references[key] = np.stack([np.asarray(b, dtype=np.float64) for b in bands], axis=-1)
    return _references[key]


def psnr(out_path, src_path):
    img = Image.open(out_path).convert("RGB")
    ref = reference(src_path, img.width, img.height)
    mse = float(np.mean((np.asarray(img, dtype=np.float64) - np.clip(ref, 0, 255)) ** 2))
    return 99.0 if mse == 0 else 10 * np.log10(255 * 255 / mse)


def bar_chart(rows, peers, path):
    """Grouped horizontal bars: median ms per image, large photos, per case."""
    groups = [f"{w} px {fmt.upper()}" for w, fmt in CASES]
    colors = {"thumbprint": "#1b7f5a", "pillow": "#c0872b", "libvips": "#3b6fb6", "sharp": "#8a4fb0"}
    bar_h, gap, left, width = 16, 18, 130, 460
    vmax = max(r["median_ms"] for r in rows if r["class"] == "large") or 1
    height = 40 + len(groups) * (len(peers) * bar_h + gap) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 120}" height="{height}" '
           'font-family="sans-serif" font-size="12">',
           f'<text x="10" y="20" font-size="14" font-weight="bold">Median ms per image, 12 large photos '
           '(6-20 MP JPEG), one core; shorter is faster</text>']
    y = 40
    for (w, fmt), label in zip(CASES, groups):
        out.append(f'<text x="10" y="{y + len(peers) * bar_h / 2 + 4}" font-weight="bold">{label}</text>')
        for p in peers:
            r = next((r for r in rows if r["class"] == "large" and r["peer"] == p
                      and r["width"] == w and r["format"] == fmt), None)
            if r is None:
                continue
            bw = max(1, r["median_ms"] / vmax * width)
            out.append(f'<rect x="{left}" y="{y}" width="{bw:.1f}" height="{bar_h - 3}" fill="{colors[p]}"/>')
            out.append(f'<text x="{left + bw + 4:.1f}" y="{y + bar_h - 5}">{p} {r["median_ms"]:.1f} ms</text>')
            y += bar_h
        y += gap
    out.append("</svg>")
    path.write_text("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--photos", type=Path, required=True, help="folder with large/ (12 photos)")
    ap.add_argument("--small", type=Path, default=ROOT / "tests/corpus/photos")
    ap.add_argument("--passes", type=int, default=5)
    ap.add_argument("--python", default=sys.executable, help="interpreter with pillow and pyvips")
    ap.add_argument("--worker", type=Path, default=ROOT / "target/release/bench_worker")
    ap.add_argument("--out", type=Path, default=ROOT / "docs/bench")
    args = ap.parse_args()

    files = [("large", p) for p in sorted((args.photos / "large").glob("*.jpg"))]
    if args.small.is_dir():
        files += [("small", p) for p in sorted(args.small.iterdir()) if p.is_file()]
    scratch = ROOT / "target/bench-out"
    scratch.mkdir(parents=True, exist_ok=True)
    workers = {n: Worker(n, c, e) for n, (c, e) in peer_commands(args.python, args.worker).items()}
    peers = list(workers)
    times = {}  # (peer, class, file, w, fmt) -> [ms]
    last = {}  # same key -> (bytes, w, h, out path)
    for pass_no in range(args.passes + 1):
        for i, (cls, path) in enumerate(files):
            for w, fmt in CASES:
                order = peers[(pass_no + i) % len(peers):] + peers[:(pass_no + i) % len(peers)]
                for p in order:
                    out = scratch / f"{p}-{w}-{path.stem}.{fmt}"
                    r = workers[p].ask(path, w, fmt, out)
                    if r is None:
                        continue
                    key = (p, cls, path.name, w, fmt)
                    if pass_no > 0:
                        times.setdefault(key, []).append(r[0])
                    last[key] = (r[1], r[2], r[3], out)
        print(f"pass {pass_no} done", file=sys.stderr)
    rss = {p: workers[p].peak_rss_mib() for p in peers}
    for wk in workers.values():
        wk.close()

    rows = []
    for cls in ("large", "small"):
        names = [p.name for c, p in files if c == cls]
        srcs = {p.name: p for c, p in files if c == cls}
        for w, fmt in CASES:
            for p in peers:
                per_file = {n: statistics.median(times[(p, cls, n, w, fmt)])
                            for n in names if (p, cls, n, w, fmt) in times}
                if not per_file:
                    continue
                row = {
                    "peer": p, "class": cls, "width": w, "format": fmt,
                    "median_ms": statistics.median(per_file.values()),
                    "max_ms_file": max(per_file, key=per_file.get),
                    "img_per_s": len(per_file) / (sum(per_file.values()) / 1000),
                    "bytes": sum(last[(p, cls, n, w, fmt)][0] for n in per_file),
                    "per_file_ms": per_file,
                }
                if fmt == "png" and cls == "large":
                    row["psnr_db"] = statistics.mean(
                        psnr(last[(p, cls, n, w, fmt)][3], srcs[n]) for n in per_file)
                rows.append(row)
    for r in rows:
        base = next(x for x in rows if x["peer"] == "thumbprint" and x["class"] == r["class"]
                    and x["width"] == r["width"] and x["format"] == r["format"])
        r["ratio_to_thumbprint"] = r["median_ms"] / base["median_ms"]
        files_ratio = {n: ms / base["per_file_ms"][n] for n, ms in r["per_file_ms"].items()
                       if n in base["per_file_ms"]}
        r["min_file_ratio"] = min(files_ratio.values())
        r["min_file"] = min(files_ratio, key=files_ratio.get)

    lines = ["| class | case | peer | median ms/img | img/s | time vs thumbprint | slowest-file ratio "
             "| output bytes | PSNR dB | peak RSS MiB (worker) |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['class']} | {r['width']} px {r['format'].upper()} | {r['peer']} | {r['median_ms']:.1f} "
            f"| {r['img_per_s']:.1f} | {r['ratio_to_thumbprint']:.2f}x | {r['min_file_ratio']:.2f}x "
            f"| {r['bytes']:,} | {r.get('psnr_db', float('nan')):.2f} | {rss[r['peer']]:.0f} |")
    # The same, as thumbprint's time over each peer's: median and worst photo (by name).
    lines += ["", "| class | case | peer | thumbprint / peer, median | worst photo | which |",
              "|---|---|---|---|---|---|"]
    for r in rows:
        if r["peer"] == "thumbprint":
            continue
        lines.append(
            f"| {r['class']} | {r['width']} px {r['format'].upper()} | {r['peer']} "
            f"| {1 / r['ratio_to_thumbprint']:.2f}x | {1 / r['min_file_ratio']:.2f}x | {r['min_file']} |")
    table = "\n".join(lines)
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "peers.md").write_text(
        "Generated by `bash benches/peers.sh` (see benches/peers.py). "
        "'time vs thumbprint' is the peer's median over thumbprint's (above 1x: the peer is slower); "
        "'slowest-file ratio' is the smallest per-file ratio (the file where the peer comes closest).\n\n"
        + table + "\n")
    (ROOT / "target/bench-peers.json").write_text(json.dumps({"rows": rows, "rss_mib": rss}, indent=1))
    bar_chart(rows, peers, args.out / "peers.svg")


if __name__ == "__main__":
    main()
