#!/usr/bin/env bash
# Thumbnails on upload end to end: the bootstrap (THUMBPRINT_BOOTSTRAP, else the local build)
# behind tests/uploads/harness.py's runtime API, with moto's S3 on loopback.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=$(tests/python-venv.sh)
export THUMBPRINT_BOOTSTRAP=${THUMBPRINT_BOOTSTRAP:-$PWD/target/local/bootstrap}
cd tests/uploads
"$venv/bin/python" -m pytest -q -p no:cacheprovider -s test_uploads.py test_backfill.py
