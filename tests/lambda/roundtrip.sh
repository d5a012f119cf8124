#!/usr/bin/env bash
# The real arm64 artifact round-trips: builds the Lambda zip exactly as it is deployed
# (tests/lambda/build-arm64.sh: cargo lambda build --release --arm64 --output-format zip), runs its bootstrap under
# qemu-aarch64 against a local Runtime API (runtime_api.py), sends a payload-2.0 event with a
# corpus photo, and checks the returned image bytes equal the x86_64 bootstrap's for the same
# event. Prints the zip size and the time from process start to the first answered request.
set -euo pipefail
cd "$(dirname "$0")/../.."
CORPUS=${THUMBPRINT_CORPUS:-tests/corpus}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tests/lambda/build-arm64.sh
zip=target/lambda/bootstrap/bootstrap.zip
unzip -o -q "$zip" -d "$work/arm64"
# The development issuer (`thumbprint serve --dev-auth`) is never part of the Lambda: none of its
# code (its sign-in page, its fixed client secret) is linked into the deployed bootstrap.
if grep -a -q -e "thumbprint-dev-secret" -e "Development issuer" "$work/arm64/bootstrap"; then
  echo "the development issuer is linked into the Lambda bootstrap"; exit 1
fi
# The x86_64 bootstrap scripts/test.sh built (THUMBPRINT_BOOTSTRAP), else the local profile's.
x86_bootstrap=${THUMBPRINT_BOOTSTRAP:-}
if [ -z "$x86_bootstrap" ]; then
  cargo build --profile local --locked -p thumbprint-lambda --bin bootstrap
  x86_bootstrap=target/local/bootstrap
fi

photo=$(ls "$CORPUS"/photos/*.jpg | head -1)
python3 - "$photo" > "$work/event.json" <<'PY'
import base64, json, sys
event = json.load(open("lambda/tests/events/apigw-v2-jwt-authorizer.json"))
event.update(rawPath="/thumbnail", rawQueryString="width=200", isBase64Encoded=True,
             headers={"content-type": "image/jpeg", "authorization": "Bearer x"},
             body=base64.b64encode(open(sys.argv[1], "rb").read()).decode())
event.pop("queryStringParameters", None)
event["requestContext"]["http"].update(method="POST", path="/thumbnail")
event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] = "roundtrip"
print(json.dumps(event))
PY

run() { # name, command...
  local name=$1; shift
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  python3 tests/lambda/runtime_api.py "$port" "$work/event.json" "$work/$name.json" > "$work/$name.log" &
  local api=$!
  # Every wait is bounded: the Runtime API must be up within 10 s, and it gives up on its own
  # after 300 s without an answer; a bootstrap that dies ends the wait at once.
  for _ in $(seq 1 200); do grep -q ready "$work/$name.log" && break; sleep 0.05; done
  grep -q ready "$work/$name.log" || { echo "$name: the local Runtime API did not start"; exit 1; }
  date +%s%N > "$work/$name.json.start"
  AWS_LAMBDA_RUNTIME_API="127.0.0.1:$port" AWS_LAMBDA_FUNCTION_NAME=thumbprint \
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512 AWS_LAMBDA_FUNCTION_VERSION='$LATEST' \
    AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/thumbprint AWS_LAMBDA_LOG_STREAM_NAME=local \
    "$@" > "$work/$name.out" 2>&1 &
  local fn=$!
  while kill -0 "$api" 2>/dev/null && kill -0 "$fn" 2>/dev/null; do sleep 0.1; done
  kill "$fn" "$api" 2>/dev/null || true
  wait "$fn" 2>/dev/null || true
  wait "$api" 2>/dev/null || true
  if [ ! -s "$work/$name.json" ]; then
    echo "$name bootstrap: no answer; its output:"; tail -20 "$work/$name.out"; exit 1
  fi
  echo "$name bootstrap: first request answered $(tail -1 "$work/$name.log" | sed 's/^response //') after process start"
}

run x86_64 "$x86_bootstrap"
run arm64 qemu-aarch64 -L /usr/aarch64-linux-gnu "$work/arm64/bootstrap"

python3 - "$work/x86_64.json" "$work/arm64.json" <<'PY'
import base64, hashlib, json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for name, r in (("x86_64", a), ("arm64", b)):
    assert r["statusCode"] == 200, (name, r.get("statusCode"), r.get("body", "")[:200])
    assert r["isBase64Encoded"] is True and r["headers"]["content-type"] == "image/png", name
ba, bb = (base64.b64decode(r["body"]) for r in (a, b))
print(f"x86_64 sha256 {hashlib.sha256(ba).hexdigest()}")
print(f"arm64  sha256 {hashlib.sha256(bb).hexdigest()}")
assert ba == bb, "arm64 bootstrap bytes differ from x86_64"
assert a["headers"]["etag"] == b["headers"]["etag"]
print("arm64 roundtrip: 1 passed, 0 failed")
PY
echo "zip: $(stat -c %s "$zip") bytes ($zip)"
grep -h '"sub":"roundtrip"' "$work/arm64.out" >/dev/null && echo "arm64 log line carries the request (sub) as JSON"
