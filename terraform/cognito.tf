# A JWT issuer when none is given: a Cognito user pool with a resource server whose
# "<name>/thumbnail" scope the route requires, a confidential app client for the
# client-credentials flow (server-to-server callers: a web app backend, PHP/Laravel, curl), and a
# public app client for the preview page (authorization code + PKCE, no secret), signing in on
# the pool's hosted domain. People are created by an administrator (no self sign-up).

resource "aws_cognito_user_pool" "this" {
  count = local.cognito_enabled ? 1 : 0

  name                = var.name
  deletion_protection = "INACTIVE"

  # Only an administrator creates users: the hosted sign-in page offers no sign-up.
  admin_create_user_config {
    allow_admin_create_user_only = true
  }

  password_policy {
    minimum_length    = 12
    require_lowercase = true
    require_uppercase = true
    require_numbers   = true
    require_symbols   = false
  }
}

resource "aws_cognito_user_pool_domain" "this" {
  count = local.cognito_enabled ? 1 : 0

  domain       = local.cognito_domain_prefix
  user_pool_id = aws_cognito_user_pool.this[0].id
}

resource "aws_cognito_resource_server" "this" {
  count = local.cognito_enabled ? 1 : 0

  identifier   = var.name
  name         = var.name
  user_pool_id = aws_cognito_user_pool.this[0].id

  scope {
    scope_name        = "thumbnail"
    scope_description = "Make thumbnails"
  }
}

resource "aws_cognito_user_pool_client" "this" {
  count = local.cognito_enabled ? 1 : 0

  name                                 = "${var.name}-client"
  user_pool_id                         = aws_cognito_user_pool.this[0].id
  generate_secret                      = true
  allowed_oauth_flows                  = ["client_credentials"]
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_scopes                 = ["${var.name}/thumbnail"]
  supported_identity_providers         = ["COGNITO"]
  access_token_validity                = 60
  token_validity_units {
    access_token = "minutes"
  }

  depends_on = [aws_cognito_resource_server.this]
}

# The preview page's client: public (no secret, as a browser cannot keep one), authorization
# code with PKCE, sent back only to the page's own origin. Its tokens carry the thumbnail scope
# and its id is an audience of the authorizer.
resource "aws_cognito_user_pool_client" "page" {
  count = local.cognito_enabled ? 1 : 0

  name                                 = "${var.name}-page"
  user_pool_id                         = aws_cognito_user_pool.this[0].id
  generate_secret                      = false
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_scopes                 = ["openid", "${var.name}/thumbnail"]
  supported_identity_providers         = ["COGNITO"]
  callback_urls                        = local.page_callback_urls
  logout_urls                          = local.page_callback_urls
  explicit_auth_flows                  = ["ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors        = "ENABLED"
  enable_token_revocation              = true
  access_token_validity                = 60
  id_token_validity                    = 60
  token_validity_units {
    access_token = "minutes"
    id_token     = "minutes"
  }

  depends_on = [aws_cognito_resource_server.this]
}

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}
