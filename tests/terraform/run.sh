#!/usr/bin/env bash
# Terraform checks (no AWS account): fmt, structural tests of the HCL, validate against the
# provider (local mirror at /opt/tf-plugins when present), an apply / no-change plan / readback /
# destroy against the moto AWS emulator on 127.0.0.1, and checkov (in its own virtualenv).
# The structural tests and checkov need no terraform binary and always run; without terraform
# the steps that need it are skipped, and that is written to target/terraform-skipped so the
# test run's last line says so.
#
#   tests/terraform/run.sh [all|static|apply]
# `static` is what needs no build (structure, checkov, fmt, validate); `apply` the emulator run,
# with the arm64 zip when it has been built (scripts/test.sh runs static beside the builds).
set -euo pipefail
phase=${1:-all}
cd "$(dirname "$0")/../.."
root=$(pwd)
rm -f target/terraform-skipped
venv=$(tests/python-venv.sh)
checkov_venv=target/venv-checkov
if [ ! -x "$checkov_venv/bin/checkov" ]; then
  python3 -m venv "$checkov_venv"
  "$checkov_venv/bin/pip" install -q checkov==3.3.30
fi

if [ "$phase" != apply ]; then
echo "-- structure"
"$venv/bin/python" -m pytest -q tests/terraform/test_structure.py
echo "-- checkov"
"$checkov_venv/bin/checkov" -d terraform --framework terraform --quiet --compact --skip-download
if ! command -v terraform >/dev/null; then
  mkdir -p target
  echo "terraform fmt, validate and the emulator apply skipped: terraform is not installed" |
    tee target/terraform-skipped
  echo "terraform checks: 2 passed (structure, checkov), 3 skipped"
  exit 0
fi
echo "-- terraform fmt"
terraform fmt -check -recursive terraform
fi
command -v terraform >/dev/null || exit 0

work=$(mktemp -d)
moto_pid=""
cleanup() { [ -n "$moto_pid" ] && kill "$moto_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cp -r terraform/*.tf terraform/examples terraform/cdn "$work/"
mkdir -p "$work/fixtures"
if [ -f target/lambda/bootstrap/bootstrap.zip ]; then
  cp target/lambda/bootstrap/bootstrap.zip "$work/fixtures/bootstrap.zip"
else
  (cd "$work/fixtures" && printf 'placeholder' > bootstrap && python3 -c "import zipfile; z=zipfile.ZipFile('bootstrap.zip','w'); z.write('bootstrap'); z.close()")
fi
init_args=(-backend=false -input=false)
[ -d /opt/tf-plugins ] && init_args+=(-plugin-dir=/opt/tf-plugins)
export TF_IN_AUTOMATION=1 TF_CLI_ARGS="-no-color"
echo "-- init + validate"
terraform -chdir="$work" init "${init_args[@]}" >/dev/null
if [ "$phase" != apply ]; then
terraform -chdir="$work" validate
# The "bring your own issuer" root (examples/own-issuer) calls the module the same way.
terraform -chdir="$work/examples/own-issuer" init "${init_args[@]}" >/dev/null
terraform -chdir="$work/examples/own-issuer" validate
fi
if [ "$phase" = static ]; then echo "terraform static checks: 4 passed (structure, checkov, fmt, validate), 0 failed"; exit 0; fi

echo "-- apply against the AWS emulator"
emulator_start=$SECONDS
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# ACM certificates are issued at once (moto waits 60 s by default).
MOTO_ACM_VALIDATION_WAIT=0 "$venv/bin/python" tests/terraform/moto_server.py -H 127.0.0.1 -p "$port" > "$work/moto.log" 2>&1 &
moto_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/moto-api/" >/dev/null 2>&1 && break; sleep 0.2; done
endpoint="http://127.0.0.1:$port"
# A distribution is Deployed when first read back (moto's default takes several reads).
curl -sf -X POST "$endpoint/moto-api/state-manager/set-transition" \
  -d '{"model_name": "cloudfront::distribution", "transition": {"progression": "immediate"}}' >/dev/null
cat > "$work/emulator_override.tf" <<TF
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  s3_use_path_style           = true
  endpoints {
    acm             = "$endpoint"
    apigatewayv2    = "$endpoint"
    s3              = "$endpoint"
    sqs             = "$endpoint"
    cloudfront      = "$endpoint"
    cloudwatch      = "$endpoint"
    cloudwatchlogs  = "$endpoint"
    cognitoidp      = "$endpoint"
    iam             = "$endpoint"
    lambda          = "$endpoint"
    route53         = "$endpoint"
    sns             = "$endpoint"
    sts             = "$endpoint"
  }
}

