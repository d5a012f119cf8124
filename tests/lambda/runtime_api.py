#!/usr/bin/env python3
"""A minimal AWS Lambda Runtime API on 127.0.0.1 for one invocation.

Serves EVENT_FILE once at GET /2018-06-01/runtime/invocation/next, writes what the function
POSTs to .../response (or .../error) to OUT_FILE, prints the milliseconds from the time in
OUT_FILE.start (nanoseconds, written by the caller as it launches the bootstrap) to that
response, and exits.

    python3 runtime_api.py PORT EVENT_FILE OUT_FILE
"""
import http.server
import sys
import threading
import time

PORT, EVENT_FILE, OUT_FILE = int(sys.argv[1]), sys.argv[2], sys.argv[3]
EVENT = open(EVENT_FILE, "rb").read()
served = threading.Event()
done = threading.Event()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.endswith("/runtime/invocation/next"):
            if served.is_set():
                done.wait(30)  # a second poll just waits until we are stopped
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            served.set()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Lambda-Runtime-Aws-Request-Id", "8476a536-e9f4-11e8-9739-2dfe598c3fcd")
            self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000))
            self.send_header("Lambda-Runtime-Invoked-Function-Arn",
                             "arn:aws:lambda:us-east-1:123456789012:function:thumbprint")
            self.send_header("Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700")
            self.send_header("Content-Length", str(len(EVENT)))
            self.end_headers()
            self.wfile.write(EVENT)
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if "/invocation/" in self.path:
            try:
                started = int(open(OUT_FILE + ".start").read().strip())
            except (OSError, ValueError):
                started = time.time_ns()
            elapsed_ms = (time.time_ns() - started) / 1e6
            with open(OUT_FILE, "wb") as f:
                f.write(body)
            kind = "error" if self.path.endswith("/error") else "response"
            print(f"{kind} after {elapsed_ms:.1f} ms", flush=True)
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()
        if "/invocation/" in self.path:
            done.set()


server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
print("ready", flush=True)
done.wait(300)
time.sleep(0.2)
server.shutdown()
