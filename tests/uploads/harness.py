"""The upload trigger's harness: the real `bootstrap` behind a Lambda Runtime API emulator, with
moto's S3 server on loopback.

    with Harness(bootstrap, env={...}) as h:
        h.s3.put_object(...)
        result = h.invoke(h.s3_event([("ObjectCreated:Put", "src", "a b.jpg")]))

`invoke` delivers one event as the Lambda service does (GET .../invocation/next answered with
it, a real epoch deadline) and returns ("response" | "error", payload). The emulator is ours
(~80 lines) rather than cargo-lambda's: it runs a prebuilt binary, and cargo-lambda 1.9.2's sends
a duration as the deadline (reference/moto-gaps.md).
"""
import http.server
import json
import logging
import os
import queue
import socket
import subprocess
import threading
import time
import urllib.parse
import uuid

import boto3
from moto.server import ThreadedMotoServer


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class RuntimeApi:
    """The Lambda Runtime API (2018-06-01) for one function instance."""

    def __init__(self):
        self.events = queue.Queue()
        self.results = {}
        self.done = threading.Condition()
        self.init_error = None
        api = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _reply(self, status, body=b"", headers=()):
                self.send_response(status)
                for k, v in headers:
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if not self.path.endswith("/runtime/invocation/next"):
                    return self._reply(404)
                request_id, body = api.events.get()
                deadline = int((time.time() + 60) * 1000)
                self._reply(200, body, [
                    ("Content-Type", "application/json"),
                    ("Lambda-Runtime-Aws-Request-Id", request_id),
                    ("Lambda-Runtime-Deadline-Ms", str(deadline)),
                    ("Lambda-Runtime-Invoked-Function-Arn",
                     "arn:aws:lambda:us-east-1:123456789012:function:thumbprint"),
                    ("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000"),
                ])

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                parts = self.path.split("/")
                if self.path.endswith("/runtime/init/error"):
                    api.init_error = body.decode()
                    self._reply(202, b"{}")
                    with api.done:
                        api.done.notify_all()
                    return
                # /2018-06-01/runtime/invocation/{id}/response|error
                request_id, outcome = parts[-2], parts[-1]
                with api.done:
                    api.results[request_id] = (outcome, body.decode())
                    api.done.notify_all()
                self._reply(202, b"{}")

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def invoke(self, event, exited, timeout=120):
        """`exited()` says whether the function's process is gone (a cold start that failed)."""
        request_id = str(uuid.uuid4())
        self.events.put((request_id, json.dumps(event).encode()))
        waited = 0.0
        with self.done:
            while request_id not in self.results and not self.init_error:
                if exited() or waited > timeout:
                    break
                self.done.wait(0.1)
                waited += 0.1
        if request_id in self.results:
            outcome, body = self.results.pop(request_id)
            return outcome, json.loads(body) if body else None
        if self.init_error or exited():
            return "init_error", self.init_error
        raise TimeoutError("the bootstrap did not answer")


