# Signed image URLs: GET /{signature}/{options}/{source} in imgproxy's format (docs/urls.md), so
# an <img> can point at a thumbprint URL without a token. Off unless url_signing_parameter
# names the SSM parameter that holds the keys. The keys stay out of Terraform's state and the
# function's environment: you create the parameter, and the function reads it once per cold
# start through the AWS Parameters and Secrets Lambda Extension (a layer: no AWS SDK in the
# bootstrap).

locals {
  signed_urls_enabled = var.url_signing_parameter != ""

  # Catch-alls: more specific routes (the page, /version, POST /thumbnail) still win.
  signed_url_routes = local.signed_urls_enabled ? toset(["GET /{proxy+}", "HEAD /{proxy+}"]) : toset([])

  signed_urls_environment = local.signed_urls_enabled ? {
    THUMBPRINT_URL_KEYS_PARAMETER = var.url_signing_parameter
    THUMBPRINT_URL_S3_BUCKETS     = join(",", var.url_source_buckets)
    THUMBPRINT_URL_ORIGINS        = join(",", var.url_source_origins)
    # Where POST /sign tells the page to ask the signed paths (the distribution, with one).
    THUMBPRINT_URL_BASE = local.image_base_url
  } : {}

  # With the distribution in front, the secrets its origin header may hold (cdn.tf).
  cdn_environment = local.cdn_enabled ? {
    THUMBPRINT_CDN_SECRETS = join(",", var.cdn_origin_secrets)
  } : {}
}

resource "aws_apigatewayv2_route" "signed_urls" {
  # checkov:skip=CKV_AWS_309:Signed image URLs carry their own authorization (an HMAC over the path, checked by the function with the keys in SSM); an <img> cannot send a JWT.
  for_each = local.signed_url_routes

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.value
  target             = "integrations/${aws_apigatewayv2_integration.lambda.id}"
  authorization_type = "NONE"
}

# Read the keys' parameter (SecureString under the AWS managed key aws/ssm, whose key policy lets
# SSM decrypt for principals allowed to read the parameter) and the listed buckets' objects.
data "aws_iam_policy_document" "signed_urls" {
  statement {
    sid       = "UrlKeysParameter"
    actions   = ["ssm:GetParameter"]
    resources = ["arn:aws:ssm:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:parameter${var.url_signing_parameter}"]
  }

  dynamic "statement" {
    for_each = length(var.url_source_buckets) > 0 ? [1] : []
    content {
      sid       = "SourceBuckets"
      actions   = ["s3:GetObject"]
      resources = [for b in var.url_source_buckets : "arn:aws:s3:::${b}/*"]
    }
  }
}

resource "aws_iam_role_policy" "signed_urls" {
  count = local.signed_urls_enabled ? 1 : 0

  name   = "${var.name}-signed-urls"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.signed_urls.json
}

resource "aws_lambda_permission" "sign" {
  count = local.signed_urls_enabled ? 1 : 0

  statement_id  = "AllowApiGatewaySign"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/POST/sign"
}
