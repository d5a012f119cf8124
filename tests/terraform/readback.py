"""Reads back what `terraform apply` created in the AWS emulator and checks the wiring.

    python readback.py ENDPOINT FUNCTION_NAME
"""
import json
import sys

import boto3

endpoint, function = sys.argv[1], sys.argv[2]
kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
          aws_secret_access_key="test")
lam = boto3.client("lambda", **kw)
apigw = boto3.client("apigatewayv2", **kw)

fn = lam.get_function(FunctionName=function)["Configuration"]
assert fn["Architectures"] == ["arm64"], fn["Architectures"]
assert fn["Runtime"] == "provided.al2023" and fn["Handler"] == "bootstrap", fn
assert fn["Timeout"] <= 29

# The role the function runs as: one inline policy, exactly these actions, logs on its own group.
iam = boto3.client("iam", **kw)
role = fn["Role"].rsplit("/", 1)[1]
assert iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"] == [], role
trust = iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"]
if isinstance(trust, str):
    import urllib.parse
    trust = json.loads(urllib.parse.unquote(trust))
assert [st["Principal"] for st in trust["Statement"]] == [{"Service": "lambda.amazonaws.com"}], trust
names = sorted(iam.list_role_policies(RoleName=role)["PolicyNames"])
assert names == [f"{function}-function", f"{function}-signed-urls", f"{function}-uploads"], names


def granted_by(policy, role=role):
    doc = iam.get_role_policy(RoleName=role, PolicyName=policy)["PolicyDocument"]
    if isinstance(doc, str):
        import urllib.parse
        doc = json.loads(urllib.parse.unquote(doc))
    granted = {}
    for st in doc["Statement"]:
        assert st["Effect"] == "Allow", st
        acts = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
        res = st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]
        for a in acts:
            granted.setdefault(a, []).extend(res)
    return granted


granted = granted_by(f"{function}-function")
assert sorted(granted) == ["logs:CreateLogStream", "logs:PutLogEvents",
                           "xray:PutTelemetryRecords", "xray:PutTraceSegments"], granted
log_group = f"log-group:/aws/lambda/{function}:*"
for a in ("logs:CreateLogStream", "logs:PutLogEvents"):
    assert len(granted[a]) == 1 and granted[a][0].endswith(log_group), (a, granted[a])

# Signed image URLs (emulator.tfvars turns them on): the keys' parameter and the listed bucket's
# objects, nothing more; the parameter's name, the bucket and the origin reach the function, and
# the keys themselves do not (they stay in SSM).
signed = granted_by(f"{function}-signed-urls")
assert sorted(signed) == ["s3:GetObject", "ssm:GetParameter"], signed
assert signed["ssm:GetParameter"] == [
    f"arn:aws:ssm:us-east-1:123456789012:parameter/{function}/url-keys"], signed
assert signed["s3:GetObject"] == [f"arn:aws:s3:::{function}-photos/*"], signed
env = fn["Environment"]["Variables"]
assert env["THUMBPRINT_URL_KEYS_PARAMETER"] == f"/{function}/url-keys", env
assert env["THUMBPRINT_URL_S3_BUCKETS"] == f"{function}-photos", env
assert env["THUMBPRINT_URL_ORIGINS"] == "https://images.example.com", env
assert not any(k in env for k in ("THUMBPRINT_URL_KEYS", "THUMBPRINT_URL_SALTS")), env
assert [l["Arn"].split(":")[6] for l in fn["Layers"]] == [
    "AWS-Parameters-and-Secrets-Lambda-Extension-Arm64"], fn["Layers"]

api = next(a for a in apigw.get_apis()["Items"] if a["Name"] == function)
routes = {r["RouteKey"]: r for r in apigw.get_routes(ApiId=api["ApiId"])["Items"]}
assert routes["POST /thumbnail"]["AuthorizationType"] == "JWT", routes["POST /thumbnail"]
# The page signs image URLs for a signed-in user: behind the same authorizer.
assert routes["POST /sign"]["AuthorizationType"] == "JWT", routes["POST /sign"]
assert routes["POST /sign"]["AuthorizerId"] == routes["POST /thumbnail"]["AuthorizerId"]
grants = json.loads(lam.get_policy(FunctionName=function)["Policy"])["Statement"]
arns = sorted(g["Condition"]["ArnLike"]["AWS:SourceArn"].split("/", 1)[1] for g in grants
              if g["Principal"]["Service"] == "apigateway.amazonaws.com")
