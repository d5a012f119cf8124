locals {
  domain_enabled  = var.domain_name != ""
  cognito_enabled = var.jwt_issuer == ""

  # Cognito refuses domain prefixes containing "aws", "amazon" or "cognito": those words are
  # taken out of the name; the account hash keeps the prefix unique.
  cognito_name_part     = trim(replace(replace(lower(var.name), "/aws|amazon|cognito/", ""), "/-+/", "-"), "-")
  cognito_domain_prefix = "${local.cognito_name_part == "" ? "thumbs" : local.cognito_name_part}-${substr(sha256(data.aws_caller_identity.current.account_id), 0, 10)}"

  jwt_issuer   = local.cognito_enabled ? "https://${aws_cognito_user_pool.this[0].endpoint}" : var.jwt_issuer
  jwt_audience = local.cognito_enabled ? [aws_cognito_user_pool_client.this[0].id, aws_cognito_user_pool_client.page[0].id] : var.jwt_audience
  jwt_scopes   = local.cognito_enabled && length(var.jwt_scopes) == 0 ? ["${var.name}/thumbnail"] : var.jwt_scopes

  base_url = local.domain_enabled ? "https://${var.domain_name}" : aws_apigatewayv2_api.this.api_endpoint

  # The page's own address (where Cognito sends the browser back after sign-in and sign-out),
  # and any extra ones (a local page during development).
  page_callback_urls = concat(["${local.base_url}/"], var.page_extra_callback_urls)

  # Cognito's hosted domain, in the region the pool is really in (the provider's).
  cognito_hosted_url = local.cognito_enabled ? "https://${aws_cognito_user_pool_domain.this[0].domain}.auth.${data.aws_region.current.name}.amazoncognito.com" : ""

  # What the function answers at GET /auth-config so that the page can sign in (empty with your
  # own issuer: the page then offers only its bearer-token field).
  page_auth_environment = local.cognito_enabled ? {
    THUMBPRINT_AUTH_AUTHORIZE_URL = "${local.cognito_hosted_url}/oauth2/authorize"
    THUMBPRINT_AUTH_TOKEN_URL     = "${local.cognito_hosted_url}/oauth2/token"
    THUMBPRINT_AUTH_LOGOUT_URL    = "${local.cognito_hosted_url}/logout"
    THUMBPRINT_AUTH_CLIENT_ID     = aws_cognito_user_pool_client.page[0].id
    THUMBPRINT_AUTH_SCOPE         = "openid ${var.name}/thumbnail"
  } : {}

  cors_origins = length(var.cors_allowed_origins) > 0 ? var.cors_allowed_origins : (
    local.domain_enabled ? ["https://${var.domain_name}"] : []
  )

  # Routes that need no token: the preview page, its assets, the engine and the API's metadata.
  public_routes = toset([
    "GET /",
    "GET /{file}",
    "GET /pkg/{file}",
    "GET /version",
    "GET /auth-config",
    "GET /openapi.json",
    # Uptime checks send HEAD: answered by the function (no body), not 404 at the gateway.
    "HEAD /",
    "HEAD /version",
  ])
  # Everything else needs a valid JWT: thumbnails, and signing image URLs for the page.
  protected_routes = toset(concat(["POST /thumbnail"], local.signed_urls_enabled ? ["POST /sign"] : []))
}