# The module's us-east-1 alias (CloudFront's certificate and alarm): merged with its block.
provider "aws" {
  alias                       = "us_east_1"
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  endpoints {
    acm        = "$endpoint"
    cloudfront = "$endpoint"
    cloudwatch = "$endpoint"
    route53    = "$endpoint"
    sts        = "$endpoint"
  }
}
TF
# The Parameters and Secrets extension is AWS's layer; the emulator's account gets a stand-in of
# the same name, so the function's layer ARN resolves (emulator.tfvars). And a hosted zone for
# the distribution's custom domain (its certificate, validation records and aliases).
zone_id=$("$venv/bin/python" - "$endpoint" <<'PY'
import io, sys, zipfile, boto3
kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test",
          aws_secret_access_key="test")
zone = boto3.client("route53", **kw).create_hosted_zone(Name="thumbprint-emu.example.com",
                                                        CallerReference="run.sh")
print(zone["HostedZone"]["Id"].rsplit("/", 1)[-1])
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("extensions/stand-in", "#!/bin/sh\n")
boto3.client("lambda", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="test",
             aws_secret_access_key="test").publish_layer_version(
    LayerName="AWS-Parameters-and-Secrets-Lambda-Extension-Arm64", Content={"ZipFile": buf.getvalue()},
    CompatibleArchitectures=["arm64"])
PY
)
vars=(-var-file=examples/emulator.tfvars -input=false -var "route53_zone_id=$zone_id"
      -var cdn_domain_name=img.thumbprint-emu.example.com)
timeout 600 terraform -chdir="$work" apply -auto-approve "${vars[@]}" > "$work/apply.log" 2>&1 || { tail -40 "$work/apply.log"; exit 1; }
grep -E "^Apply complete" "$work/apply.log"
set +e
timeout 300 terraform -chdir="$work" plan -detailed-exitcode "${vars[@]}" > "$work/plan.log" 2>&1
plan_rc=$?
set -e
if [ "$plan_rc" != 0 ]; then echo "a second plan is not empty (exit $plan_rc):"; tail -60 "$work/plan.log"; exit 1; fi
echo "second plan: no changes"
# An update, then the plan must be empty again (moto stores some resources wrongly on update:
# reference/moto-gaps.md): one more source bucket and origin for the signed URLs, and a new CDN
# secret put first (a rotation: the distribution and the function change).
update=(-var 'url_source_buckets=["thumbprint-emu-photos","thumbprint-emu-more"]'
        -var 'url_source_origins=["https://images.example.com","https://cdn.example.com"]'
        -var 'cdn_origin_secrets=["emulator-rotated-0123456789abcdef01234567","emulator-secret-0123456789abcdef0123456789"]'
        -var 'uploads_source_suffixes=[".jpg",".png"]')
timeout 600 terraform -chdir="$work" apply -auto-approve "${vars[@]}" "${update[@]}" > "$work/update.log" 2>&1 || { tail -40 "$work/update.log"; exit 1; }
grep -E "^Apply complete" "$work/update.log"
set +e
timeout 300 terraform -chdir="$work" plan -detailed-exitcode "${vars[@]}" "${update[@]}" > "$work/plan.log" 2>&1
plan_rc=$?
set -e
if [ "$plan_rc" != 0 ]; then echo "the plan after an update is not empty (exit $plan_rc):"; tail -60 "$work/plan.log"; exit 1; fi
echo "plan after an update: no changes"
# Back to the inputs the read-back checks.
timeout 600 terraform -chdir="$work" apply -auto-approve "${vars[@]}" > "$work/apply.log" 2>&1 || { tail -40 "$work/apply.log"; exit 1; }
# Inputs that would make every token fail are refused at plan, with the reason.
refused() {
  local want=$1; shift
  if timeout 300 terraform -chdir="$work" plan -refresh=false "${vars[@]}" "$@" > "$work/refused.log" 2>&1; then
    echo "plan accepted $* (every token would fail)"; exit 1
  fi
  grep -q "$want" "$work/refused.log" || { echo "plan refused $* without saying why:"; tail -30 "$work/refused.log"; exit 1; }
}
refused "the one scope its clients can request" -var 'jwt_scopes=["admin"]'
refused "jwt_issuer needs jwt_audience" -var 'jwt_issuer=https://issuer.example.com'
refused "needs route53_zone_id" -var domain_name=thumbs.example.com -var route53_zone_id= -var cdn_domain_name=
refused "reserved_concurrency must be" -var reserved_concurrency=950
refused "url_signing_parameter needs parameters_extension_layer_arn" -var parameters_extension_layer_arn=
refused "cdn_enabled needs cdn_origin_secrets" -var 'cdn_origin_secrets=[]'
refused "cdn_enabled needs url_signing_parameter" -var url_signing_parameter= -var parameters_extension_layer_arn=
refused "cdn_origin_secrets must hold secrets of 32" -var 'cdn_origin_secrets=["short"]'
refused "With one bucket for uploads and thumbnails" -var uploads_source_bucket=same-bucket -var uploads_dest_bucket=same-bucket -var uploads_dest_prefix=uploads/thumbs/
refused "uploads_sizes must be a JSON array" -var 'uploads_sizes={"width":320}'
refused "backfill_enabled needs uploads_enabled" -var uploads_enabled=false
refused "backfill_prefix must lie apart" -var backfill_prefix=thumbnails/backfill/
echo "refused at plan: scopes the clients cannot request, an issuer without an audience, a domain without its zone, a reservation over the account's, signed URLs without the extension that reads their keys, a CDN without its origin secret or without signed URLs, a short secret, uploads and thumbnails in one bucket under overlapping prefixes, sizes that are not an array, a backfill without the trigger or with its manifests among the thumbnails"
# The backfill's create-job commands: both manifest kinds, the role, the function, schema 2.0;
# and the CSV one run as the README says, against a stub `aws` that prints its arguments.
cmds=$(for o in backfill_csv_job_command backfill_inventory_job_command backfill_bucket; do
  terraform -chdir="$work" output -json "$o"; done | "$venv/bin/python" -c 'import json, sys; print(json.dumps([json.loads(l) for l in sys.stdin]))')
