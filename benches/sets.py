"""Thumbnail sets against single requests and against the peers (issue 18's benchmark).

1. In-process, one core, only the library call timed (the workers of benches/peers.py): the four
   widths of a responsive srcset (320, 640, 1280, 1920 px, JPEG quality 80, inside a width x width box) of
   each of the 12 large photos made by
   - thumbprint: one `thumbnails()` call (`set`) and four `thumbnail()` calls (`each`);
   - sharp: one input with a `clone()` pipeline per width (`set`);
   - libvips: `thumbnail_buffer` four times (`each`; libvips has no shared-decode call).
2. Whole processes on every core: the batch CLI (`thumbprint resize DIR -w 320,640,1280,1920 -o
   OUT/`) against Debian's `vipsthumbnail` over the same folder (one size per run, so four runs;
   and the 48 (file, width) runs spread over one process per core, the better of the two counts).

Usage (from benches/sets.sh): python benches/sets.py --photos DIR [--passes N] [--out docs/bench]
Writes OUT/sets.md; prints the same tables.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peers import ROOT, Worker, peer_commands  # noqa: E402

WIDTHS = [320, 640, 1280, 1920]
CASES = [("thumbprint", "set"), ("thumbprint", "each"), ("sharp", "set"), ("libvips", "each")]


def ratio_line(name, ratios):
    worst_photo, worst = max(ratios.items(), key=lambda kv: kv[1])
    return f"| {name} | **{statistics.median(ratios.values()):.2f}x** | {worst:.2f}x ({worst_photo}) |"


def in_process(photos, passes, python, worker_bin, scratch):
    cmds = peer_commands(python, worker_bin)
    workers = {peer: Worker(peer, *cmds[peer]) for peer in {p for p, _ in CASES}}
    spec = ",".join(map(str, WIDTHS))
    times = {case: {p.stem: [] for p in photos} for case in CASES}
    try:
        for _ in range(passes):
            for photo in photos:
                for peer, mode in CASES:
                    got = workers[peer].ask(photo, f"{mode}:{spec}", "jpeg", scratch / f"{peer}-{mode}.jpg")
                    if got is None:
                        raise SystemExit(f"{peer} {mode} failed on {photo.name}")
                    times[(peer, mode)][photo.stem].append(got[0])
    finally:
        for w in workers.values():
            w.close()
    med = {case: {k: statistics.median(v) for k, v in per.items()} for case, per in times.items()}
    lines = [
        "| photo | thumbprint set | 4 thumbprint singles | sharp clone() x4 | libvips thumbnail x4 |",
        "|---|---|---|---|---|",
    ]
    for photo in photos:
        k = photo.stem
        lines.append(f"| {k} | {med[('thumbprint', 'set')][k]:.1f} ms | {med[('thumbprint', 'each')][k]:.1f} | "
                     f"{med[('sharp', 'set')][k]:.1f} | {med[('libvips', 'each')][k]:.1f} |")
    tp = med[("thumbprint", "set")]
    summary = [
        "| thumbprint's set over | median photo | worst photo |",
        "|---|---|---|",
        ratio_line("4 thumbprint single requests", {k: tp[k] / med[("thumbprint", "each")][k] for k in tp}),
        ratio_line("sharp, one input, 4 clone() pipelines", {k: tp[k] / med[("sharp", "set")][k] for k in tp}),
        ratio_line("libvips thumbnail_buffer x4", {k: tp[k] / med[("libvips", "each")][k] for k in tp}),
    ]
    return lines, summary


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run(cmd, env=None):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def folders(photos_dir, passes, cli, scratch):
    cores = os.cpu_count() or 1
    files = sorted(str(p) for p in photos_dir.glob("*.jpg"))
    vips = shutil.which("vipsthumbnail")
    if not vips:
        raise SystemExit("vipsthumbnail not found (apt-get install libvips-tools)")

    def fresh(name):
        d = scratch / name
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
        return d

    def ours():
        out = fresh("cli")
        run([str(cli), "resize", str(photos_dir), "-w", ",".join(map(str, WIDTHS)), "-f", "jpeg", "-q", "80", "-o", f"{out}/"])

    def vips_runs():
        out = fresh("vips-runs")
        for w in WIDTHS:
            run([vips, *files, "-s", str(w), "-o", f"{out}/%s-{w}.jpg[Q=80]"])

    def vips_spread():
        out = fresh("vips-spread")
        jobs = [(f, w) for f in files for w in WIDTHS]
        env = dict(os.environ, VIPS_CONCURRENCY="1")
        with ThreadPoolExecutor(cores) as pool:
            list(pool.map(lambda j: run([vips, j[0], "-s", str(j[1]), "-o", f"{out}/%s-{j[1]}.jpg[Q=80]"], env), jobs))

    results = {"thumbprint": [], "vips_runs": [], "vips_spread": []}
    for _ in range(passes):
        results["thumbprint"].append(timed(ours))
        results["vips_runs"].append(timed(vips_runs))
        results["vips_spread"].append(timed(vips_spread))
    med = {k: statistics.median(v) for k, v in results.items()}
    worst = {k: max(v) for k, v in results.items()}
    best_vips = min(med["vips_runs"], med["vips_spread"])
    version = subprocess.run([vips, "--vips-version"], capture_output=True, text=True).stdout.strip()
    lines = [
        f"{len(files)} photos x {len(WIDTHS)} widths, JPEG quality 80, {cores} cores, {passes} passes (median, worst):",
        "",
        "| command | median | worst pass | thumbprint / this |",
        "|---|---|---|---|",
        f"| `thumbprint resize DIR -w {','.join(map(str, WIDTHS))} -f jpeg -o OUT/` | {med['thumbprint']:.2f} s | {worst['thumbprint']:.2f} s | 1.00x |",
        f"| `vipsthumbnail FILES -s W` x{len(WIDTHS)} (libvips' own threads) | {med['vips_runs']:.2f} s | {worst['vips_runs']:.2f} s | **{med['thumbprint'] / med['vips_runs']:.2f}x** |",
        f"| `vipsthumbnail FILE -s W`, {len(files) * len(WIDTHS)} runs, {cores} at a time, VIPS_CONCURRENCY=1 | {med['vips_spread']:.2f} s | {worst['vips_spread']:.2f} s | **{med['thumbprint'] / med['vips_spread']:.2f}x** |",
        "",
        f"thumbprint / the better vipsthumbnail way: **{med['thumbprint'] / best_vips:.2f}x** ({version}).",
    ]
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--photos", type=Path, required=True, help="folder with large/ (12 photos)")
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--python", default=sys.executable, help="interpreter with pyvips")
    ap.add_argument("--worker", type=Path, default=ROOT / "target/release/bench_worker")
    ap.add_argument("--cli", type=Path, default=ROOT / "target/release/thumbprint")
    ap.add_argument("--out", type=Path, default=ROOT / "docs/bench")
    args = ap.parse_args()
    large = args.photos.resolve() / "large"
    photos = sorted(large.glob("*.jpg"))
    scratch = ROOT / "target/bench-out/sets"
    scratch.mkdir(parents=True, exist_ok=True)
    per_photo, summary = in_process(photos, args.passes, args.python, args.worker, scratch)
    folder = folders(large, args.passes, args.cli, scratch)
    text = "\n".join([
        "# Thumbnail sets: one request against four, and against sharp and libvips",
        "",
        "`bash benches/sets.sh` (benches/sets.py). 320, 640, 1280 and 1920 px JPEG (quality 80) of each photo: a 1920 px PNG of a photo is over the response cap.",
        "",
        "## In-process, one core, only the library call timed (median ms of the passes)",
        "",
        *summary,
        "",
        *per_photo,
        "",
        "## The batch CLI against vipsthumbnail, whole processes, every core",
        "",
        *folder,
        "",
    ])
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "sets.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
