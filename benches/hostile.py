#!/usr/bin/env python3
"""Time and peak memory of the CLI over the hostile corpus, one process per (file, option set).

    python3 benches/hostile.py [target/release/thumbprint] [HOSTILE_DIR]

Writes the hostile corpus first when HOSTILE_DIR is missing (target/hostile, by the `hostile`
generator). Prints one line per run (wall ms, CPU ms, peak RSS MiB, outcome), then the worst of
each, so "no file takes the process over the budget or past 2 s" is a measured statement.
HOSTILE_ONLY=substring limits the files; HOSTILE_TIMEOUT (s, default 60) kills a run.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

OPTION_SETS = [
    [],
    ["-w", "4096", "-H", "4096", "--fit", "fill", "-f", "webp"],
    ["-w", "2000", "-f", "jpeg"],
    ["-w", "1", "-H", "4096", "--fit", "cover"],
]


def run(binary, path, opts, timeout):
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([binary, "resize", path, *opts, "-o", os.devnull, "--json"],
                                stdout=subprocess.PIPE, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        wall = time.perf_counter() - start
        err.seek(0)
        errtext = err.read().decode(errors="replace").strip()
    try:
        j = json.loads(out.decode().strip())
        outcome = j["error"]["code"] if "error" in j else f'{j["width"]}x{j["height"]}'
    except Exception:
        outcome = f"status {status}: {errtext[-100:]}"
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, outcome


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/thumbprint"
    folder = sys.argv[2] if len(sys.argv) > 2 else "target/hostile"
    timeout = float(os.environ.get("HOSTILE_TIMEOUT", "60"))
    only = os.environ.get("HOSTILE_ONLY")
    if not os.path.isdir(folder):
        subprocess.run(["cargo", "run", "--release", "-q", "-p", "thumbprint-tests", "--bin", "hostile", folder],
                       check=True, stdout=subprocess.DEVNULL)
    worst = {"wall": (0.0, ""), "cpu": (0.0, ""), "rss": (0.0, "")}
    runs = 0
    for name in sorted(os.listdir(folder)):
        if only and only not in name:
            continue
        for opts in OPTION_SETS:
            wall, cpu, rss, outcome = run(binary, os.path.join(folder, name), opts, timeout)
            runs += 1
            label = " ".join(opts) or "default"
            print(f"{name:42} {label:38} {wall * 1000:8.0f} ms {cpu * 1000:8.0f} cpu-ms {rss:8.1f} MiB  {outcome}",
                  flush=True)
            for key, value in (("wall", wall), ("cpu", cpu), ("rss", rss)):
                if value > worst[key][0]:
                    worst[key] = (value, f"{name} [{label}]")
    print(f"runs: {runs}")
    print(f"worst wall: {worst['wall'][0] * 1000:.0f} ms ({worst['wall'][1]})")
    print(f"worst CPU: {worst['cpu'][0] * 1000:.0f} ms ({worst['cpu'][1]})")
    print(f"worst peak RSS: {worst['rss'][0]:.1f} MiB ({worst['rss'][1]})")


if __name__ == "__main__":
    main()
