"""Structural checks of the Terraform root module: parse the HCL (python-hcl2) and assert what
the emulator run cannot show: the custom-domain path (moto has no ACM validation or domain
names), plan-time validation, the invariants every route and variable must keep, and that
Terraform and the Rust function spell the same names. What `terraform apply` creates is
checked on the applied resources by readback.py (role policy, trust, routes, integration,
authorizer, clients, alarms, dashboard, queries), not restated here.

    python -m pytest tests/terraform/test_structure.py
"""
import glob
import json
import os
import re

import hcl2
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TF = os.path.join(HERE, "..", "..", "terraform")


def norm(v):
    """python-hcl2 8 keeps string quotes (\"x\") in keys and values; drop them."""
    if isinstance(v, dict):
        return {norm(k): norm(x) for k, x in v.items()}
    if isinstance(v, list):
        return [norm(x) for x in v]
    if isinstance(v, str) and len(v) >= 2 and v[0] == '"' and v[-1] == '"':
        return v[1:-1]
    return v


def load():
    resources, variables, outputs, locals_ = {}, {}, {}, {}
    for path in sorted(glob.glob(os.path.join(TF, "*.tf"))):
        with open(path) as f:
            doc = norm(hcl2.load(f))
        for block in doc.get("resource", []):
            for rtype, named in block.items():
                for name, body in named.items():
                    resources[(rtype, name)] = body
        for block in doc.get("variable", []):
            variables.update(block)
        for block in doc.get("output", []):
            outputs.update(block)
        for block in doc.get("locals", []):
            locals_.update(block)
    return resources, variables, outputs, locals_


RES, VARS, OUTS, LOCALS = load()


def one(rtype, name):
    assert (rtype, name) in RES, f"missing resource {rtype}.{name}"
    return RES[(rtype, name)]


def of_type(rtype):
    return {name: body for (t, name), body in RES.items() if t == rtype}


def strip(s):
    """hcl2 keeps interpolations as ${...}; compare on the bare text."""
    return str(s).replace("${", "").replace("}", "")


def test_files_split_by_concern():
    names = {os.path.basename(p) for p in glob.glob(os.path.join(TF, "*.tf"))}
    for required in ["versions.tf", "variables.tf", "lambda.tf", "api.tf", "domain.tf", "outputs.tf"]:
        assert required in names


def test_provider_constraint_allows_the_local_mirror():
    with open(os.path.join(TF, "versions.tf")) as f:
        text = f.read()
    assert re.search(r'version\s*=\s*">= 5.100, < 6.0"', text)


def test_every_variable_is_described_typed_and_validated_where_it_can_fail_late():
    for name, body in VARS.items():
        assert body.get("description"), f"variable {name} has no description"
        assert body.get("type"), f"variable {name} has no type"
    for must in ["domain_name", "memory_size", "timeout_seconds", "throttling_rate_limit",
                 "throttling_burst_limit", "route53_zone_id", "jwt_issuer", "reserved_concurrency"]:
        assert VARS[must].get("validation"), f"variable {must} is not validated"


def test_a_new_zip_is_a_new_deployment():
    # What the emulator's read-back cannot see: the code hash follows the zip, so a rebuilt zip
    # redeploys (architecture, runtime and handler are read back from the applied function).
    fn = one("aws_lambda_function", "this")
    assert "filebase64sha256(var.lambda_zip_path)" in strip(fn["source_code_hash"])
    assert "var.lambda_zip_path" in strip(fn["filename"])


def test_function_timeout_is_below_the_integration_timeout():
    integ = one("aws_apigatewayv2_integration", "lambda")
    validation = VARS["timeout_seconds"]["validation"]
    validation = validation[0] if isinstance(validation, list) else validation
    assert "var.timeout_seconds <= 29" in strip(validation["condition"])
    assert VARS["timeout_seconds"]["default"] <= 29
    assert integ["timeout_milliseconds"] == 30000
    # The largest timeout the validation lets through is still below the integration's.
    assert 29 * 1000 < integ["timeout_milliseconds"]