stub=$(mktemp -d)
printf '#!/bin/sh\nif [ "$1" = s3api ]; then echo "\\"0123abcd\\""; else printf "%%s\\n" "$@"; fi\n' > "$stub/aws"
chmod +x "$stub/aws"
csv_args=$(PATH="$stub:$PATH" sh -c "$(terraform -chdir="$work" output -raw backfill_csv_job_command)")
rm -rf "$stub"
CMDS="$cmds" CSV_ARGS="$csv_args" "$venv/bin/python" -c '
import json, os
csv, inventory, bucket = json.loads(os.environ["CMDS"])
for cmd in (csv, inventory):
    assert cmd.count("aws s3control create-job") == 1 and ":role/thumbprint-emu-backfill" in cmd, cmd
    assert ":function:thumbprint-emu" in cmd and "\"InvocationSchemaVersion\":\"2.0\"" in cmd, cmd
    assert "thumbprint-backfill/reports" in cmd and "Report_CSV_20180820" in cmd, cmd
assert "S3BatchOperations_CSV_20180820" in csv and "S3InventoryReport_CSV_20161130" in inventory
assert bucket.startswith("thumbprint-emu-thumbnails-"), bucket
# What the shell hands `aws`: every JSON argument parses, the manifest names the CSV and its ETag.
args = os.environ["CSV_ARGS"].splitlines()
assert args[:2] == ["s3control", "create-job"], args
value = dict(zip(args[2:], args[3:]))
manifest = json.loads(value["--manifest"])
assert manifest["Location"] == {"ObjectArn": f"arn:aws:s3:::{bucket}/thumbprint-backfill/manifests/manifest.csv",
                                "ETag": "0123abcd"}, manifest
assert json.loads(value["--operation"])["LambdaInvoke"]["InvocationSchemaVersion"] == "2.0"
assert json.loads(value["--report"])["Prefix"] == "thumbprint-backfill/reports"
print("backfill: create-job commands for a CSV manifest and an S3 Inventory report; the CSV one parses as aws receives it")
'
# Cognito refuses domain prefixes with aws/amazon/cognito in them: the module leaves them out.
prefix=$(echo 'local.cognito_domain_prefix' | timeout 120 terraform -chdir="$work" console "${vars[@]}" -var name=my-aws-Cognito-amazon-app 2>/dev/null | tr -d '"')
case "$prefix" in
  my-app-??????????) ;;
  *) echo "Cognito domain prefix for name my-aws-Cognito-amazon-app: '$prefix'"; exit 1 ;;
esac
echo "Cognito domain prefix without reserved words: $prefix"
"$venv/bin/python" tests/terraform/readback.py "$endpoint" thumbprint-emu
# moto never reports a deleted Cognito resource server as gone (the provider would wait for
# ever); it goes with its user pool, so it is dropped from the state first.
terraform -chdir="$work" state rm 'aws_cognito_resource_server.this[0]' >/dev/null
timeout 300 terraform -chdir="$work" destroy -auto-approve "${vars[@]}" > "$work/destroy.log" 2>&1 || { tail -40 "$work/destroy.log"; exit 1; }
grep -E "^Destroy complete" "$work/destroy.log"
slowest=$(grep -hoE '^[^ ]+: (Creation|Modifications|Destruction) complete after [0-9ms]+' "$work"/apply.log "$work"/update.log "$work"/destroy.log |
  awk '{t=$NF; m=0; if (t ~ /m/) { split(t, a, "m"); m=a[1]; t=a[2] } sub("s", "", t); print m*60+t, $1, $2}' | sort -n | tail -3 | awk '{printf "%s%s %s %d s", (NR>1?", ":""), $2, $3, $1}')
echo "emulator run: $((SECONDS - emulator_start)) s; slowest resources: $slowest"

echo "terraform checks: 5 passed, 0 failed"
