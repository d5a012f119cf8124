# Inputs for the apply against the local AWS emulator (moto server) in tests/terraform/run.sh.
# No custom domain: the emulator's API Gateway domain names never become AVAILABLE.
aws_region             = "us-east-1"
name                   = "thumbprint-emu"
lambda_zip_path        = "fixtures/bootstrap.zip"
memory_size            = 512
timeout_seconds        = 20
reserved_concurrency   = 5
throttling_rate_limit  = 10
throttling_burst_limit = 20
log_retention_days     = 7
tracing_mode           = "PassThrough"
alarm_sns_topic_arn    = "arn:aws:sns:us-east-1:123456789012:thumbprint-emu-alarms"
# Signed image URLs on, with a stand-in of AWS's extension layer (run.sh publishes it in the
# emulator's account first; the real ARN is AWS's, one per Region).
url_signing_parameter          = "/thumbprint-emu/url-keys"
parameters_extension_layer_arn = "arn:aws:lambda:us-east-1:123456789012:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:1"
url_source_buckets             = ["thumbprint-emu-photos"]
url_source_origins             = ["https://images.example.com"]
# CloudFront in front, on the distribution's own address (run.sh also applies it with a custom
# domain in a hosted zone it makes in the emulator).
cdn_enabled        = true
cdn_origin_secrets = ["emulator-secret-0123456789abcdef0123456789"]
# The provider waits at least a minute per distribution change even when it is deployed at once.
cdn_wait_for_deployment = false
# Thumbnails on upload, into two created buckets.
uploads_enabled  = true
uploads_sizes    = "[{\"width\":320},{\"width\":640,\"format\":\"webp\"}]"
backfill_enabled = true
