#!/usr/bin/env python3
"""Load run against the local server on loopback: a bounded number of requests from several
concurrent clients, mixing valid images, malformed files, bombs, bad options and bad JSON from
the corpus, and (3 % of requests) the hostile corpus under its option sets. Reports status
counts, p50/p99 latency overall and for cheap refusals (answered from the header), the server's
RSS over time and its peak; fails if any 5xx appears, if the server dies, if the peak passes
2x the process budget for 2 engine slots (scaled by the slots here), or if the p99 of cheap
refusals passes 50 ms.

    python3 benches/load.py [--requests 4000] [--clients 8] [--binary target/release/thumbprint]
"""
import argparse
import base64
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time

ap = argparse.ArgumentParser()
ap.add_argument("--requests", type=int, default=4000)
ap.add_argument("--clients", type=int, default=8)
ap.add_argument("--hostile", default="target/hostile", help="hostile corpus folder (generated if missing)")
ap.add_argument("--hostile-share", type=float, default=0.03)
ap.add_argument("--binary", default="target/release/thumbprint")
ap.add_argument("--corpus", default=os.environ.get("THUMBPRINT_CORPUS", "tests/corpus"))
ap.add_argument("--max-seconds", type=float, default=300)
args = ap.parse_args()

s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
server = subprocess.Popen([args.binary, "serve", "--port", str(port)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        break
    except OSError:
        time.sleep(0.1)

rows = [l.split("\t") for l in open(os.path.join(args.corpus, "MANIFEST.tsv")).read().splitlines()[1:] if l.strip()]
files = [open(os.path.join(args.corpus, r[0]), "rb").read() for r in rows]
files = [f for f in files if len(f) < 4_000_000]
rng = random.Random(7)
if not os.path.isdir(args.hostile):
    subprocess.run(["cargo", "run", "--release", "-q", "-p", "thumbprint-tests", "--bin", "hostile", args.hostile],
                   check=True, stdout=subprocess.DEVNULL)
hostile = [open(os.path.join(args.hostile, n), "rb").read() for n in sorted(os.listdir(args.hostile))]
hostile = [h for h in hostile if len(h) <= 4_613_734]
HOSTILE_QUERIES = ["", "width=4096&height=4096&fit=fill&format=webp", "width=2000&format=jpeg",
                   "width=1&height=4096&fit=cover"]


def make_request(i):
    if rng.random() < args.hostile_share:
        return ("POST", "/thumbnail?" + rng.choice(HOSTILE_QUERIES), {"Content-Type": "image/png"},
                rng.choice(hostile))
    kind = i % 10
    body = files[rng.randrange(len(files))]
    width = rng.choice([32, 100, 200, 400])
    if kind < 6:   # raw upload, mixed valid / malformed / bombs
        return ("POST", f"/thumbnail?width={width}&format={rng.choice(['png', 'jpeg', 'webp'])}",
                {"Content-Type": "image/jpeg"}, body)
    if kind < 8:   # JSON base64
        return ("POST", "/thumbnail", {"Content-Type": "application/json", "Accept": "application/json"},
                json.dumps({"image_base64": base64.b64encode(body).decode(), "width": width}).encode())
    if kind == 8:  # bad options / bad JSON / refused URL
        return rng.choice([
            ("POST", "/thumbnail?width=0", {"Content-Type": "image/png"}, body),
            ("POST", "/thumbnail", {"Content-Type": "application/json"}, b"{\"width\": 10,"),
            ("POST", "/thumbnail", {"Content-Type": "application/json"},
             b'{"image_url":"http://169.254.169.254/latest/meta-data/","width":10}'),
        ])
    return ("GET", "/version", {}, b"")


def rss_kib(field="VmRSS:"):
    try:
        for line in open(f"/proc/{server.pid}/status"):
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        return -1
    return -1


CHEAP = {"invalid_request", "invalid_option", "payload_too_large", "unsupported_media_type",
         "unsupported_format", "image_too_large", "url_not_allowed", "not_found"}
latencies, cheap_latencies, statuses, lock = [], [], {}, threading.Lock()
counter = iter(range(args.requests))
deadline = time.time() + args.max_seconds
rss_samples = []


def client():
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.time() < deadline:
        with lock:
            i = next(counter, None)
        if i is None:
            return
        method, path, headers, body = make_request(i)
        t0 = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            status = resp.status
            code = None
            if status >= 400 and resp.getheader("Content-Type", "").startswith("application/json"):
                try:
                    code = json.loads(data)["error"]["code"]
                except Exception:
                    code = None
        except Exception:
            code = None
            status = "conn-error"
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        dt = (time.perf_counter() - t0) * 1000
        with lock:
            latencies.append(dt)
            if code in CHEAP:
                cheap_latencies.append(dt)
            statuses[status] = statuses.get(status, 0) + 1
            if len(latencies) % 250 == 0:
                rss_samples.append(rss_kib())


rss_samples.append(rss_kib())
threads = [threading.Thread(target=client) for _ in range(args.clients)]
start = time.time()
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.time() - start
rss_samples.append(rss_kib())
peak = rss_kib("VmHWM:")
alive = server.poll() is None
server.terminate()

lat = sorted(latencies)
p50 = lat[len(lat) // 2]
p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
print(f"requests: {len(lat)} in {elapsed:.1f} s with {args.clients} clients ({len(lat) / elapsed:.0f} req/s)")
print(f"statuses: {dict(sorted(statuses.items(), key=lambda kv: str(kv[0])))}")
print(f"latency: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {lat[-1]:.1f} ms")
cheap = sorted(cheap_latencies)
if cheap:
    print(f"cheap refusals ({len(cheap)}): p50 {cheap[len(cheap) // 2]:.1f} ms, "
          f"p99 {cheap[min(len(cheap) - 1, int(len(cheap) * 0.99))]:.1f} ms, max {cheap[-1]:.1f} ms")
print(f"server RSS (MiB) over the run: {[round(r / 1024, 1) for r in rss_samples]}")
slots = os.cpu_count() or 1
limit_mib = 2 * 384 * slots / 2  # ~2x the budget for 2 engine slots, scaled by the slots here
print(f"server peak RSS: {peak / 1024:.1f} MiB (limit {limit_mib:.0f} MiB for {slots} engine slots)")
bad = {k: v for k, v in statuses.items() if k == "conn-error" or (isinstance(k, int) and k >= 500)}
cheap_p99 = cheap[min(len(cheap) - 1, int(len(cheap) * 0.99))] if cheap else 0
ok = alive and not bad and peak / 1024 <= limit_mib and cheap_p99 <= 50
print(f"server alive: {alive}; 5xx/errors: {bad}; cheap-refusal p99 {cheap_p99:.1f} ms (limit 50)")
print(f"load: {1 if ok else 0} passed, {0 if ok else 1} failed")
sys.exit(0 if ok else 1)
