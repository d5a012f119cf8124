# A JWT issuer when none is given: a Cognito user pool with a resource server whose
# "<name>/thumbnail" scope the route requires, and an app client for the client-credentials
# flow (server-to-server callers: a web app backend, PHP/Laravel, curl).

resource "aws_cognito_user_pool" "this" {
  count = local.cognito_enabled ? 1 : 0

  name                = var.name
  deletion_protection = "INACTIVE"

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

  domain       = "${lower(var.name)}-${substr(sha256(data.aws_caller_identity.current.account_id), 0, 10)}"
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

data "aws_caller_identity" "current" {}
