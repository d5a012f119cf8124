output "api_url" {
  description = "Base HTTPS URL of the API (the custom domain when set)."
  value       = local.base_url
}

output "thumbnail_url" {
  description = "The endpoint to POST images to, with a JWT."
  value       = "${local.base_url}/thumbnail"
}

output "preview_page_url" {
  description = "The in-browser preview page."
  value       = "${local.base_url}/"
}

output "jwt_issuer" {
  description = "Issuer the JWT authorizer accepts."
  value       = local.jwt_issuer
}

output "jwt_audience" {
  description = "Audiences the JWT authorizer accepts."
  value       = local.jwt_audience
}

output "jwt_scopes" {
  description = "Scopes POST /thumbnail requires."
  value       = local.jwt_scopes
}

output "token_endpoint" {
  description = "OAuth2 token endpoint of the created Cognito pool (client-credentials flow); empty with your own issuer."
  value       = local.cognito_enabled ? "${local.cognito_hosted_url}/oauth2/token" : ""
}

output "cognito_client_id" {
  description = "App client ID of the created Cognito pool (empty with your own issuer)."
  value       = local.cognito_enabled ? aws_cognito_user_pool_client.this[0].id : ""
}

output "cognito_client_secret" {
  description = "App client secret of the created Cognito pool (empty with your own issuer)."
  value       = local.cognito_enabled ? aws_cognito_user_pool_client.this[0].client_secret : ""
  sensitive   = true
}

output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "page_client_id" {
  description = "The preview page's public app client (authorization code + PKCE, no secret); empty with your own issuer."
  value       = local.cognito_enabled ? aws_cognito_user_pool_client.page[0].id : ""
}

output "sign_in_url" {
  description = "Cognito's hosted sign-in domain the page sends people to (empty with your own issuer). Create users with `aws cognito-idp admin-create-user`."
  value       = local.cognito_hosted_url
}

output "user_pool_id" {
  description = "The created Cognito user pool (empty with your own issuer)."
  value       = local.cognito_enabled ? aws_cognito_user_pool.this[0].id : ""
}

output "image_base_url" {
  description = "Where signed image URLs are asked: the CDN's address (cdn_domain_name, else the distribution's *.cloudfront.net) when cdn_enabled, else the API's."
  value       = local.image_base_url
}

output "cdn_distribution_id" {
  description = "The CloudFront distribution's ID (empty without cdn_enabled), for invalidations."
  value       = local.cdn_enabled ? aws_cloudfront_distribution.images[0].id : ""
}

output "backfill_role_arn" {
  description = "The role S3 Batch Operations jobs assume to backfill thumbnails (empty without backfill_enabled)."
  value       = local.backfill_enabled ? aws_iam_role.backfill[0].arn : ""
}

output "backfill_bucket" {
  description = "The bucket backfill manifests go to (under backfill_prefix manifests/) and completion reports come from (empty without backfill_enabled)."
  value       = local.backfill_enabled ? local.backfill_bucket : ""
}

output "backfill_csv_job_command" {
  description = "The ready `aws s3control create-job` command for a CSV manifest (bucket,key lines) at {backfill_prefix}manifests/manifest.csv of backfill_bucket: `eval \"$(terraform output -raw backfill_csv_job_command)\"` (docs/backfill.md). Empty without backfill_enabled."
  value = local.backfill_enabled ? join(" ", [
    "etag=$(aws s3api head-object --bucket ${local.backfill_bucket} --key ${local.backfill_csv_key} --query ETag --output text) &&",
    local.backfill_job,
    "--manifest '{\"Spec\":{\"Format\":\"S3BatchOperations_CSV_20180820\",\"Fields\":[\"Bucket\",\"Key\"]},\"Location\":{\"ObjectArn\":\"arn:aws:s3:::${local.backfill_bucket}/${local.backfill_csv_key}\",\"ETag\":'\"$etag\"'}}'",
  ]) : ""
}

output "backfill_inventory_job_command" {
  description = "The ready `aws s3control create-job` command for the newest S3 Inventory report (CSV) delivered under {backfill_prefix}manifests/ of backfill_bucket (docs/backfill.md). Empty without backfill_enabled."
  value = local.backfill_enabled ? join(" ", [
    "key=$(aws s3api list-objects-v2 --bucket ${local.backfill_bucket} --prefix ${local.backfill_manifests} --query \"sort_by(Contents[?ends_with(Key, 'manifest.json')], &LastModified)[-1].Key\" --output text) &&",
    "etag=$(aws s3api head-object --bucket ${local.backfill_bucket} --key \"$key\" --query ETag --output text) &&",
    local.backfill_job,
    "--manifest '{\"Spec\":{\"Format\":\"S3InventoryReport_CSV_20161130\"},\"Location\":{\"ObjectArn\":\"arn:aws:s3:::${local.backfill_bucket}/'\"$key\"'\",\"ETag\":'\"$etag\"'}}'",
  ]) : ""
}
