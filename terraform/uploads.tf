# Thumbnails on upload (off unless uploads_enabled): the source bucket notifies the function of
# each new object under uploads_source_prefix with one of uploads_source_suffixes, and the
# function writes the set uploads_sizes to the destination (docs/uploads.md).
#
# - Buckets: the ones named, else two created (private, encrypted, versioned).
# - Never a loop: the notification's filters; the function skips keys under the destination
#   prefix of the destination bucket and objects that are members (their metadata says so); a
#   bucket that is both needs prefixes apart (refused at plan otherwise); Lambda's recursive loop
#   detection is left on (its default).
# - Nothing lost: S3 invokes asynchronously; a failed record fails the invocation, Lambda retries
#   it twice, then sends it to an SQS queue whose depth raises an alarm.
# - Least privilege: read (and list, so that a missing key is a 404) under the source prefix;
#   read, write, list and delete under the destination prefix; send to the failure queue.

locals {
  uploads_enabled       = var.uploads_enabled
  uploads_create_source = local.uploads_enabled && var.uploads_source_bucket == ""
  uploads_create_dest   = local.uploads_enabled && var.uploads_dest_bucket == ""
  # Created buckets' names: globally unique through the account's hash.
  uploads_suffix        = substr(sha256(data.aws_caller_identity.current.account_id), 0, 10)
  uploads_source_bucket = var.uploads_source_bucket != "" ? var.uploads_source_bucket : lower("${var.name}-uploads-${local.uploads_suffix}")
  uploads_dest_bucket   = var.uploads_dest_bucket != "" ? var.uploads_dest_bucket : lower("${var.name}-thumbnails-${local.uploads_suffix}")
  uploads_created_buckets = toset(concat(
    local.uploads_create_source ? [local.uploads_source_bucket] : [],
    local.uploads_create_dest ? [local.uploads_dest_bucket] : [],
  ))

  uploads_events = concat(["s3:ObjectCreated:*"], var.uploads_delete_members ? ["s3:ObjectRemoved:*"] : [])

  uploads_environment = local.uploads_enabled ? {
    THUMBPRINT_S3_DEST_BUCKET    = local.uploads_dest_bucket
    THUMBPRINT_S3_DEST_PREFIX    = var.uploads_dest_prefix
    THUMBPRINT_S3_SIZES          = var.uploads_sizes
    THUMBPRINT_S3_DELETE_MEMBERS = tostring(var.uploads_delete_members)
  } : {}
}

resource "aws_s3_bucket" "uploads" {
  # checkov:skip=CKV_AWS_18:Access logs need a log bucket outside this module; CloudTrail data events are the owner's choice.
  # checkov:skip=CKV_AWS_144:Cross-region replication is the owner's choice (the thumbnails can be made again from the sources).
  # checkov:skip=CKV_AWS_145:SSE-S3 (AES256) is set; a customer-managed KMS key is the owner's choice.
  # checkov:skip=CKV2_AWS_61:Lifecycle rules depend on how long the owner keeps uploads.
  # checkov:skip=CKV2_AWS_62:The source bucket's notification is aws_s3_bucket_notification.uploads; the destination needs none.
  for_each = local.uploads_created_buckets

  bucket = each.value
}

resource "aws_s3_bucket_public_access_block" "uploads" {
  for_each = local.uploads_created_buckets

  bucket                  = aws_s3_bucket.uploads[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "uploads" {
  for_each = local.uploads_created_buckets

  bucket = aws_s3_bucket.uploads[each.key].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "uploads" {
  for_each = local.uploads_created_buckets

  bucket = aws_s3_bucket.uploads[each.key].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_lambda_permission" "uploads" {
  count = local.uploads_enabled ? 1 : 0

  statement_id   = "AllowS3Uploads"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.this.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = "arn:aws:s3:::${local.uploads_source_bucket}"
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_s3_bucket_notification" "uploads" {
  count = local.uploads_enabled ? 1 : 0

  bucket = local.uploads_create_source ? aws_s3_bucket.uploads[local.uploads_source_bucket].id : var.uploads_source_bucket

  # One per suffix (a notification filters on one): same prefix, so they never overlap.
  dynamic "lambda_function" {
    for_each = var.uploads_source_suffixes
    content {
      id                  = "thumbprint-${lambda_function.key}"
      lambda_function_arn = aws_lambda_function.this.arn
      events              = local.uploads_events
      filter_prefix       = var.uploads_source_prefix
      filter_suffix       = lambda_function.value
    }
  }

  depends_on = [aws_lambda_permission.uploads]

  lifecycle {
    precondition {
      condition     = local.uploads_source_bucket != local.uploads_dest_bucket || (var.uploads_dest_prefix != "" && !startswith(var.uploads_dest_prefix, var.uploads_source_prefix) && !startswith(var.uploads_source_prefix, var.uploads_dest_prefix))
      error_message = "With one bucket for uploads and thumbnails, uploads_dest_prefix must be set and apart from uploads_source_prefix (neither starting with the other): the function's own writes must never match the notification."
    }
  }
}

# Failed records (after Lambda's two retries) are kept here, and their count raises an alarm.
resource "aws_sqs_queue" "uploads_failed" {
  count = local.uploads_enabled ? 1 : 0

  name                      = "${var.name}-uploads-failed"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_lambda_function_event_invoke_config" "uploads" {
  count = local.uploads_enabled ? 1 : 0

  function_name                = aws_lambda_function.this.function_name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 21600

  destination_config {
    on_failure {
      destination = aws_sqs_queue.uploads_failed[0].arn
    }
  }
}

data "aws_iam_policy_document" "uploads" {
  statement {
    sid       = "ReadSources"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${local.uploads_source_bucket}/${var.uploads_source_prefix}*"]
  }

  statement {
    sid       = "WriteMembers"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["arn:aws:s3:::${local.uploads_dest_bucket}/${var.uploads_dest_prefix}*"]
  }

  # Listing under both prefixes: without it a missing key is a 403, not a 404.
  statement {
    sid       = "ListPrefixes"
    actions   = ["s3:ListBucket"]
    resources = distinct(["arn:aws:s3:::${local.uploads_source_bucket}", "arn:aws:s3:::${local.uploads_dest_bucket}"])
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = distinct(["${var.uploads_source_prefix}*", "${var.uploads_dest_prefix}*"])
    }
  }

  statement {
    sid       = "FailedRecords"
    actions   = ["sqs:SendMessage"]
    resources = [for q in aws_sqs_queue.uploads_failed : q.arn]
  }
}

resource "aws_iam_role_policy" "uploads" {
  count = local.uploads_enabled ? 1 : 0

  name   = "${var.name}-uploads"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.uploads.json
}

resource "aws_cloudwatch_metric_alarm" "uploads_failed" {
  count = local.uploads_enabled ? 1 : 0

  alarm_name          = "${var.name}-uploads-failed"
  alarm_description   = "Uploads whose thumbnails could not be made after Lambda's retries are waiting in ${var.name}-uploads-failed. Look at the function's \"upload record failed\" log lines."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.uploads_failed[0].name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}
