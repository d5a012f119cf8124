variable "aws_region" {
  description = "AWS Region for every resource (the ACM certificate of a Regional API must be in the same Region)."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.aws_region))
    error_message = "aws_region must look like us-east-1 or eu-west-3."
  }
}

variable "name" {
  description = "Name prefix of every resource (function, API, role, log groups)."
  type        = string
  default     = "thumbprint"

  validation {
    condition     = can(regex("^[a-zA-Z][a-zA-Z0-9-]{0,39}$", var.name))
    error_message = "name must start with a letter and hold at most 40 letters, digits or hyphens."
  }
}

variable "lambda_zip_path" {
  description = "Path to the arm64 zip built by `cargo lambda build --release --arm64 --output-format zip -p thumbprint-lambda --bin bootstrap`."
  type        = string
  default     = "../target/lambda/bootstrap/bootstrap.zip"

  validation {
    condition     = endswith(var.lambda_zip_path, ".zip")
    error_message = "lambda_zip_path must point to the .zip that cargo lambda builds."
  }
}

variable "memory_size" {
  description = "Function memory in MB (512 to 10240). The engine is single-threaded and Lambda gives one full vCPU at 1769 MB: below it a thumbnail takes longer at about the same cost (CPU share and price both scale with memory), above it costs more for nothing. The engine's budget needs 512 MB at least (worst file: 268 MiB plus the request and response). See the guide's cost table."
  type        = number
  default     = 1769

  validation {
    condition     = var.memory_size >= 512 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "memory_size must be a whole number of MB from 512 (the engine's budget plus a 6 MB request and response) to 10240."
  }
}

variable "auto_avif" {
  description = "Whether format auto (and signed URLs without a format) may answer AVIF to clients whose Accept names image/avif. AVIF is the smallest but the slowest to encode (about 1.8 s of CPU a megapixel, capped at 1024 x 768 pixels); false answers WebP to them instead (as imgproxy's IMGPROXY_AUTO_AVIF). Explicit format=avif works either way."
  type        = bool
  default     = true
  nullable    = false

  validation {
    condition     = var.auto_avif == true || var.auto_avif == false
    error_message = "auto_avif must be true or false."
  }
}

variable "timeout_seconds" {
  description = "Function timeout in seconds; at most 29 so the function always answers before API Gateway's 30 s integration timeout. The default covers an image_url fetch (10 s cap) plus the slowest file the budget admits (1.7 s of CPU at one vCPU) with margin."
  type        = number
  default     = 15

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 29 && floor(var.timeout_seconds) == var.timeout_seconds
    error_message = "timeout_seconds must be a whole number from 1 to 29 (below the 30 s integration timeout)."
  }
}

variable "reserved_concurrency" {
  description = "Reserved concurrent executions; -1 (the default) reserves none. Lambda refuses a reservation that leaves the account fewer than 100 unreserved executions, so on a new account (concurrency quota often 10) any reservation fails: set one only when your quota minus 100 allows it. Traffic is capped by the API's throttling either way."
  type        = number
  default     = -1

  validation {
    condition     = var.reserved_concurrency == -1 || (var.reserved_concurrency >= 1 && var.reserved_concurrency <= 900 && floor(var.reserved_concurrency) == var.reserved_concurrency)
    error_message = "reserved_concurrency must be -1 (none) or a whole number from 1 to 900 (the default account quota of 1000 minus the 100 Lambda keeps unreserved)."
  }
}

variable "tracing_mode" {
  description = "X-Ray tracing mode of the function: Active or PassThrough."
  type        = string
  default     = "Active"

  validation {
    condition     = contains(["Active", "PassThrough"], var.tracing_mode)
    error_message = "tracing_mode must be Active or PassThrough."
  }
}

