#!/usr/bin/env python3
"""Peak memory and time of the CLI over every corpus file (one process per file, 200 px PNG).

    python3 benches/corpus_memory.py [target/release/thumbprint] [CORPUS_DIR]

Prints the largest peak RSS (and its file), the slowest refusal, and the total wall time, so
"bad input is refused fast and memory stays bounded" is a measured statement.
"""
import os
import subprocess
import sys
import time

binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/thumbprint"
corpus = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("THUMBPRINT_CORPUS", "tests/corpus")
rows = [l.split("\t") for l in open(os.path.join(corpus, "MANIFEST.tsv")).read().splitlines()[1:] if l.strip()]
peak, peak_file, slow_err, slow_err_file, total = 0, "", 0.0, "", 0.0
for row in rows:
    path = os.path.join(corpus, row[0])
    start = time.perf_counter()
    proc = subprocess.Popen([binary, "resize", path, "-w", "200", "-o", os.devnull, "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    total += elapsed
    rss = usage.ru_maxrss  # KiB on Linux
    if rss > peak:
        peak, peak_file = rss, row[0]
    if b'"error"' in out and elapsed > slow_err:
        slow_err, slow_err_file = elapsed, row[0]
print(f"files: {len(rows)}")
print(f"peak RSS: {peak / 1024:.1f} MiB ({peak_file})")
print(f"slowest refusal: {slow_err * 1000:.1f} ms ({slow_err_file})")
print(f"total wall time: {total:.2f} s")
