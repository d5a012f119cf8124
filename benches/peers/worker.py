"""The line protocol every Python peer of benches/peers.py speaks.

stdin: `path<TAB>width<TAB>format<TAB>out`; stdout: `ms<TAB>bytes<TAB>width<TAB>height` or
`error<TAB>name`. Inputs are cached in memory after first use; only `make` is timed.

A width of `set:W1,W2,...` or `each:W1,W2,...` asks for several widths of one input: `make_set`
(the peer's own way of making several sizes from one input, when it has one) or `make` once per
width; member `i` goes to `out.i`; the answer is the time of all, the bytes summed and the last
member's size.
"""
import sys
import time


def serve(make, make_set=None):
    """`make(data, width, fmt) -> (encoded bytes, out width, out height)` for each request;
    `make_set(data, widths, fmt) -> [(bytes, width, height)]` for `set:` requests."""
    cache = {}
    for line in sys.stdin:
        path, width, fmt, out = line.rstrip("\n").split("\t")
        if path not in cache:
            with open(path, "rb") as f:
                cache[path] = f.read()
        if ":" in width:
            mode, widths = width.split(":", 1)
            widths = [int(x) for x in widths.split(",")]
            try:
                t0 = time.perf_counter()
                if mode == "set" and make_set is not None:
                    made = make_set(cache[path], widths, fmt)
                else:
                    made = [make(cache[path], x, fmt) for x in widths]
                ms = (time.perf_counter() - t0) * 1000
                for i, (b, _, _) in enumerate(made):
                    with open(f"{out}.{i}", "wb") as f:
                        f.write(b)
                _, w, h = made[-1]
                print(f"{ms:.3f}\t{sum(len(m[0]) for m in made)}\t{w}\t{h}", flush=True)
            except Exception as e:  # noqa: BLE001 - reported to the orchestrator
                print(f"error\t{type(e).__name__}", flush=True)
            continue
        try:
            t0 = time.perf_counter()
            b, w, h = make(cache[path], int(width), fmt)
            ms = (time.perf_counter() - t0) * 1000
            with open(out, "wb") as f:
                f.write(b)
            print(f"{ms:.3f}\t{len(b)}\t{w}\t{h}", flush=True)
        except Exception as e:  # noqa: BLE001 - reported to the orchestrator
            print(f"error\t{type(e).__name__}", flush=True)