variable "log_retention_days" {
  description = "Retention of the function's and the API's log groups, in days."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch's values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

variable "log_kms_key_arn" {
  description = "Optional KMS key ARN to encrypt the log groups with (empty: CloudWatch's default encryption). The key's policy must let the service principal logs.<region>.amazonaws.com use it (kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey*, kms:Describe*), or creating the log groups fails with AccessDenied; see the guide."
  type        = string
  default     = ""

  validation {
    condition     = var.log_kms_key_arn == "" || can(regex("^arn:aws[a-z-]*:kms:", var.log_kms_key_arn))
    error_message = "log_kms_key_arn must be empty or a KMS key ARN."
  }
}

variable "domain_name" {
  description = "Custom domain of the API (e.g. thumbnails.example.com). Empty: no certificate, domain or records, and the execute-api endpoint stays on."
  type        = string
  default     = ""

  validation {
    condition     = var.domain_name == "" || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "domain_name must be empty or a lower-case DNS name such as thumbnails.example.com."
  }
}

variable "route53_zone_id" {
  description = "ID of the public Route 53 hosted zone that holds domain_name (required when domain_name is set; a plan without it stops with that message)."
  type        = string
  default     = ""

  validation {
    condition     = var.route53_zone_id == "" || can(regex("^Z[A-Z0-9]{1,31}$", var.route53_zone_id))
    error_message = "route53_zone_id must be empty or a hosted zone ID such as Z0123456789ABCDEFGHIJ."
  }
}

variable "jwt_issuer" {
  description = "Issuer URL of the JWTs the API accepts (https://..., e.g. https://cognito-idp.<region>.amazonaws.com/<pool-id>). Empty: a Cognito user pool is created and used."
  type        = string
  default     = ""

  validation {
    condition     = var.jwt_issuer == "" || can(regex("^https://[^\\s]+$", var.jwt_issuer))
    error_message = "jwt_issuer must be empty or an https:// URL."
  }
}

variable "jwt_audience" {
  description = "Accepted audiences (aud, or client_id for Cognito access tokens). Required with jwt_issuer; ignored with the created Cognito pool (its app client is the audience)."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.jwt_audience) <= 50 && alltrue([for a in var.jwt_audience : length(a) > 0])
    error_message = "jwt_audience holds at most 50 non-empty strings."
  }
}

variable "jwt_scopes" {
  description = "Scopes of POST /thumbnail: a token needs any one of them (empty: no scope check). With the created Cognito pool, the default and the only allowed value is its <name>/thumbnail scope."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.jwt_scopes) <= 10
    error_message = "A route takes at most 10 scopes."
  }
}

variable "throttling_rate_limit" {
  description = "Stage-wide steady-state request rate limit (requests per second). Always set: an unset limit means 0 and every request gets 429."
  type        = number
  default     = 50

  validation {
    condition     = var.throttling_rate_limit > 0 && var.throttling_rate_limit <= 10000
    error_message = "throttling_rate_limit must be greater than 0 and at most 10000."
  }
}

variable "throttling_burst_limit" {
  description = "Stage-wide burst limit (requests). Always set: an unset limit means 0 and every request gets 429."
  type        = number
  default     = 100

  validation {
    condition     = var.throttling_burst_limit > 0 && var.throttling_burst_limit <= 5000 && floor(var.throttling_burst_limit) == var.throttling_burst_limit
    error_message = "throttling_burst_limit must be a whole number greater than 0 and at most 5000."
  }
}

variable "cors_allowed_origins" {
  description = "Origins allowed to call the API from a browser. Empty: only the page's own origin (https://domain_name) when a domain is set, none otherwise."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for o in var.cors_allowed_origins : can(regex("^https?://[^/*\\s]+$", o))])
    error_message = "Each origin must be a scheme and host (no path, no wildcard), e.g. https://app.example.com."
  }
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}

variable "page_extra_callback_urls" {
  description = "More addresses Cognito may send the preview page back to after sign-in and sign-out, besides the page's own (for example http://localhost:8080/ to sign a local page in to the deployed pool). https, or http on localhost only."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.page_extra_callback_urls) <= 10 && alltrue([for u in var.page_extra_callback_urls : can(regex("^(https://[^\\s/]+|http://localhost(:[0-9]+)?)/[^\\s#]*$", u))])
    error_message = "page_extra_callback_urls holds at most 10 https:// URLs (or http://localhost URLs), each with a path and no fragment, as Cognito requires."
  }
}

