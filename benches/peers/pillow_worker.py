"""Pillow side of benches/peers.py: the seed's `Image.thumbnail` path (DCT-scaled draft decode)."""
import io
import sys
import time

from PIL import Image

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
        im = Image.open(io.BytesIO(data))
        im.thumbnail((w, w))
        buf = io.BytesIO()
        if fmt == "jpeg":
            im.convert("RGB").save(buf, format="JPEG", quality=80)
        else:
            im.save(buf, format="PNG")
        ms = (time.perf_counter() - t0) * 1000
        b = buf.getvalue()
        with open(out, "wb") as f:
            f.write(b)
        print(f"{ms:.3f}\t{len(b)}\t{im.width}\t{im.height}", flush=True)
    except Exception as e:  # noqa: BLE001 - reported to the orchestrator
        print(f"error\t{type(e).__name__}", flush=True)
