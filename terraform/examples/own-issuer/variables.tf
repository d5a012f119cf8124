variable "aws_region" {
  description = "AWS Region to deploy to."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like eu-west-1."
  }
}

variable "name" {
  description = "Name prefix of every resource."
  type        = string
  default     = "thumbprint"

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{0,39}$", var.name))
    error_message = "name must start with a letter and hold at most 40 letters, digits or hyphens."
  }
}

variable "lambda_zip_path" {
  description = "Path to the arm64 zip (cargo lambda build --release --arm64 --output-format zip -p thumbprint-lambda --bin bootstrap)."
  type        = string
  default     = "../../../target/lambda/bootstrap/bootstrap.zip"

  validation {
    condition     = endswith(var.lambda_zip_path, ".zip")
    error_message = "lambda_zip_path must point at a .zip file."
  }
}

variable "domain_name" {
  description = "Custom domain (empty: the execute-api endpoint)."
  type        = string
  default     = ""

  validation {
    condition     = var.domain_name == "" || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "domain_name must be empty or a lower-case DNS name."
  }
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone that holds domain_name (required with it)."
  type        = string
  default     = ""

  validation {
    condition     = var.route53_zone_id == "" || can(regex("^Z[A-Z0-9]{1,31}$", var.route53_zone_id))
    error_message = "route53_zone_id must be empty or a hosted zone ID."
  }
}

variable "jwt_issuer" {
  description = "Your issuer's URL, exactly as its tokens' iss claim (https://your-tenant.eu.auth0.com/, https://your-org.okta.com/oauth2/default). Its /.well-known/openid-configuration must be public."
  type        = string

  validation {
    condition     = can(regex("^https://[^\\s]+$", var.jwt_issuer))
    error_message = "jwt_issuer must be an https:// URL."
  }
}

variable "jwt_audience" {
  description = "Audiences your issuer puts in aud (Auth0: the API identifier; Okta: api://default), or client ids for tokens without aud. At least one."
  type        = list(string)

  validation {
    condition     = length(var.jwt_audience) >= 1 && length(var.jwt_audience) <= 50
    error_message = "jwt_audience needs 1 to 50 values: without one, every token is refused."
  }
}

variable "jwt_scopes" {
  description = "Scopes of POST /thumbnail: a token needs any one of them. Define the scope at your issuer and grant it to your clients first, or every token gets 403."
  type        = list(string)
  default     = ["thumbnail:create"]

  validation {
    condition     = length(var.jwt_scopes) <= 10
    error_message = "A route takes at most 10 scopes."
  }
}
