#!/usr/bin/env bash
# The arm64 builds, in one cargo-lambda invocation so that their dependencies compile once: the
# Lambda zip exactly as it is deployed (release profile, cargo-lambda's zig linker,
# target/lambda/bootstrap/bootstrap.zip) and the aarch64 parity runner beside it, built the same
# way (target/lambda/parity/bootstrap.zip), so the engine code it checks is the deployed one's.
# Building both together does not change the bootstrap: the parity runner adds no dependency and
# no feature to the graph (`cargo tree -e features` of thumbprint-lambda alone and of both agree).
# Used by tests/lambda/roundtrip.sh and tests/parity/check-aarch64.sh; a second call is a no-op.
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -f target/lambda/bootstrap/.built
cargo lambda build --release --arm64 --locked --output-format zip \
  -p thumbprint-lambda -p thumbprint-tests --bin bootstrap --bin parity
: > target/lambda/bootstrap/.built  # the zip is whole (scripts/test.sh's Terraform step waits for it)
