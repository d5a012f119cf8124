"""Thumbnails on upload through the harness (tests/uploads/harness.py): N uploads of the photo
corpus, each delivered as its S3 event to the real bootstrap with moto's S3 on loopback, a set of
4 sizes each; then, as the peer in the same run, the same 4 sizes of each object as 4 single
POST /thumbnail requests to the same bootstrap. Reports objects per second, the per-object time
(the function's own log: the whole record, S3 reads and writes included, and the engine
alone), the peer's, their ratios (median to median, worst to worst), and the bootstrap's peak RSS.

    python benches/uploads.py --bootstrap target/release/bootstrap [--uploads 100]
"""
import argparse
import glob
import json
import os
import statistics
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "uploads"))
from harness import Harness  # noqa: E402

SIZES = [{"width": 160}, {"width": 320}, {"width": 640}, {"width": 1280}]


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def lines(h, message):
    return [l["fields"] for l in h.logs() if l.get("fields", {}).get("message") == message]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--uploads", type=int, default=100)
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "..", "tests", "corpus", "photos"))
    a = ap.parse_args()
    photos = sorted(p for p in glob.glob(os.path.join(a.corpus, "*")) if p.lower().endswith((".jpg", ".jpeg", ".png")))
    env = {"THUMBPRINT_S3_DEST_BUCKET": "thumbs", "THUMBPRINT_S3_DEST_PREFIX": "t/",
           "THUMBPRINT_S3_SIZES": json.dumps(SIZES), "RUST_LOG": "info"}
    with Harness(a.bootstrap, env) as h:
        h.s3.create_bucket(Bucket="uploads")
        h.s3.create_bucket(Bucket="thumbs")
        objects = []
        for i in range(a.uploads):
            path = photos[i % len(photos)]
            key = f"u/{i:03d}-{os.path.basename(path)}"
            body = open(path, "rb").read()
            etag = h.s3.put_object(Bucket="uploads", Key=key, Body=body)["ETag"]
            objects.append((key, etag, body))
        start = time.perf_counter()
        for key, etag, _ in objects:
            kind, r = h.invoke(Harness.s3_event([("ObjectCreated:Put", "uploads", key, etag)]))
            assert kind == "response" and "Written" in r["records"][0], (key, r)
        upload_wall = time.perf_counter() - start
        records = lines(h, "upload record")
        made = [l["engine_ms"] for l in lines(h, "upload set made")]
        engine = lines(h, "request")  # none yet: the uploads log no request line
        assert not engine
        start = time.perf_counter()
        for _, _, body in objects:
            for size in SIZES:
                kind, r = h.invoke(Harness.post_event(body, urllib.parse.urlencode(size)))
                assert kind == "response" and r["statusCode"] == 200, r
        single_wall = time.perf_counter() - start
        singles = [l["duration_ms"] for l in lines(h, "request")]
        peak = peak_rss_mib(h.proc.pid)
    per_upload = [r["duration_ms"] for r in records]
    per_singles = [sum(singles[i * 4:(i + 1) * 4]) for i in range(len(objects))]
    print(f"{a.uploads} uploads of {len(photos)} photo corpus files, a set of {len(SIZES)} sizes "
          f"({', '.join(str(s['width']) for s in SIZES)} px PNG) each")
    print("| | objects/s | per object median ms | worst ms |")
    print("|---|---|---|---|")
    print(f"| upload trigger (HEAD, LIST, GET, one set, 4 PUTs) | {a.uploads / upload_wall:.1f} | "
          f"{statistics.median(per_upload):.1f} | {max(per_upload):.1f} |")
    print(f"| peer: 4 single POST /thumbnail | {a.uploads / single_wall:.1f} | "
          f"{statistics.median(per_singles):.1f} | {max(per_singles):.1f} |")
    print(f"| of which the engine (one set) | | {statistics.median(made):.1f} | {max(made):.1f} |")
    for name, xs in (("upload trigger", per_upload), ("engine (one set)", made)):
        print(f"{name} / 4 singles: median {statistics.median(xs) / statistics.median(per_singles):.2f}x, "
              f"worst {max(xs) / max(per_singles):.2f}x")
    print(f"bootstrap peak RSS: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
