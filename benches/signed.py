#!/usr/bin/env python3
"""Signed image URLs end to end: `thumbprint serve` with signing keys and an allow-listed bucket
on moto's S3 server, both on loopback.

1. The largest photo of the set (20 MP) to 320 px by `GET /{signature}/rs:fit:320:320/plain/s3://...`,
   split by the server's `Server-Timing` into source (the S3 read), engine (header, slot, run)
   and answer (the rest: HTTP, headers, transfer, as the client measures it), beside its peer
   in the same run: the same bytes POSTed raw to /thumbnail (the same engine, no source read).
   Median and worst of --runs each, interleaved.
2. Load: --clients clients for --seconds on GET URLs of every photo of the set at 3 sizes and 2
   formats: status counts, p50/p99 latency, the server's peak RSS (VmHWM). Fails on any 5xx, a
   dead server, or a peak over 2x the engine budget per engine slot (as benches/load.py).

    benches/signed.sh   (prepares the photos, the release binary and the virtualenv, then runs this)
"""
import argparse
import hashlib
import hmac
import base64
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time

import boto3

ap = argparse.ArgumentParser()
ap.add_argument("--binary", default="target/release/thumbprint")
ap.add_argument("--photos", required=True, help="folder of JPEG photos (benches/fetch_photos.sh DEST/large)")
ap.add_argument("--runs", type=int, default=10)
ap.add_argument("--clients", type=int, default=8)
ap.add_argument("--seconds", type=float, default=60)
args = ap.parse_args()

KEY, SALT = os.urandom(32), os.urandom(32)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait(port):
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"nothing listens on {port}")


def sign(path):
    mac = hmac.new(KEY, SALT + path.encode(), hashlib.sha256).digest()
    return "/" + base64.urlsafe_b64encode(mac).rstrip(b"=").decode() + path


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


moto_port = free_port()
moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(moto_port)],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wait(moto_port)
env = dict(os.environ, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_REGION="us-east-1",
           AWS_ENDPOINT_URL_S3=f"http://127.0.0.1:{moto_port}")
s3 = boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL_S3"], region_name="us-east-1",
                  aws_access_key_id="bench", aws_secret_access_key="bench")
s3.create_bucket(Bucket="photos")
photos = sorted(f for f in os.listdir(args.photos) if f.lower().endswith(".jpg"))
sizes = {}
for name in photos:
    data = open(os.path.join(args.photos, name), "rb").read()
    s3.put_object(Bucket="photos", Key=name, Body=data)
    sizes[name] = len(data)

port = free_port()
server = subprocess.Popen([args.binary, "serve", "--port", str(port), "--url-key", KEY.hex(), "--url-salt",
                           SALT.hex(), "--allow-bucket", "photos"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
wait(port)


def request(method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start = time.perf_counter()
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    took = (time.perf_counter() - start) * 1000
    timing = {}
    for part in (r.getheader("server-timing") or "").split(","):
        name, _, dur = part.strip().partition(";dur=")
        if dur:
            timing[name] = float(dur)
    conn.close()
    return r.status, data, took, timing


def vm(field):
    for line in open(f"/proc/{server.pid}/status"):
        if line.startswith(field):
            return int(line.split()[1])
    return 0


try:
    # 1. The photo with the most pixels (20 MP) at 320 px: GET from S3 vs POST.
    def pixels(name):
        out = subprocess.run([args.binary, "inspect", os.path.join(args.photos, name)], capture_output=True,
                             text=True, check=True).stdout
        info = json.loads(out)
        return info["width"] * info["height"]

    largest = max(photos, key=pixels)
    mp = pixels(largest) / 1e6
    raw = open(os.path.join(args.photos, largest), "rb").read()
    get_path = sign(f"/rs:fit:320:320/plain/s3://photos/{largest}@png")
    rows = {"get": [], "source": [], "engine": [], "answer": [], "post": []}
    first = None
    for _ in range(args.runs):
        status, data, took, timing = request("GET", get_path)
        assert status == 200, (status, data[:200])
        pstatus, pdata, ptook, _ = request("POST", "/thumbnail?width=320&height=320&format=png", raw,
                                           {"content-type": "image/jpeg"})
        assert pstatus == 200 and pdata == data, "GET and POST answer different bytes"
        first = first or len(data)
        rows["get"].append(took)
        rows["source"].append(timing["source"])
        rows["engine"].append(timing["engine"])
        rows["answer"].append(took - timing["source"] - timing["engine"])
        rows["post"].append(ptook)
    print(f"{largest} ({mp:.1f} MP, {sizes[largest]:,} bytes) -> 320 px PNG ({first:,} bytes), {args.runs} runs each, interleaved")
    print("| part | median ms | worst ms |")
    print("|---|---|---|")
    for k in ("get", "source", "engine", "answer", "post"):
        label = {"get": "GET, whole (client)", "source": "  source: S3 read (server)", "engine": "  engine (server)",
                 "answer": "  answer: the rest (client - server)", "post": "POST raw, whole (peer)"}[k]
        print(f"| {label} | {statistics.median(rows[k]):.1f} | {max(rows[k]):.1f} |")
    ratio = [g / p for g, p in zip(rows["get"], rows["post"])]
    print(f"GET / POST: median {statistics.median(ratio):.2f}x, worst {max(ratio):.2f}x")

    # 2. Load on GET URLs.
    urls = [sign(f"/rs:fit:{w}:{w}/plain/s3://photos/{n}@{f}") for n in photos for w in (160, 320, 800)
            for f in ("png", "jpg")]
    deadline = time.monotonic() + args.seconds
    lat, statuses, lock = [], {}, threading.Lock()

    def client(i):
        k = i
        while time.monotonic() < deadline:
            status, _, took, _ = request("GET", urls[k % len(urls)])
            k += args.clients
            with lock:
                lat.append(took)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    alive = server.poll() is None
    peak = vm("VmHWM:") / 1024
    slots = os.cpu_count() or 1
    limit = 2 * 384 * slots / 2
    print(f"load: {args.clients} clients, {args.seconds:.0f} s, {len(lat)} GETs of {len(urls)} URLs: "
          f"statuses {statuses}, p50 {pct(lat, 50):.0f} ms, p99 {pct(lat, 99):.0f} ms, worst {max(lat):.0f} ms")
    print(f"server peak RSS {peak:.1f} MiB (limit {limit:.0f} MiB for {slots} engine slots)")
    bad = sum(v for s, v in statuses.items() if s >= 500)
    ok = alive and not bad and peak <= limit and set(statuses) == {200}
    print("signed URL bench:", "passed" if ok else "FAILED")
    sys.exit(0 if ok else 1)
finally:
    server.kill()
    moto.kill()
