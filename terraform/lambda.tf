resource "aws_cloudwatch_log_group" "function" {
  # checkov:skip=CKV_AWS_338:Retention is the owner's choice (log_retention_days, default 30 days): request logs hold caller ids and need not outlive debugging.
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn == "" ? null : var.log_kms_key_arn
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  # IAM is global: the region in the name lets the same `name` be deployed in several regions.
  name               = "${var.name}-${data.aws_region.current.name}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

# Least privilege: write to its own log group, and send X-Ray segments. Nothing else: the
# function reads no AWS resource (image_url sources are fetched over the internet).
data "aws_iam_policy_document" "function" {
  statement {
    sid       = "OwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function.arn}:*"]
  }

  statement {
    sid = "XRay"
    # X-Ray's PutTraceSegments/PutTelemetryRecords support no resource-level permissions.
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "function" {
  name   = "${var.name}-function"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.function.json
}

resource "aws_lambda_function" "this" {
  # checkov:skip=CKV_AWS_117:The function calls public image_url sources on the internet; a VPC would need a NAT gateway and adds nothing to the address policy enforced in code.
  # checkov:skip=CKV_AWS_116:Invoked synchronously by API Gateway; a dead-letter queue only applies to asynchronous invokes.
  # checkov:skip=CKV_AWS_272:Code signing needs a Signer profile outside this module; the zip's hash is pinned by source_code_hash.
  # checkov:skip=CKV_AWS_173:The environment holds no secret (RUST_LOG, the page's public sign-in settings: a public client id and Cognito URLs, and the signed URLs' parameter name, buckets and origins; the keys stay in SSM). With the CDN it also holds the origin secret, which is in the distribution's configuration anyway; a customer-managed KMS key would not keep it out of the state.
  function_name                  = var.name
  description                    = "thumbprint: deterministic thumbnails (arm64 Rust bootstrap)"
  role                           = aws_iam_role.function.arn
  filename                       = var.lambda_zip_path
  source_code_hash               = filebase64sha256(var.lambda_zip_path)
  handler                        = "bootstrap"
  runtime                        = "provided.al2023"
  architectures                  = ["arm64"]
  memory_size                    = var.memory_size
  timeout                        = var.timeout_seconds
  reserved_concurrent_executions = var.reserved_concurrency
  # The Parameters and Secrets extension serves the signed URLs' keys from SSM (signed_urls.tf).
  layers = local.signed_urls_enabled ? [var.parameters_extension_layer_arn] : []

  environment {
    variables = merge({ RUST_LOG = "info", THUMBPRINT_AUTO_AVIF = tostring(var.auto_avif) }, local.page_auth_environment, local.signed_urls_environment, local.cdn_environment, local.uploads_environment)
  }

  tracing_config {
    mode = var.tracing_mode
  }

  # The function writes JSON lines itself to its default group, /aws/lambda/<name>, created
  # above (with retention) before the function exists.
  depends_on = [aws_iam_role_policy.function, aws_iam_role_policy.signed_urls, aws_iam_role_policy.uploads, aws_cloudwatch_log_group.function]
}