def test_every_non_public_route_uses_the_jwt_authorizer():
    public = {"GET /", "GET /{file}", "GET /pkg/{file}", "GET /version", "GET /openapi.json",
              "GET /auth-config", "HEAD /", "HEAD /version"}
    protected = one("aws_apigatewayv2_route", "protected")
    assert protected["authorization_type"] == "JWT"
    assert "aws_apigatewayv2_authorizer.jwt.id" in strip(protected["authorizer_id"])
    assert "local.protected_routes" in strip(protected["for_each"])
    public_route = one("aws_apigatewayv2_route", "public")
    assert "local.public_routes" in strip(public_route["for_each"])
    # The protected set holds POST /thumbnail; nothing POST is public.
    text = open(os.path.join(TF, "locals.tf")).read()
    pub = re.search(r"public_routes\s*=\s*toset\(\[(.*?)\]\)", text, re.S).group(1)
    prot = re.search(r"protected_routes\s*=\s*(.*)", text).group(1)
    assert "POST /thumbnail" in prot
    # POST /sign (the page's signed URLs) only with signed URLs, and behind the same authorizer.
    assert re.search(r'local\.signed_urls_enabled \? \["POST /sign"\] : \[\]', prot), prot
    assert "POST" not in pub
    assert set(re.findall(r'"([^"]+)"', pub)) == public
    # Every route resource is one of the two, or the signed image URLs' catch-alls: GET and HEAD
    # only (their signature is their authorization), and only when a keys parameter is named.
    assert set(of_type("aws_apigatewayv2_route")) == {"protected", "public", "signed_urls"}
    signed = one("aws_apigatewayv2_route", "signed_urls")
    assert signed["authorization_type"] == "NONE"
    assert "local.signed_url_routes" in strip(signed["for_each"])
    text = open(os.path.join(TF, "signed_urls.tf")).read()
    routes = re.search(r"signed_url_routes\s*=\s*(.*)", text).group(1)
    assert routes.startswith("local.signed_urls_enabled ?"), routes
    assert set(re.findall(r'"([A-Z]+) /', routes)) == {"GET", "HEAD"}, routes




def test_permissions_are_scoped_to_this_api():
    perms = of_type("aws_lambda_permission")
    assert perms
    for name, p in perms.items():
        if name == "uploads":
            # S3's own permission (uploads.tf): from the source bucket of this account only.
            assert strip(p["source_arn"]).startswith("arn:aws:s3:::"), p
            continue
        assert p["principal"] == "apigateway.amazonaws.com"
        assert p["action"] == "lambda:InvokeFunction"
        arn = strip(p["source_arn"])
        assert arn.startswith("aws_apigatewayv2_api.this.execution_arn/"), name
        assert arn != "aws_apigatewayv2_api.this.execution_arn/*/*/*"
    assert strip(perms["thumbnail"]["source_arn"]).endswith("/*/POST/thumbnail")
    assert strip(perms["sign"]["source_arn"]).endswith("/*/POST/sign")


def test_stage_has_both_throttling_limits_and_safe_access_logs():
    stage = one("aws_apigatewayv2_stage", "default")
    assert stage["name"] == "$default"
    assert stage["auto_deploy"] is True
    s = stage["default_route_settings"][0]
    assert "var.throttling_burst_limit" in strip(s["throttling_burst_limit"])
    assert "var.throttling_rate_limit" in strip(s["throttling_rate_limit"])
    fmt = str(stage["access_log_settings"][0]["format"])
    assert "$context.requestId" in fmt
    assert "authorization" not in fmt.lower().replace("authorizer", "")
    assert "querystring" not in fmt.lower()


def test_custom_domain_is_validated_through_route53_and_mapped():
    cert = one("aws_acm_certificate", "this")
    assert cert["validation_method"] == "DNS"
    rec = one("aws_route53_record", "validation")
    assert "var.route53_zone_id" in strip(rec["zone_id"])
    assert "domain_validation_options" in strip(rec["for_each"])
    val = one("aws_acm_certificate_validation", "this")
    assert "aws_route53_record.validation" in strip(val["validation_record_fqdns"])
    dom = one("aws_apigatewayv2_domain_name", "this")
    conf = dom["domain_name_configuration"][0]
    assert "aws_acm_certificate_validation.this[0].certificate_arn" in strip(conf["certificate_arn"])
    assert conf["endpoint_type"] == "REGIONAL"
    assert conf["security_policy"] == "TLS_1_2"
    mapping = one("aws_apigatewayv2_api_mapping", "this")
    assert "aws_apigatewayv2_domain_name.this[0].id" in strip(mapping["domain_name"])
    assert "aws_apigatewayv2_stage.default.id" in strip(mapping["stage"])
    alias = one("aws_route53_record", "alias")
    assert "target_domain_name" in strip(alias["alias"][0]["name"])
    for name in ["this"]:
        for rtype in ["aws_acm_certificate", "aws_apigatewayv2_domain_name", "aws_apigatewayv2_api_mapping"]:
            assert "local.domain_enabled" in strip(RES[(rtype, name)]["count"])
    api = one("aws_apigatewayv2_api", "this")
    assert "local.domain_enabled" in strip(api["disable_execute_api_endpoint"])