variable "page_throttling_rate_limit" {
  description = "Steady requests per second allowed on the public GET and HEAD routes (the page, its assets, /version), apart from POST /thumbnail's limit, so that a flood of page requests is throttled before it reaches the function and cannot starve thumbnail calls."
  type        = number
  default     = 20

  validation {
    condition     = var.page_throttling_rate_limit > 0 && var.page_throttling_rate_limit <= 10000
    error_message = "page_throttling_rate_limit must be above 0 and at most 10000."
  }
}

variable "page_throttling_burst_limit" {
  description = "Burst allowed on the public GET and HEAD routes."
  type        = number
  default     = 40

  validation {
    condition     = var.page_throttling_burst_limit > 0 && var.page_throttling_burst_limit <= 5000 && floor(var.page_throttling_burst_limit) == var.page_throttling_burst_limit
    error_message = "page_throttling_burst_limit must be a whole number from 1 to 5000."
  }
}

variable "alarm_sns_topic_arn" {
  description = "SNS topic the CloudWatch alarms notify (alarm and back to OK). Empty: the alarms exist and show on the dashboard, but notify no one."
  type        = string
  default     = ""

  validation {
    condition     = var.alarm_sns_topic_arn == "" || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.alarm_sns_topic_arn))
    error_message = "alarm_sns_topic_arn must be empty or an SNS topic ARN."
  }
}

variable "alarm_error_rate" {
  description = "Share of requests (0 to 1) answered 5xx over 5 minutes that raises the API's 5xx alarm; the 4xx alarm uses five times it (refused files and bad options are 4xx by design)."
  type        = number
  default     = 0.01

  validation {
    condition     = var.alarm_error_rate > 0 && var.alarm_error_rate <= 0.2
    error_message = "alarm_error_rate must be above 0 and at most 0.2 (the 4xx alarm uses five times it)."
  }
}

variable "url_signing_parameter" {
  description = "Name of the SSM SecureString parameter holding the signed image URLs' keys: one KEY:SALT pair in hex per line, the key that signs new URLs first (docs/urls.md). You create it (aws ssm put-parameter), so the keys never enter Terraform's state. Empty (the default): signed image URLs are off."
  type        = string
  default     = ""

  validation {
    condition     = var.url_signing_parameter == "" || can(regex("^/[a-zA-Z0-9_./-]{1,1000}$", var.url_signing_parameter))
    error_message = "url_signing_parameter must be empty or a parameter name from its leading slash, such as /thumbprint/url-keys."
  }

  validation {
    condition     = var.url_signing_parameter == "" || var.parameters_extension_layer_arn != ""
    error_message = "url_signing_parameter needs parameters_extension_layer_arn: the function reads the keys through that layer."
  }
}

variable "parameters_extension_layer_arn" {
  description = "ARN of the AWS Parameters and Secrets Lambda Extension layer for arm64 in your Region (AWS lists one per Region in its Lambda documentation). Needed when url_signing_parameter is set."
  type        = string
  default     = ""

  validation {
    condition     = var.parameters_extension_layer_arn == "" || can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:[0-9]+$", var.parameters_extension_layer_arn))
    error_message = "parameters_extension_layer_arn must be the arm64 AWS-Parameters-and-Secrets-Lambda-Extension layer's versioned ARN."
  }
}

variable "url_source_buckets" {
  description = "S3 buckets that signed URLs may read sources from (s3://bucket/key); the function gets s3:GetObject on their objects and nothing else."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for b in var.url_source_buckets : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", b))])
    error_message = "url_source_buckets must hold S3 bucket names (3-63 lowercase letters, digits, dots, hyphens)."
  }
}

