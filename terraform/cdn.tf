# CloudFront in front of the signed image URLs (off unless cdn_enabled; needs signed URLs):
# readers' <img> requests are answered from the edge, and the function sees each variant once.
#
# - The cache key is the path (the signed URL names its bytes) and the Accept header, which a
#   CloudFront Function first turns into "image/avif,image/webp", "image/webp" or nothing
#   (cdn/accept.js): three variants per image, not one per browser. No query string, no cookie, no other header reaches it.
# - HTTP APIs have no WAF, so the distribution adds a secret origin header and the function
#   answers signed URLs only when it holds one of cdn_origin_secrets (not_through_cdn
#   otherwise): the API's own address is no way around the cache.
# - The custom domain cdn_domain_name is on the distribution, its certificate in us-east-1
#   (CloudFront's Region), validated in route53_zone_id.
# - CloudFront's 5xx share raises an alarm (its metrics are in us-east-1 too).

locals {
  cdn_enabled        = var.cdn_enabled
  cdn_domain_enabled = var.cdn_enabled && var.cdn_domain_name != ""

  # The API as the distribution reaches it: its custom domain when it has one (the default
  # endpoint is then off), else the execute-api host.
  cdn_origin_host = local.domain_enabled ? var.domain_name : replace(aws_apigatewayv2_api.this.api_endpoint, "https://", "")

  # Where signed image URLs should be asked: the distribution's address when there is one.
  image_base_url = local.cdn_domain_enabled ? "https://${var.cdn_domain_name}" : (
    local.cdn_enabled ? "https://${aws_cloudfront_distribution.images[0].domain_name}" : local.base_url
  )

  # CloudFront's alarms notify a topic in us-east-1: the one given, else the module's own when
  # the module is in us-east-1.
  cdn_alarm_actions = var.cdn_alarm_sns_topic_arn != "" ? [var.cdn_alarm_sns_topic_arn] : (
    var.aws_region == "us-east-1" ? local.alarm_actions : []
  )
}

resource "aws_cloudfront_function" "accept" {
  count = local.cdn_enabled ? 1 : 0

  name    = "${var.name}-accept"
  runtime = "cloudfront-js-2.0"
  comment = "thumbprint: Accept to image/avif,image/webp, image/webp or nothing, before the cache key"
  publish = true
  code    = file("${path.module}/cdn/accept.js")
}

resource "aws_cloudfront_cache_policy" "images" {
  count = local.cdn_enabled ? 1 : 0

  name    = "${var.name}-images"
  comment = "thumbprint: signed image URLs keyed on path and normalised Accept"
  # The function's Cache-Control decides (a year for images, a minute for refusals, nothing
  # for failures); without one, a day.
  min_ttl     = 0
  default_ttl = 86400
  max_ttl     = 31536000

  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_brotli = false
    enable_accept_encoding_gzip   = false

    cookies_config {
      cookie_behavior = "none"
    }
    headers_config {
      header_behavior = "whitelist"
      headers {
        items = ["Accept"]
      }
    }
    query_strings_config {
      query_string_behavior = "none"
    }
  }
}