def test_cors_is_limited_to_the_page_origin():
    text = open(os.path.join(TF, "locals.tf")).read()
    assert '"https://${var.domain_name}"' in text
    api = one("aws_apigatewayv2_api", "this")
    cors = api["dynamic"][0]["cors_configuration"]["content"][0]
    assert "local.cors_origins" in strip(cors["allow_origins"])
    assert "*" not in str(cors["allow_origins"])




def test_outputs():
    for name in ["api_url", "thumbnail_url", "preview_page_url", "jwt_issuer", "jwt_audience"]:
        assert name in OUTS, name
        assert OUTS[name].get("description")
    assert OUTS["cognito_client_secret"]["sensitive"] is True


def test_emulator_inputs_turn_the_domain_off():
    text = open(os.path.join(TF, "examples", "emulator.tfvars")).read()
    assert "domain_name" not in text or re.search(r'domain_name\s*=\s*""', text)


def test_the_page_signs_in_with_a_public_pkce_client_on_its_own_origin():
    page = one("aws_cognito_user_pool_client", "page")
    # Public: no secret a browser would have to hold; code flow only (PKCE is the page's part).
    assert page["generate_secret"] is False
    assert page["allowed_oauth_flows"] == ["code"]
    assert page["allowed_oauth_flows_user_pool_client"] is True
    assert "client_credentials" not in page["allowed_oauth_flows"]
    assert strip(page["allowed_oauth_scopes"]) == strip(["openid", "${var.name}/thumbnail"])
    # Sent back only to the page's own origin (plus validated extras), after sign-in and sign-out.
    assert strip(page["callback_urls"]) == "local.page_callback_urls"
    assert strip(page["logout_urls"]) == "local.page_callback_urls"
    assert strip(LOCALS["page_callback_urls"]).startswith('concat(["local.base_url/"]')
    assert page["prevent_user_existence_errors"] == "ENABLED"
    # The confidential client stays for server callers, with its secret.
    server = one("aws_cognito_user_pool_client", "this")
    assert server["generate_secret"] is True
    assert server["allowed_oauth_flows"] == ["client_credentials"]
    # Both clients' tokens are accepted: each id is an audience of the authorizer.
    aud = strip(LOCALS["jwt_audience"])
    assert "aws_cognito_user_pool_client.this[0].id" in aud
    assert "aws_cognito_user_pool_client.page[0].id" in aud
    # No self sign-up on the hosted page.
    pool = one("aws_cognito_user_pool", "this")
    assert pool["admin_create_user_config"][0]["allow_admin_create_user_only"] is True


def test_the_function_tells_the_page_how_to_sign_in():
    env = strip(one("aws_lambda_function", "this")["environment"][0]["variables"])
    assert "local.page_auth_environment" in env
    page_env = strip(LOCALS["page_auth_environment"])
    assert "aws_cognito_user_pool_client.page[0].id" in page_env
    # The hosted domain is built from the provider's region, not a variable that may differ.
    assert "data.aws_region.current.name" in strip(LOCALS["cognito_hosted_url"])
    assert "var.aws_region" not in strip(OUTS["token_endpoint"]["value"])
    # GET /auth-config is public (the page reads it before anyone signs in).
    pub = re.search(r"public_routes\s*=\s*toset\(\[(.*?)\]\)",
                    open(os.path.join(TF, "locals.tf")).read(), re.S).group(1)
    assert '"GET /auth-config"' in pub
    assert OUTS["page_client_id"].get("description")


def test_combinations_that_reject_every_token_are_refused_at_plan():
    conditions = [strip(p["condition"]) for p in
                  one("aws_apigatewayv2_authorizer", "jwt")["lifecycle"][0]["precondition"]]
    assert any("length(local.jwt_audience) > 0" in c for c in conditions)
    assert any("var.jwt_scopes" in c and "var.name/thumbnail" in c for c in conditions)