variable "url_source_origins" {
  description = "http(s) origins that signed URLs may fetch sources from, such as https://images.example.com (fetched under the same address policy as image_url: public addresses, ports 80/443)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for o in var.url_source_origins : can(regex("^https?://[a-z0-9.-]+(:[0-9]{1,5})?$", o))])
    error_message = "url_source_origins must hold origins only: http(s)://host[:port], no path."
  }
}

variable "cdn_enabled" {
  description = "Put a CloudFront distribution in front of the signed image URLs (needs url_signing_parameter and cdn_origin_secrets): images are cached at the edge, keyed on the path and a normalised Accept, and the function refuses signed URLs that did not come through it."
  type        = bool
  default     = false
}

variable "cdn_origin_secrets" {
  description = "Secrets the distribution sends to the API in x-thumbprint-cdn-secret (the first one) and the function accepts (any of them), so that the API's own address is no way around the cache. At least 32 characters each: openssl rand -hex 32. To rotate: put the new one first, apply, wait for the distribution to deploy, then drop the old one. Sensitive: it is in the distribution's configuration, and so in the state."
  type        = list(string)
  default     = []
  sensitive   = true

  validation {
    condition     = alltrue([for s in var.cdn_origin_secrets : can(regex("^[A-Za-z0-9_-]{32,256}$", s))])
    error_message = "cdn_origin_secrets must hold secrets of 32 to 256 letters, digits, _ or - (openssl rand -hex 32)."
  }
}

variable "cdn_domain_name" {
  description = "Custom domain of the distribution, such as img.example.com (its certificate is made in us-east-1 and validated in route53_zone_id). Empty: the distribution's own *.cloudfront.net address."
  type        = string
  default     = ""

  validation {
    condition     = var.cdn_domain_name == "" || can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.cdn_domain_name))
    error_message = "cdn_domain_name must be empty or a lowercase host name such as img.example.com."
  }

  validation {
    condition     = var.cdn_domain_name == "" || var.cdn_domain_name != var.domain_name
    error_message = "cdn_domain_name must differ from domain_name (the API's and the page's address)."
  }
}

variable "cdn_price_class" {
  description = "CloudFront price class: PriceClass_100 (North America and Europe, the cheapest), PriceClass_200, or PriceClass_All."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.cdn_price_class)
    error_message = "cdn_price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "cdn_alarm_sns_topic_arn" {
  description = "SNS topic in us-east-1 that the distribution's 5xx alarm notifies (CloudFront's metrics, and so its alarms, are in us-east-1). Empty: alarm_sns_topic_arn when the module's Region is us-east-1, else no one."
  type        = string
  default     = ""

  validation {
    condition     = var.cdn_alarm_sns_topic_arn == "" || can(regex("^arn:aws[a-z-]*:sns:us-east-1:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.cdn_alarm_sns_topic_arn))
    error_message = "cdn_alarm_sns_topic_arn must be empty or an SNS topic ARN in us-east-1."
  }
}

variable "cdn_wait_for_deployment" {
  description = "Whether apply waits for each change of the distribution to reach every edge location (several minutes). false returns once CloudFront has accepted the change; the old configuration serves meanwhile."
  type        = bool
  default     = true
}

variable "uploads_enabled" {
  description = "Make thumbnails on upload: each new object under uploads_source_prefix with one of uploads_source_suffixes gets the set uploads_sizes written under uploads_dest_prefix (docs/uploads.md)."
  type        = bool
  default     = false
}

variable "uploads_source_bucket" {
  description = "The bucket whose uploads get thumbnails (an existing one, whose notification configuration this module then owns). Empty: a bucket is created."
  type        = string
  default     = ""

  validation {
    condition     = var.uploads_source_bucket == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.uploads_source_bucket))
    error_message = "uploads_source_bucket must be empty or an S3 bucket name."
  }
}

