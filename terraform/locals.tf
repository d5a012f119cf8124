locals {
  domain_enabled  = var.domain_name != ""
  cognito_enabled = var.jwt_issuer == ""

  jwt_issuer   = local.cognito_enabled ? "https://${aws_cognito_user_pool.this[0].endpoint}" : var.jwt_issuer
  jwt_audience = local.cognito_enabled ? [aws_cognito_user_pool_client.this[0].id] : var.jwt_audience
  jwt_scopes   = local.cognito_enabled && length(var.jwt_scopes) == 0 ? ["${var.name}/thumbnail"] : var.jwt_scopes

  base_url = local.domain_enabled ? "https://${var.domain_name}" : aws_apigatewayv2_api.this.api_endpoint

  cors_origins = length(var.cors_allowed_origins) > 0 ? var.cors_allowed_origins : (
    local.domain_enabled ? ["https://${var.domain_name}"] : []
  )

  # Routes that need no token: the preview page, its assets, the engine and the API's metadata.
  public_routes = toset([
    "GET /",
    "GET /{file}",
    "GET /pkg/{file}",
    "GET /version",
    "GET /openapi.json",
  ])
  # Everything else needs a valid JWT.
  protected_routes = toset(["POST /thumbnail"])
}