class Harness:
    """moto's S3 on loopback, the runtime API, and the bootstrap running behind it."""

    def __init__(self, bootstrap, env=None, moto_port=None):
        self.bootstrap = bootstrap
        self.extra_env = env or {}
        self.moto_port = moto_port

    def __enter__(self):
        self.moto = None
        if self.moto_port is None:
            self.moto_port = free_port()
            # The server's request log (werkzeug's) would print every S3 call.
            logging.getLogger("werkzeug").setLevel(logging.ERROR)
            self.moto = ThreadedMotoServer(ip_address="127.0.0.1", port=self.moto_port, verbose=False)
            self.moto.start()
        self.endpoint = f"http://127.0.0.1:{self.moto_port}"
        self.s3 = boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                               aws_access_key_id="test", aws_secret_access_key="test")
        self.runtime = RuntimeApi()
        self.stderr_path = f"/tmp/thumbprint-upload-{os.getpid()}-{uuid.uuid4().hex[:6]}.log"
        env = {
            "PATH": os.environ.get("PATH", ""),
            "AWS_LAMBDA_RUNTIME_API": self.runtime.address,
            "AWS_LAMBDA_FUNCTION_NAME": "thumbprint",
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1769",
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_SESSION_TOKEN": "session",
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL_S3": self.endpoint,
            "RUST_LOG": "info",
        }
        env.update(self.extra_env)
        self.log = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen([self.bootstrap], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def __exit__(self, *exc):
        self.proc.kill()
        self.proc.wait()
        self.log.close()
        self.runtime.server.shutdown()
        if self.moto:
            self.moto.stop()

    def s3_down(self):
        """Stops moto's server (its objects stay in this process): S3 unreachable."""
        self.moto.stop()

    def s3_up(self):
        """Starts moto's server again on the same port, with the same objects."""
        self.moto = ThreadedMotoServer(ip_address="127.0.0.1", port=self.moto_port, verbose=False)
        self.moto.start()

    def logs(self):
        with open(self.stderr_path) as f:
            return [json.loads(l) for l in f if l.startswith("{")]

    def invoke(self, event):
        """("response" | "error", payload), or ("init_error", the log) when the process ended."""
        kind, payload = self.runtime.invoke(event, lambda: self.proc.poll() is not None)
        if kind == "init_error":
            self.log.flush()
            with open(self.stderr_path) as f:
                return kind, (payload or "") + f.read()
        return kind, payload

    @staticmethod
    def s3_event(records):
        """An S3 notification as S3 sends it: keys URL-encoded as a form is (+ for a space)."""
        out = []
        for i, (name, bucket, key, *rest) in enumerate(records):
            etag = rest[0] if rest else "0123456789abcdef0123456789abcdef"
            out.append({
                "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
                "eventTime": "2026-12-07T00:00:00.000Z", "eventName": name,
                "userIdentity": {"principalId": "AWS:EXAMPLE"},
                "requestParameters": {"sourceIPAddress": "127.0.0.1"},
                "responseElements": {"x-amz-request-id": "EXAMPLE", "x-amz-id-2": "EXAMPLE"},
                "s3": {
                    "s3SchemaVersion": "1.0", "configurationId": "thumbprint",
                    "bucket": {"name": bucket, "ownerIdentity": {"principalId": "EXAMPLE"},
                               "arn": f"arn:aws:s3:::{bucket}"},
                    "object": {"key": urllib.parse.quote_plus(key, safe="/"), "size": 1,
                               "eTag": etag.strip('"'), "sequencer": f"{i:016X}"},
                },
            })
        return {"Records": out}

    @staticmethod
    def batch_event(schema, tasks, user_arguments=None, job_id="job-1"):
        """An S3 Batch Operations LambdaInvoke event of invocation schema "1.0" (bucket by ARN)
        or "2.0" (bucket by name, the job's userArguments); keys URL-encoded."""
        out = []
        for i, (bucket, key) in enumerate(tasks):
            task = {"taskId": f"task-{i}", "s3Key": urllib.parse.quote_plus(key, safe="/"),
                    "s3VersionId": None}
            if schema == "1.0":
                task["s3BucketArn"] = f"arn:aws:s3:::{bucket}"
            else:
                task["s3Bucket"] = bucket
            out.append(task)
        job = {"id": job_id}
        if schema == "2.0" and user_arguments is not None:
            job["userArguments"] = user_arguments
        return {"invocationSchemaVersion": schema, "invocationId": f"inv-{uuid.uuid4().hex[:8]}",
                "job": job, "tasks": out}

    @staticmethod
    def post_event(body, query):
        """An API Gateway payload 2.0 POST /thumbnail of `body` (a single request)."""
        import base64
        return {
            "version": "2.0", "routeKey": "POST /thumbnail", "rawPath": "/thumbnail",
            "rawQueryString": query, "headers": {"content-type": "image/x-upload"},
            "requestContext": {"accountId": "123456789012", "apiId": "api", "domainName": "api.example.com",
                               "http": {"method": "POST", "path": "/thumbnail", "protocol": "HTTP/1.1",
                                        "sourceIp": "127.0.0.1", "userAgent": "harness"},
                               "requestId": "r", "routeKey": "POST /thumbnail", "stage": "$default",
                               "time": "07/Dec/2026:00:00:00 +0000", "timeEpoch": 0},
            "body": base64.b64encode(body).decode(), "isBase64Encoded": True,
        }