variable "uploads_source_prefix" {
  description = "Only keys under this prefix make thumbnails (the notification's filter)."
  type        = string
  default     = "uploads/"

  validation {
    condition     = length(var.uploads_source_prefix) <= 512 && !startswith(var.uploads_source_prefix, "/")
    error_message = "uploads_source_prefix must be a key prefix such as uploads/ (no leading slash)."
  }
}

variable "uploads_source_suffixes" {
  description = "Only keys ending with one of these make thumbnails (case-sensitive: list .JPG as well if your uploads use it)."
  type        = list(string)
  default     = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".JPG", ".JPEG", ".PNG"]

  validation {
    condition     = length(var.uploads_source_suffixes) >= 1 && length(var.uploads_source_suffixes) <= 20 && alltrue([for s in var.uploads_source_suffixes : s != ""])
    error_message = "uploads_source_suffixes must hold 1 to 20 non-empty suffixes."
  }
}

variable "uploads_dest_bucket" {
  description = "Where the thumbnails go. Empty: a second bucket is created."
  type        = string
  default     = ""

  validation {
    condition     = var.uploads_dest_bucket == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.uploads_dest_bucket))
    error_message = "uploads_dest_bucket must be empty or an S3 bucket name."
  }
}

variable "uploads_dest_prefix" {
  description = "The thumbnails' key prefix: a source key uploads/a b.jpg gives {prefix}uploads/a b-320x213.png."
  type        = string
  default     = "thumbnails/"

  validation {
    condition     = length(var.uploads_dest_prefix) <= 512 && !startswith(var.uploads_dest_prefix, "/")
    error_message = "uploads_dest_prefix must be a key prefix such as thumbnails/ (no leading slash)."
  }
}

variable "uploads_sizes" {
  description = "The set made of each upload: a JSON array of 1 to 8 option objects, exactly as a request's sizes, such as [{\"width\":320},{\"width\":640,\"format\":\"webp\"}]."
  type        = string
  default     = "[{\"width\":320},{\"width\":640},{\"width\":1280}]"

  validation {
    # An array (a tuple once decoded: indexable, no keys) of 1 to 8 members.
    condition     = can(jsondecode(var.uploads_sizes)[0]) && !can(keys(jsondecode(var.uploads_sizes))) && try(length(jsondecode(var.uploads_sizes)) <= 8, false)
    error_message = "uploads_sizes must be a JSON array of 1 to 8 option objects (the function refuses invalid options at its cold start)."
  }
}

variable "uploads_delete_members" {
  description = "Whether deleting an upload deletes its thumbnails (the notification then also sends ObjectRemoved events)."
  type        = bool
  default     = true
}

variable "backfill_enabled" {
  description = "Create the role and commands for backfilling thumbnails of objects already in the source bucket with S3 Batch Operations (docs/backfill.md). Needs uploads_enabled: a backfill makes the trigger's set."
  type        = bool
  default     = false

  validation {
    condition     = !var.backfill_enabled || var.uploads_enabled
    error_message = "backfill_enabled needs uploads_enabled: a backfill makes the upload trigger's set, names and metadata."
  }
}

variable "backfill_bucket" {
  description = "The bucket that holds backfill manifests (under backfill_prefix manifests/) and receives the jobs' completion reports (under backfill_prefix reports/). Empty: the thumbnails' destination bucket."
  type        = string
  default     = ""

  validation {
    condition     = var.backfill_bucket == "" || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.backfill_bucket))
    error_message = "backfill_bucket must be empty or an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)."
  }
}

variable "backfill_prefix" {
  description = "The key prefix of backfill manifests ({prefix}manifests/) and reports ({prefix}reports/) in backfill_bucket; kept apart from the thumbnails' prefix."
  type        = string
  default     = "thumbprint-backfill/"

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()-][A-Za-z0-9!_.*'()/-]*/$", var.backfill_prefix))
    error_message = "backfill_prefix must be a non-empty key prefix ending with /, of letters, digits and !_.*'()-/ only (it goes into IAM resource ARNs and a shell command)."
  }
}