assert arns == ["*/GET/*", "*/HEAD/*", "*/POST/sign", "*/POST/thumbnail"], arns
for key in ["GET /", "GET /version", "GET /openapi.json", "GET /{file}", "GET /pkg/{file}",
            "GET /{proxy+}", "HEAD /{proxy+}"]:
    assert routes[key].get("AuthorizationType", "NONE") == "NONE", key
integrations = apigw.get_integrations(ApiId=api["ApiId"])["Items"]
assert len(integrations) == 1
assert integrations[0]["PayloadFormatVersion"] == "2.0", integrations[0]
assert integrations[0]["IntegrationType"] == "AWS_PROXY"
authorizer = apigw.get_authorizer(ApiId=api["ApiId"],
                                  AuthorizerId=routes["POST /thumbnail"]["AuthorizerId"])
assert authorizer["AuthorizerType"] == "JWT", authorizer
assert authorizer["IdentitySource"] == ["$request.header.Authorization"], authorizer
# The page's sign-in: a public client (no secret, code flow), its id an audience of the
# authorizer beside the confidential client's, and the function told how the page signs in.
idp = boto3.client("cognito-idp", **kw)
pool = next(p for p in idp.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == function)
clients = {c["ClientName"]: c["ClientId"]
           for c in idp.list_user_pool_clients(UserPoolId=pool["Id"], MaxResults=60)["UserPoolClients"]}
page = idp.describe_user_pool_client(UserPoolId=pool["Id"], ClientId=clients[f"{function}-page"])["UserPoolClient"]
assert not page.get("ClientSecret"), "the page's client must be public"
assert page["AllowedOAuthFlows"] == ["code"], page["AllowedOAuthFlows"]
assert all(u.startswith("https://") and u.endswith("/") for u in page["CallbackURLs"]), page["CallbackURLs"]
audience = authorizer["JwtConfiguration"]["Audience"]
assert sorted(audience) == sorted([clients[f"{function}-client"], clients[f"{function}-page"]]), audience
env = fn.get("Environment", {}).get("Variables", {})
assert env.get("THUMBPRINT_AUTH_CLIENT_ID") == clients[f"{function}-page"], env
assert env["THUMBPRINT_AUTH_TOKEN_URL"].endswith(".amazoncognito.com/oauth2/token"), env
assert routes["GET /auth-config"].get("AuthorizationType", "NONE") == "NONE"
stage = apigw.get_stage(ApiId=api["ApiId"], StageName="$default")
settings = stage.get("DefaultRouteSettings", {})
assert settings.get("ThrottlingBurstLimit", 0) > 0 and settings.get("ThrottlingRateLimit", 0) > 0, settings
# HEAD for uptime checks; the page's routes throttled apart from POST /thumbnail.
assert routes["HEAD /"].get("AuthorizationType", "NONE") == "NONE"
route_settings = stage.get("RouteSettings", {})
assert route_settings.get("GET /", {}).get("ThrottlingRateLimit", 0) > 0, route_settings
assert "POST /thumbnail" not in route_settings, route_settings
assert "us-east-1" in role, role

# The operator's view: five alarms wired to the topic, the dashboard, the saved queries.
cw = boto3.client("cloudwatch", **kw)
alarms = cw.describe_alarms(AlarmNamePrefix=function)["MetricAlarms"]
assert sorted(a["AlarmName"] for a in alarms) == sorted(
    f"{function}-{n}" for n in ["api-5xx-rate", "api-4xx-rate", "function-errors",
                                "function-throttles", "function-duration-p99",
                                "cdn-5xx-rate", "uploads-failed"]), [a["AlarmName"] for a in alarms]
for a in alarms:
    assert a["AlarmActions"] and all(x.startswith("arn:aws:sns:") for x in a["AlarmActions"]), a
dash = json.loads(cw.get_dashboard(DashboardName=function)["DashboardBody"])
assert len(dash["widgets"]) == 5, dash
logs = boto3.client("logs", **kw)
saved = logs.describe_query_definitions(queryDefinitionNamePrefix=f"{function}/")["queryDefinitions"]
assert sorted(q["name"] for q in saved) == sorted(
    f"{function}/{n}" for n in ["slowest-requests", "failing-requests", "engine-time", "memory"]), saved

