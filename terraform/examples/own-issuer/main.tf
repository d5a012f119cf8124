# thumbprint with your own identity provider (Auth0, Okta, Entra ID, an existing Cognito pool):
# no Cognito pool is created; API Gateway accepts your issuer's access tokens for the audience
# you give, carrying one of the scopes you give. The page then offers its bearer-token field
# (no sign-in button: GET /auth-config is 404 without the created pool).
#
#   terraform init && terraform apply -var-file=own-issuer.tfvars

module "thumbprint" {
  source = "../.."

  aws_region      = var.aws_region
  name            = var.name
  lambda_zip_path = var.lambda_zip_path
  domain_name     = var.domain_name
  route53_zone_id = var.route53_zone_id
  jwt_issuer      = var.jwt_issuer
  jwt_audience    = var.jwt_audience
  jwt_scopes      = var.jwt_scopes
}

output "thumbnail_url" {
  description = "The endpoint to POST images to, with a token from your issuer."
  value       = module.thumbprint.thumbnail_url
}

output "preview_page_url" {
  description = "The in-browser preview page."
  value       = module.thumbprint.preview_page_url
}