def tf_text(name):
    return open(os.path.join(TF, name)).read()


def test_defaults_apply_on_a_new_account():
    # Lambda refuses a reservation that leaves fewer than 100 unreserved executions; new accounts
    # often have a quota of 10, so the default reserves nothing and validation stops at 1000-100.
    rc = VARS["reserved_concurrency"]
    assert rc["default"] == -1
    assert "900" in strip(rc["validation"][0]["condition"])
    assert strip(one("aws_lambda_function", "this")["reserved_concurrent_executions"]) == "var.reserved_concurrency"
    # One full vCPU for a single-threaded engine; at least the engine's budget.
    assert VARS["memory_size"]["default"] == 1769
    assert "var.memory_size >= 512" in strip(VARS["memory_size"]["validation"][0]["condition"])
    assert VARS["timeout_seconds"]["default"] == 15


def test_iam_role_name_is_unique_per_region():
    name = strip(one("aws_iam_role", "function")["name"])
    assert "data.aws_region.current.name" in name, name


def test_cognito_domain_prefix_drops_reserved_words():
    domain = strip(one("aws_cognito_user_pool_domain", "this")["domain"])
    assert domain == "local.cognito_domain_prefix"
    assert "aws|amazon|cognito" in strip(LOCALS["cognito_name_part"])


def test_aaaa_alias_points_at_a_dualstack_domain():
    cfg = one("aws_apigatewayv2_domain_name", "this")["domain_name_configuration"][0]
    assert cfg["ip_address_type"] == "dualstack"
    assert "AAAA" in strip(one("aws_route53_record", "alias")["for_each"])


def test_a_domain_without_its_zone_is_refused_with_a_clear_message():
    pre = one("aws_acm_certificate", "this")["lifecycle"][0]["precondition"][0]
    assert strip(pre["condition"]) == 'var.route53_zone_id != ""'
    assert "route53_zone_id" in pre["error_message"]


def test_public_routes_are_throttled_apart_from_post_thumbnail():
    text = tf_text("api.tf")
    block = re.search(r'dynamic "route_settings" \{(.*?)\n  \}', text, re.S).group(1)
    assert "for_each = local.public_routes" in block
    assert "var.page_throttling_rate_limit" in block and "var.page_throttling_burst_limit" in block
    stage = one("aws_apigatewayv2_stage", "default")
    assert "aws_apigatewayv2_route.public" in strip(stage["depends_on"])
    assert VARS["page_throttling_rate_limit"]["default"] < VARS["throttling_rate_limit"]["default"]


def test_access_log_says_why_and_metrics_are_per_route():
    stage = one("aws_apigatewayv2_stage", "default")
    fmt = strip(stage["access_log_settings"][0]["format"])
    for field in ["context.error.message", "context.error.responseType", "context.integrationStatus",
                  "context.protocol", "context.domainName", "context.requestId"]:
        assert field in fmt, field
    assert "authorization" not in fmt.lower().replace("authorizer", "")
    assert stage["default_route_settings"][0]["detailed_metrics_enabled"] is True


def test_head_is_routed_and_permitted():
    perms = of_type("aws_lambda_permission")
    assert any(strip(p["source_arn"]).endswith("/*/HEAD/*") for p in perms.values())


def test_log_kms_key_needs_a_key_policy_and_says_so():
    assert "logs.<region>.amazonaws.com" in VARS["log_kms_key_arn"]["description"]




ROOT = os.path.join(HERE, "..", "..")


def rust_page_auth_names():
    """The names the service reads for the page's sign-in (service/src/auth/page.rs, ENV)."""
    src = open(os.path.join(ROOT, "service", "src", "auth", "page.rs")).read()
    block = re.search(r"pub const ENV: \[&str; \d+\] = \[(.*?)\];", src, re.S).group(1)
    return set(re.findall(r'"(THUMBPRINT_[A-Z0-9_]+)"', block))


def rust_env_names():
    """Every THUMBPRINT_* name any of the function's crates spells."""
    names = set()
    for path in glob.glob(os.path.join(ROOT, "*", "src", "**", "*.rs"), recursive=True):
        if os.sep + "cli" + os.sep in path:
            continue  # the command line's own settings are not the function's
        names |= set(re.findall(r'"(THUMBPRINT_[A-Z0-9_]+)"', open(path).read()))
    return names


