resource "aws_cloudwatch_log_group" "api" {
  # checkov:skip=CKV_AWS_338:Retention is the owner's choice (log_retention_days, default 30 days): request logs hold caller ids and need not outlive debugging.
  name              = "/aws/apigateway/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn == "" ? null : var.log_kms_key_arn
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  protocol_type = "HTTP"
  description   = "thumbprint: POST /thumbnail (JWT) and the preview page"

  # With a custom domain, the default execute-api endpoint is turned off so that every caller
  # goes through the domain.
  disable_execute_api_endpoint = local.domain_enabled

  dynamic "cors_configuration" {
    for_each = length(local.cors_origins) > 0 ? [1] : []
    content {
      allow_origins  = local.cors_origins
      allow_methods  = ["GET", "POST"]
      allow_headers  = ["authorization", "content-type", "accept", "if-none-match"]
      expose_headers = ["etag", "x-thumbprint-engine"]
      max_age        = 3600
    }
  }
}

resource "aws_apigatewayv2_integration" "lambda" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = aws_lambda_function.this.invoke_arn
  payload_format_version = "2.0" # Terraform's default is 1.0
  timeout_milliseconds   = 30000
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id           = aws_apigatewayv2_api.this.id
  name             = "${var.name}-jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = local.jwt_issuer
    audience = local.jwt_audience
  }

  lifecycle {
    # Combinations that pass validation and then reject every token.
    precondition {
      condition     = length(local.jwt_audience) > 0
      error_message = "jwt_issuer needs jwt_audience: API Gateway accepts a token only when its aud (or client_id) is one of them."
    }
    precondition {
      condition     = !local.cognito_enabled || alltrue([for s in var.jwt_scopes : s == "${var.name}/thumbnail"])
      error_message = "With the created Cognito pool, jwt_scopes may only name \"${var.name}/thumbnail\" (the one scope its clients can request); other scopes would make every token get 403."
    }
  }
}

resource "aws_apigatewayv2_route" "protected" {
  for_each = local.protected_routes

  api_id               = aws_apigatewayv2_api.this.id
  route_key            = each.value
  target               = "integrations/${aws_apigatewayv2_integration.lambda.id}"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.jwt.id
  authorization_scopes = length(local.jwt_scopes) > 0 ? local.jwt_scopes : null
}

resource "aws_apigatewayv2_route" "public" {
  # checkov:skip=CKV_AWS_309:These routes serve the public preview page, its static assets, /version and /openapi.json; POST /thumbnail is JWT-protected.
  for_each = local.public_routes

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.value
  target             = "integrations/${aws_apigatewayv2_integration.lambda.id}"
  authorization_type = "NONE"
}

resource "aws_apigatewayv2_stage" "default" {
  # route_settings name routes: they must exist first.
  depends_on = [aws_apigatewayv2_route.public, aws_apigatewayv2_route.protected]

  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  # Both limits always set: a missing one means 0, and every request would get 429. Per-route
  # metrics (detailed) for the dashboard and the alarms.
  default_route_settings {
    throttling_burst_limit   = var.throttling_burst_limit
    throttling_rate_limit    = var.throttling_rate_limit
    detailed_metrics_enabled = true
  }

  # The public routes get their own, smaller limits: a flood of page requests is throttled at
  # the gateway and leaves POST /thumbnail its share.
  dynamic "route_settings" {
    for_each = local.public_routes
    content {
      route_key                = route_settings.value
      throttling_burst_limit   = var.page_throttling_burst_limit
      throttling_rate_limit    = var.page_throttling_rate_limit
      detailed_metrics_enabled = true
    }
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api.arn
    # Never the Authorization header or the query string.
    format = jsonencode({
      requestId          = "$context.requestId"
      ip                 = "$context.identity.sourceIp"
      requestTime        = "$context.requestTime"
      httpMethod         = "$context.httpMethod"
      routeKey           = "$context.routeKey"
      status             = "$context.status"
      responseLength     = "$context.responseLength"
      integrationLatency = "$context.integrationLatency"
      integrationError   = "$context.integrationErrorMessage"
      authorizerError    = "$context.authorizer.error"
      errorMessage       = "$context.error.message"
      errorResponseType  = "$context.error.responseType"
      integrationStatus  = "$context.integrationStatus"
      protocol           = "$context.protocol"
      domainName         = "$context.domainName"
      sub                = "$context.authorizer.claims.sub"
    })
  }
}

# Invoke permission scoped to this API: POST /thumbnail, and the GET routes of the page.
resource "aws_lambda_permission" "thumbnail" {
  statement_id  = "AllowApiGatewayThumbnail"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/POST/thumbnail"
}

resource "aws_lambda_permission" "page" {
  statement_id  = "AllowApiGatewayPage"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/GET/*"
}

resource "aws_lambda_permission" "head" {
  statement_id  = "AllowApiGatewayHead"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/HEAD/*"
}
