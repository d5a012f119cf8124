"""libvips side of benches/peers.py: `thumbnail_buffer` (shrink-on-load), one thread, no cache."""
import os
import sys
import time

os.environ["VIPS_CONCURRENCY"] = "1"
import pyvips  # noqa: E402

pyvips.cache_set_max(0)
cache = {}
for line in sys.stdin:
    path, width, fmt, out = line.rstrip("\n").split("\t")
    w = int(width)
    if path not in cache:
        with open(path, "rb") as f:
            cache[path] = f.read()
    data = cache[path]
    try:
        t0 = time.perf_counter()
        im = pyvips.Image.thumbnail_buffer(data, w, height=w)
        b = im.jpegsave_buffer(Q=80) if fmt == "jpeg" else im.pngsave_buffer()
        ms = (time.perf_counter() - t0) * 1000
        with open(out, "wb") as f:
            f.write(b)
        print(f"{ms:.3f}\t{len(b)}\t{im.width}\t{im.height}", flush=True)
    except Exception as e:  # noqa: BLE001 - reported to the orchestrator
        print(f"error\t{type(e).__name__}", flush=True)