# CloudFront in front of the signed URLs (emulator.tfvars, with run.sh's custom domain). The
# emulator stores what it is sent (moto_server.py), so the values are asserted, not just a plan.
cf = boto3.client("cloudfront", **kw)
dists = cf.list_distributions()["DistributionList"]["Items"]
assert len(dists) == 1, dists
config = cf.get_distribution_config(Id=dists[0]["Id"])["DistributionConfig"]
origin = config["Origins"]["Items"][0]
assert origin["DomainName"] == api["ApiEndpoint"].removeprefix("https://"), origin
assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only", origin
headers = {h["HeaderName"]: h["HeaderValue"] for h in origin["CustomHeaders"]["Items"]}
secret = "emulator-secret-0123456789abcdef0123456789"
assert headers == {"x-thumbprint-cdn-secret": secret}, sorted(headers)
behaviour = config["DefaultCacheBehavior"]
assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https", behaviour
assert sorted(behaviour["AllowedMethods"]["Items"]) == ["GET", "HEAD"], behaviour
assert "ForwardedValues" not in behaviour or not behaviour["ForwardedValues"], behaviour
associations = behaviour["FunctionAssociations"]["Items"]
assert [(a["EventType"], a["FunctionARN"].rsplit("/", 1)[1]) for a in associations] == [
    ("viewer-request", f"{function}-accept")], associations
policy = cf.get_cache_policy(Id=behaviour["CachePolicyId"])["CachePolicy"]["CachePolicyConfig"]
keyed = policy["ParametersInCacheKeyAndForwardedToOrigin"]
assert keyed["HeadersConfig"]["HeaderBehavior"] == "whitelist", keyed
assert keyed["HeadersConfig"]["Headers"]["Items"] == ["Accept"], keyed
assert keyed["CookiesConfig"]["CookieBehavior"] == "none", keyed
assert keyed["QueryStringsConfig"]["QueryStringBehavior"] == "none", keyed
assert policy["MaxTTL"] == 31536000, policy
described = cf.describe_function(Name=f"{function}-accept", Stage="LIVE")["FunctionSummary"]
assert described["FunctionMetadata"]["Stage"] == "LIVE", described
assert described["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0", described
code = cf.get_function(Name=f"{function}-accept")["FunctionCode"].read().decode()
assert code == open("terraform/cdn/accept.js").read(), "the function's code is not cdn/accept.js"
assert config["Aliases"]["Items"] == ["img.thumbprint-emu.example.com"], config["Aliases"]
cert = config["ViewerCertificate"]
assert cert["ACMCertificateArn"].startswith("arn:aws:acm:us-east-1:"), cert
assert cert["MinimumProtocolVersion"] == "TLSv1.2_2021" and cert["SSLSupportMethod"] == "sni-only", cert
env = fn["Environment"]["Variables"]
assert env["THUMBPRINT_CDN_SECRETS"] == secret, "the function's CDN secret is not the distribution's"
assert env["THUMBPRINT_URL_BASE"] == "https://img.thumbprint-emu.example.com", env["THUMBPRINT_URL_BASE"]
r53 = boto3.client("route53", **kw)
zone = r53.list_hosted_zones()["HostedZones"][0]["Id"]
records = r53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]
aliases = {r["Type"]: r["AliasTarget"]["DNSName"].rstrip(".") for r in records
           if r["Name"].rstrip(".") == "img.thumbprint-emu.example.com" and "AliasTarget" in r}
assert aliases == {"A": dists[0]["DomainName"], "AAAA": dists[0]["DomainName"]}, aliases
cdn_alarm = next(a for a in alarms if a["AlarmName"] == f"{function}-cdn-5xx-rate")
assert cdn_alarm["Namespace"] == "AWS/CloudFront" and cdn_alarm["MetricName"] == "5xxErrorRate", cdn_alarm
assert {d["Name"]: d["Value"] for d in cdn_alarm["Dimensions"]} == {
    "DistributionId": dists[0]["Id"], "Region": "Global"}, cdn_alarm["Dimensions"]