resource "aws_cloudfront_distribution" "images" {
  # checkov:skip=CKV_AWS_68:WAF is the owner's choice (its cost is per request); every URL is signed, the API is throttled, and the origin refuses requests that bypass the distribution.
  # checkov:skip=CKV2_AWS_47:No WAF (see CKV_AWS_68); the origin is Rust code with no Log4j.
  # checkov:skip=CKV_AWS_86:Standard logs need a bucket outside this module; CloudFront's metrics and the function's request log cover debugging.
  # checkov:skip=CKV_AWS_310:One origin: a failover group needs a second deployment of the API.
  # checkov:skip=CKV_AWS_374:Images are served worldwide; a geo restriction is the owner's choice.
  # checkov:skip=CKV2_AWS_32:The function sets the images' headers itself (nosniff, Cache-Control); a response headers policy adds nothing to images.
  # checkov:skip=CKV2_AWS_42:Without cdn_domain_name the distribution's own certificate is used (*.cloudfront.net); with it, an ACM certificate in us-east-1.
  count = local.cdn_enabled ? 1 : 0

  enabled         = true
  is_ipv6_enabled = true
  http_version    = "http2and3"
  comment         = "${var.name}: signed image URLs"
  price_class     = var.cdn_price_class
  aliases         = local.cdn_domain_enabled ? [var.cdn_domain_name] : []
  # Each change deploys to every edge location (minutes): apply waits unless told not to.
  wait_for_deployment = var.cdn_wait_for_deployment

  origin {
    origin_id   = "api"
    domain_name = local.cdn_origin_host

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
      origin_read_timeout    = 30
    }

    # The first secret is sent; the function accepts any of them (rotation).
    custom_header {
      name  = "x-thumbprint-cdn-secret"
      value = try(var.cdn_origin_secrets[0], "")
    }
  }

  default_cache_behavior {
    target_origin_id       = "api"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    # Images are compressed already.
    compress        = false
    cache_policy_id = aws_cloudfront_cache_policy.images[0].id

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.accept[0].arn
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = !local.cdn_domain_enabled
    acm_certificate_arn            = local.cdn_domain_enabled ? aws_acm_certificate_validation.cdn[0].certificate_arn : null
    ssl_support_method             = local.cdn_domain_enabled ? "sni-only" : null
    minimum_protocol_version       = local.cdn_domain_enabled ? "TLSv1.2_2021" : "TLSv1"
  }

  lifecycle {
    precondition {
      condition     = local.signed_urls_enabled
      error_message = "cdn_enabled needs url_signing_parameter: the distribution serves the signed image URLs."
    }
    precondition {
      condition     = length(var.cdn_origin_secrets) > 0
      error_message = "cdn_enabled needs cdn_origin_secrets: at least one secret of 32 characters or more (openssl rand -hex 32), which the distribution sends and the function checks."
    }
  }
}

resource "aws_acm_certificate" "cdn" {
  provider = aws.us_east_1
  count    = local.cdn_domain_enabled ? 1 : 0

  domain_name       = var.cdn_domain_name
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = var.route53_zone_id != ""
      error_message = "cdn_domain_name needs route53_zone_id: the ID of the public Route 53 hosted zone that holds it (the certificate is validated and the alias records are made there)."
    }
  }
}

resource "aws_route53_record" "cdn_validation" {
  for_each = local.cdn_domain_enabled ? {
    for o in aws_acm_certificate.cdn[0].domain_validation_options : o.domain_name => o
  } : {}

  zone_id         = var.route53_zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "cdn" {
  provider = aws.us_east_1
  count    = local.cdn_domain_enabled ? 1 : 0

  certificate_arn         = aws_acm_certificate.cdn[0].arn
  validation_record_fqdns = [for r in aws_route53_record.cdn_validation : r.fqdn]
}

resource "aws_route53_record" "cdn_alias" {
  for_each = local.cdn_domain_enabled ? toset(["A", "AAAA"]) : toset([])

  zone_id = var.route53_zone_id
  name    = var.cdn_domain_name
  type    = each.value

  alias {
    name                   = aws_cloudfront_distribution.images[0].domain_name
    zone_id                = aws_cloudfront_distribution.images[0].hosted_zone_id
    evaluate_target_health = false
  }
}

# Share of viewer requests answered 5xx (the function's failures, the origin unreachable, an
# answer over Lambda's 6 MB cap would be one: the function refuses those itself with a 413).
resource "aws_cloudwatch_metric_alarm" "cdn_5xx" {
  provider = aws.us_east_1
  count    = local.cdn_enabled ? 1 : 0

  alarm_name          = "${var.name}-cdn-5xx-rate"
  alarm_description   = "More than ${var.alarm_error_rate * 100} % of the ${var.name} distribution's requests answered 5xx over 5 minutes (twice in a row). Look at the saved query ${var.name}/failing-requests."
  namespace           = "AWS/CloudFront"
  metric_name         = "5xxErrorRate"
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  # 5xxErrorRate is a percentage.
  threshold           = var.alarm_error_rate * 100
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.cdn_alarm_actions
  ok_actions          = local.cdn_alarm_actions

  dimensions = {
    DistributionId = aws_cloudfront_distribution.images[0].id
    Region         = "Global"
  }
}
