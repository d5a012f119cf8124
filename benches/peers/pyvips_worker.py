"""libvips side of benches/peers.py: `thumbnail_buffer` (shrink-on-load), one thread, no cache."""
import os

os.environ["VIPS_CONCURRENCY"] = "1"
import pyvips  # noqa: E402

from worker import serve  # noqa: E402

pyvips.cache_set_max(0)


def make(data, w, fmt):
    im = pyvips.Image.thumbnail_buffer(data, w, height=w)
    b = im.jpegsave_buffer(Q=80) if fmt == "jpeg" else im.pngsave_buffer()
    return b, im.width, im.height


serve(make)