def terraform_env_names():
    """Every THUMBPRINT_* environment name the Terraform sets, in any file."""
    names = set()
    for path in glob.glob(os.path.join(TF, "*.tf")):
        names |= set(re.findall(r"^\s*(THUMBPRINT_[A-Z0-9_]+)\s*=", open(path).read(), re.M))
    return names


def test_terraform_and_the_function_spell_the_same_environment_names():
    page = rust_page_auth_names()
    assert len(page) == 5, page
    tf_page = set(re.findall(r"^\s*(THUMBPRINT_AUTH_[A-Z0-9_]+)\s*=",
                             open(os.path.join(TF, "locals.tf")).read(), re.M))
    # The page's sign-in names: exactly the ones the service reads.
    assert tf_page == page, (tf_page ^ page)
    # Nothing Terraform sets that the function never reads (a misspelt name is silently unused).
    unread = terraform_env_names() - rust_env_names()
    assert not unread, unread


def rust_const(path, name):
    text = open(os.path.join(HERE, "..", "..", path)).read()
    return re.search(rf'pub const {name}: &str = "([^"]+)";', text).group(1)


def test_the_cdn_caches_on_path_and_normalised_accept_and_cannot_be_bypassed():
    dist = one("aws_cloudfront_distribution", "images")
    origin = dist["origin"][0]
    assert origin["custom_origin_config"][0]["origin_protocol_policy"] == "https-only"
    header = origin["custom_header"][0]
    # The header CloudFront adds is the one the function checks, holding the first secret.
    assert header["name"] == rust_const("service/src/signed/cdn.rs", "HEADER")
    assert "var.cdn_origin_secrets[0]" in strip(header["value"])
    behaviour = dist["default_cache_behavior"][0]
    assert sorted(behaviour["allowed_methods"]) == ["GET", "HEAD"]
    assert behaviour["viewer_protocol_policy"] == "redirect-to-https"
    assert "aws_cloudfront_cache_policy.images[0].id" in strip(behaviour["cache_policy_id"])
    assert "forwarded_values" not in behaviour
    assoc = behaviour["function_association"][0]
    assert assoc["event_type"] == "viewer-request"
    assert "aws_cloudfront_function.accept[0].arn" in strip(assoc["function_arn"])
    fn = one("aws_cloudfront_function", "accept")
    assert fn["publish"] is True and fn["runtime"] == "cloudfront-js-2.0"
    assert "cdn/accept.js" in strip(fn["code"])
    keyed = one("aws_cloudfront_cache_policy", "images")["parameters_in_cache_key_and_forwarded_to_origin"][0]
    assert keyed["headers_config"][0]["header_behavior"] == "whitelist"
    assert keyed["headers_config"][0]["headers"][0]["items"] == ["Accept"]
    assert keyed["cookies_config"][0]["cookie_behavior"] == "none"
    assert keyed["query_strings_config"][0]["query_string_behavior"] == "none"
    # Refused at plan: a CDN without signed URLs or without a secret; short secrets.
    conds = [strip(p["condition"]) for p in dist["lifecycle"][0]["precondition"]]
    assert "local.signed_urls_enabled" in conds
    assert "length(var.cdn_origin_secrets) > 0" in conds
    assert VARS["cdn_origin_secrets"]["sensitive"] is True
    assert "{32,256}" in str(VARS["cdn_origin_secrets"]["validation"][0]["condition"])
    # The function learns the secrets and where images are asked.
    text = open(os.path.join(TF, "signed_urls.tf")).read()
    assert re.search(r'THUMBPRINT_CDN_SECRETS\s*=\s*join\(",", var.cdn_origin_secrets\)', text)


def test_the_cdn_certificate_and_alarm_are_in_us_east_1():
    versions = open(os.path.join(TF, "versions.tf")).read()
    assert re.search(r'alias\s*=\s*"us_east_1"\s*\n\s*region\s*=\s*"us-east-1"', versions)
    for rtype, name in [("aws_acm_certificate", "cdn"), ("aws_acm_certificate_validation", "cdn"),
                        ("aws_cloudwatch_metric_alarm", "cdn_5xx")]:
        assert strip(one(rtype, name)["provider"]) == "aws.us_east_1", (rtype, name)
    dist = one("aws_cloudfront_distribution", "images")
    cert = dist["viewer_certificate"][0]
    assert "aws_acm_certificate_validation.cdn[0].certificate_arn" in strip(cert["acm_certificate_arn"])
    assert "TLSv1.2_2021" in strip(cert["minimum_protocol_version"])
    alias = one("aws_route53_record", "cdn_alias")
    assert "AAAA" in strip(alias["for_each"])
    assert "aws_cloudfront_distribution.images[0].hosted_zone_id" in strip(alias["alias"][0]["zone_id"])
    alarm = one("aws_cloudwatch_metric_alarm", "cdn_5xx")
    assert alarm["namespace"] == "AWS/CloudFront" and alarm["metric_name"] == "5xxErrorRate"
    assert strip(alarm["dimensions"]["Region"]) == "Global"
    assert "us-east-1" in strip(VARS["cdn_alarm_sns_topic_arn"]["validation"][0]["condition"])


