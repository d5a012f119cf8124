"""The line protocol every Python peer of benches/peers.py speaks.

stdin: `path<TAB>width<TAB>format<TAB>out`; stdout: `ms<TAB>bytes<TAB>width<TAB>height` or
`error<TAB>name`. Inputs are cached in memory after first use; only `make` is timed.
"""
import sys
import time


def serve(make):
    """`make(data, width, fmt) -> (encoded bytes, out width, out height)` for each request."""
    cache = {}
    for line in sys.stdin:
        path, width, fmt, out = line.rstrip("\n").split("\t")
        if path not in cache:
            with open(path, "rb") as f:
                cache[path] = f.read()
        try:
            t0 = time.perf_counter()
            b, w, h = make(cache[path], int(width), fmt)
            ms = (time.perf_counter() - t0) * 1000
            with open(out, "wb") as f:
                f.write(b)
            print(f"{ms:.3f}\t{len(b)}\t{w}\t{h}", flush=True)
        except Exception as e:  # noqa: BLE001 - reported to the orchestrator
            print(f"error\t{type(e).__name__}", flush=True)
