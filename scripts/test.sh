#!/usr/bin/env bash
# Runs every test of thumbprint on a fresh machine: installs what is missing (scripts/setup.sh),
# then style (fmt, clippy, doc, the fuzz targets' build), unit and integration tests (service,
# threat table, corpus manifest, OpenAPI, the hostile corpus against the memory budget, the local
# server's front door), the parity vectors on x86_64, aarch64 (qemu-user) and wasm32 (Node and
# headless Chromium), the preview page driven in Chromium, the real arm64 Lambda zip under qemu
# against a Runtime API, and the Terraform checks (static, and applied on the moto emulator).
#
# One build per target serves every step: the wasm engine (release) is built first, since the
# service embeds it; x86_64 is built once in the `local` profile (the one scripts/run.sh builds:
# the engine optimised as in release), shared by clippy, doc and the tests, and its `thumbprint`
# and `bootstrap` serve the service, hostile, browser and roundtrip tests; aarch64 is built once
# by cargo-lambda, for the zip and the parity runner, at low priority beside the x86_64 steps.
# The Terraform checks that need no build run beside the builds from the start. Each step's time
# is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target/steps
started=$(date +%s)
times=()
step() { printf '\n==== %s\n' "$*"; step_name="$*"; step_start=$(date +%s); }
done_step() { times+=("$(printf '%5ds  %s' $(( $(date +%s) - step_start )) "$step_name")"); }

# Background jobs: their output goes to target/steps/NAME.log and is printed when joined.
declare -A job_pid job_start
bg() { # name, command...
  local name=$1; shift
  job_start[$name]=$(date +%s)
  ( set +e; "$@"; rc=$?; date +%s > "target/steps/$name.end"; exit $rc ) > "target/steps/$name.log" 2>&1 &
  job_pid[$name]=$!
}
join() { # name
  local name=$1 rc=0
  wait "${job_pid[$name]}" || rc=$?
  printf '\n==== %s (ran beside the steps above)\n' "$name"
  cat "target/steps/$name.log"
  local end; end=$(cat "target/steps/$name.end" 2>/dev/null || date +%s)
  times+=("$(printf '%5ds  %s (beside the steps above)' $(( end - job_start[$name] )) "$name")")
  if [ "$rc" != 0 ]; then echo "==== $name FAILED (exit $rc)"; exit "$rc"; fi
}

step setup;                 scripts/setup.sh; done_step
# The Terraform checks that need no build (virtualenvs, structure, checkov, fmt, validate) run
# beside everything else from the start, at low priority.
bg terraform-static nice -n 10 tests/terraform/run.sh static
step "cargo fmt";           cargo fmt --all -- --check; done_step
step "wasm build (the page's engine, embedded by the service)"; scripts/build-wasm.sh; done_step

# The arm64 side builds at the lowest priority beside everything below (which leaves a core idle
# in its single-threaded stretches): the Lambda zip and the aarch64 parity runner in one
# cargo-lambda invocation, the parity vectors under qemu, then the zip's bootstrap under qemu
# against the x86_64 one once the x86_64 test build has made it.
arm64() {
  nice -n 19 tests/lambda/build-arm64.sh && nice -n 15 tests/parity/check-aarch64.sh || return
  while [ ! -f target/steps/x86_64.built ]; do kill -0 $$ 2>/dev/null || return 1; sleep 2; done
  nice -n 15 tests/lambda/roundtrip.sh
}
rm -f target/steps/x86_64.built target/lambda/bootstrap/.built
# The x86_64 binaries the test build below makes (the roundtrip compares against this bootstrap).
export THUMBPRINT_BIN="$PWD/target/local/thumbprint" THUMBPRINT_BOOTSTRAP="$PWD/target/local/bootstrap"
bg arm64 arm64

# clippy, doc and the tests share one profile (`local`, the one scripts/run.sh builds: the engine
# optimised as in release), so that the build scripts and proc-macros compile once for all three,
# and rustdoc reuses clippy's checked dependencies.
local=(--profile local --locked)
step "cargo clippy";        cargo clippy "${local[@]}" --workspace --all-targets -- -D warnings; done_step
step "cargo doc";           RUSTDOCFLAGS="-D warnings" cargo doc "${local[@]}" --no-deps --workspace; done_step
# thumbprint-wasm is compiled for wasm32 above and tested there (Node, Chromium); natively it has
# no test, so the x86_64 test build leaves it (and its js-sys) out. clippy still checks it.
tests=("${local[@]}" --workspace --exclude thumbprint-wasm)
step "cargo test: build (local profile)"
cargo test "${tests[@]}" --no-run; done_step
: > target/steps/x86_64.built

step "cargo test: run (unit, service, corpus, parity x86_64, hostile files, the bootstrap)"
cargo test "${tests[@]}"; done_step
step "parity wasm32 (Node)"
node tests/parity/wasm.mjs --check && node tests/parity/wasm.mjs --check --sets; done_step
step "browser (Chromium): parity, page, accessibility, sets, sign-in, image URLs; the CDN's Accept function"; node --test tests/browser/ tests/cdn/; done_step
step "signed URLs end to end (serve, moto S3, imgproxy's URL builders)"; tests/signed/e2e.sh; done_step
step "thumbnails on upload and backfill (the bootstrap behind a runtime API, moto S3)"; tests/uploads/run.sh; done_step
step "fuzz targets build"; (cd fuzz && RUSTFLAGS="--cfg fuzzing" cargo check --locked --bins -q); done_step
join terraform-static
step "terraform apply on the emulator (the arm64 zip)"
while [ ! -f target/lambda/bootstrap/.built ] && kill -0 "${job_pid[arm64]}" 2>/dev/null; do sleep 2; done
tests/terraform/run.sh apply; done_step
join arm64

printf '\n==== times (wall clock %ds)\n' $(( $(date +%s) - started ))
printf '%s\n' "${times[@]}"
if [ -f target/terraform-skipped ]; then
  step "all tests passed, but: $(cat target/terraform-skipped)"
else
  step "all tests passed"
fi
