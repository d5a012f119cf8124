"""Pillow side of benches/peers.py: the seed's `Image.thumbnail` path (DCT-scaled draft decode)."""
import io

from PIL import Image

from worker import serve


def make(data, w, fmt):
    im = Image.open(io.BytesIO(data))
    im.thumbnail((w, w))
    buf = io.BytesIO()
    if fmt == "jpeg":
        im.convert("RGB").save(buf, format="JPEG", quality=80)
    else:
        im.save(buf, format="PNG")
    return buf.getvalue(), im.width, im.height


serve(make)