def test_uploads_cannot_loop_and_keep_their_failures():
    note = one("aws_s3_bucket_notification", "uploads")
    fn = note["dynamic"][0]["lambda_function"]
    assert "var.uploads_source_suffixes" in strip(fn["for_each"])
    content = fn["content"][0]
    assert "var.uploads_source_prefix" in strip(content["filter_prefix"])
    assert "lambda_function.value" in strip(content["filter_suffix"])
    assert "local.uploads_events" in strip(content["events"])
    # One bucket for both only with prefixes apart.
    cond = strip(note["lifecycle"][0]["precondition"][0]["condition"])
    assert "startswith(var.uploads_dest_prefix, var.uploads_source_prefix)" in cond, cond
    assert "startswith(var.uploads_source_prefix, var.uploads_dest_prefix)" in cond, cond
    perm = one("aws_lambda_permission", "uploads")
    assert perm["principal"] == "s3.amazonaws.com"
    assert "data.aws_caller_identity.current.account_id" in strip(perm["source_account"])
    invoke = one("aws_lambda_function_event_invoke_config", "uploads")
    assert invoke["maximum_retry_attempts"] == 2
    dest = invoke["destination_config"][0]["on_failure"][0]["destination"]
    assert "aws_sqs_queue.uploads_failed[0].arn" in strip(dest)
    alarm = one("aws_cloudwatch_metric_alarm", "uploads_failed")
    assert alarm["namespace"] == "AWS/SQS" and alarm["threshold"] == 0
    # Lambda's recursive loop detection is left on: nothing turns it off.
    assert not of_type("aws_lambda_function_recursion_config")
    # The created buckets are private and encrypted.
    assert one("aws_s3_bucket_public_access_block", "uploads")["restrict_public_buckets"] is True
    text = open(os.path.join(TF, "uploads.tf")).read()
    # The role reaches only under the prefixes.
    assert '"arn:aws:s3:::${local.uploads_source_bucket}/${var.uploads_source_prefix}*"' in text
    assert '"arn:aws:s3:::${local.uploads_dest_bucket}/${var.uploads_dest_prefix}*"' in text
    assert 'variable = "s3:prefix"' in text


def test_backfill_role_is_batch_operations_own_and_narrow():
    role = one("aws_iam_role", "backfill")
    assert "var.name-backfill" == strip(role["name"])
    assert "local.backfill_enabled" in strip(role["count"])
    text = open(os.path.join(TF, "backfill.tf")).read()
    # Trusted by Batch Operations of this account only.
    assert 'identifiers = ["batchoperations.s3.amazonaws.com"]' in text
    assert 'variable = "aws:SourceAccount"' in text
    # Invoke this function, read manifests, write reports: nothing else.
    actions = re.findall(r"actions\s*=\s*\[([^\]]*)\]", text.split('data "aws_iam_policy_document" "backfill"')[1])
    granted = sorted(a.strip().strip('"') for group in actions for a in group.split(","))
    assert granted == ["lambda:InvokeFunction", "s3:GetBucketLocation", "s3:GetObject",
                       "s3:GetObjectVersion", "s3:PutObject"], granted
    assert '"arn:aws:s3:::${local.backfill_bucket}/${local.backfill_manifests}*"' in text
    assert '"arn:aws:s3:::${local.backfill_bucket}/${local.backfill_reports}/*"' in text
    # The backfill needs the trigger, and its manifests stay out of the thumbnails.
    variables = open(os.path.join(TF, "variables.tf")).read()
    assert "!var.backfill_enabled || var.uploads_enabled" in variables
    assert "backfill_prefix must lie apart" in text
