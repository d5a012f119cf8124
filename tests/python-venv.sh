#!/usr/bin/env bash
# Prints the path of the tests' Python virtualenv (moto's server, boto3, python-hcl2, pytest:
# tests/terraform/requirements.txt), creating it first when it is missing. Several test steps
# run side by side and use it: the creation holds a lock, so it happens once.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/venv-terraform
mkdir -p target
exec 9>target/venv-terraform.lock
flock 9
if [ ! -x "$venv/bin/pytest" ] || ! cmp -s tests/terraform/requirements.txt "$venv/requirements.txt"; then
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q -r tests/terraform/requirements.txt >&2
  cp tests/terraform/requirements.txt "$venv/requirements.txt"
fi
echo "$PWD/$venv"