# Thumbnails on upload (emulator.tfvars): two created buckets, private, encrypted, versioned; the
# source's notification filtered on the prefix and each suffix; S3 allowed to invoke from that
# bucket only; failures retried twice then queued; the role reads, writes and lists only under
# the prefixes; the function told where and what.
s3 = boto3.client("s3", **kw)
account_hash = [b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"].startswith(f"{function}-uploads-")]
assert len(account_hash) == 1, s3.list_buckets()["Buckets"]
source = account_hash[0]
dest = source.replace("-uploads-", "-thumbnails-")
for b in (source, dest):
    block = s3.get_public_access_block(Bucket=b)["PublicAccessBlockConfiguration"]
    assert all(block.values()), (b, block)
    assert s3.get_bucket_versioning(Bucket=b)["Status"] == "Enabled", b
    sse = s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert sse["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256", (b, sse)
notes = s3.get_bucket_notification_configuration(Bucket=source)["LambdaFunctionConfigurations"]
suffixes = []
for n in notes:
    assert n["LambdaFunctionArn"] == fn["FunctionArn"], n
    assert sorted(n["Events"]) == ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"], n
    rules = {r["Name"].lower(): r["Value"] for r in n["Filter"]["Key"]["FilterRules"]}
    assert rules["prefix"] == "uploads/", rules
    suffixes.append(rules["suffix"])
assert sorted(suffixes) == sorted([".jpg", ".jpeg", ".png", ".webp", ".gif", ".JPG", ".JPEG", ".PNG"]), suffixes
s3_grants = [g for g in grants if g["Principal"]["Service"] == "s3.amazonaws.com"]
assert len(s3_grants) == 1, s3_grants
assert s3_grants[0]["Condition"]["ArnLike"]["AWS:SourceArn"] == f"arn:aws:s3:::{source}", s3_grants
invoke = lam.get_function_event_invoke_config(FunctionName=function)
assert invoke["MaximumRetryAttempts"] == 2, invoke
queue_arn = invoke["DestinationConfig"]["OnFailure"]["Destination"]
assert queue_arn.endswith(f":{function}-uploads-failed"), queue_arn
uploads = granted_by(f"{function}-uploads")
assert sorted(uploads["s3:GetObject"]) == sorted([f"arn:aws:s3:::{source}/uploads/*",
                                                 f"arn:aws:s3:::{dest}/thumbnails/*"]), uploads
assert uploads["s3:PutObject"] == [f"arn:aws:s3:::{dest}/thumbnails/*"], uploads
assert uploads["s3:DeleteObject"] == [f"arn:aws:s3:::{dest}/thumbnails/*"], uploads
assert sorted(uploads["s3:ListBucket"]) == sorted([f"arn:aws:s3:::{source}", f"arn:aws:s3:::{dest}"]), uploads
assert uploads["sqs:SendMessage"] == [queue_arn], uploads
env = fn["Environment"]["Variables"]
assert env["THUMBPRINT_S3_DEST_BUCKET"] == dest and env["THUMBPRINT_S3_DEST_PREFIX"] == "thumbnails/", env
assert json.loads(env["THUMBPRINT_S3_SIZES"]) == [{"width": 320}, {"width": 640, "format": "webp"}], env
assert env["THUMBPRINT_S3_DELETE_MEMBERS"] == "true", env

# Backfill: the role S3 Batch Operations assumes may invoke the function, read manifests and
# write reports under thumbprint-backfill/ of the thumbnails' bucket, nothing else.
backfill_role = f"{function}-backfill"
btrust = iam.get_role(RoleName=backfill_role)["Role"]["AssumeRolePolicyDocument"]
if isinstance(btrust, str):
    import urllib.parse
    btrust = json.loads(urllib.parse.unquote(btrust))
assert [st["Principal"] for st in btrust["Statement"]] == [{"Service": "batchoperations.s3.amazonaws.com"}], btrust
assert iam.list_role_policies(RoleName=backfill_role)["PolicyNames"] == [backfill_role]
backfill = granted_by(backfill_role, backfill_role)
assert sorted(backfill) == ["lambda:InvokeFunction", "s3:GetBucketLocation", "s3:GetObject",
                            "s3:GetObjectVersion", "s3:PutObject"], backfill
assert sorted(backfill["lambda:InvokeFunction"]) == sorted([fn["FunctionArn"], fn["FunctionArn"] + ":*"]), backfill
assert backfill["s3:GetObject"] == [f"arn:aws:s3:::{dest}/thumbprint-backfill/manifests/*"], backfill
assert backfill["s3:PutObject"] == [f"arn:aws:s3:::{dest}/thumbprint-backfill/reports/*"], backfill

print(f"emulator readback: {len(routes)} routes, payload 2.0, arm64, JWT on POST /thumbnail and POST /sign, throttling set, role least-privilege, page client public and an audience, 7 alarms, dashboard, 4 saved queries; uploads: two private versioned buckets, the notification on the prefix and 8 suffixes, S3's invoke permission from the source bucket, 2 retries then the failure queue, the role on the prefixes only; backfill: Batch Operations' role (invoke, manifests, reports); CloudFront: origin the API with its secret header, cache policy on path + Accept, the Accept function published and associated, custom domain with a us-east-1 certificate and aliases, the function given the same secret and the CDN's address")
