# Backfill on S3 Batch Operations (off unless backfill_enabled, which needs uploads_enabled): the
# role a Batch Operations job assumes to invoke the function once per object of a manifest, and
# the ready `aws s3control create-job` commands (docs/backfill.md). Each task gets what the upload
# trigger gives a new upload: the same set, names and metadata, nothing written when the members
# are there.
#
# The role may invoke this function, read manifests under {backfill_prefix}manifests/ (a CSV the
# operator uploads, or an S3 Inventory report delivered there) and write completion reports under
# {backfill_prefix}reports/ of backfill_bucket; nothing else. The function reads and writes with
# its own role (uploads.tf): a backfill reaches exactly what the trigger reaches.

locals {
  backfill_enabled   = local.uploads_enabled && var.backfill_enabled
  backfill_bucket    = var.backfill_bucket != "" ? var.backfill_bucket : local.uploads_dest_bucket
  backfill_manifests = "${var.backfill_prefix}manifests/"
  backfill_reports   = "${var.backfill_prefix}reports"

  # The parts of a create-job command both manifest kinds share.
  backfill_job = local.backfill_enabled ? join(" ", [
    "aws s3control create-job",
    "--account-id ${data.aws_caller_identity.current.account_id}",
    "--region ${data.aws_region.current.name}",
    "--no-confirmation-required --priority 10",
    "--role-arn ${aws_iam_role.backfill[0].arn}",
    "--operation '${jsonencode({ LambdaInvoke = { FunctionArn = aws_lambda_function.this.arn, InvocationSchemaVersion = "2.0" } })}'",
    "--report '${jsonencode({ Bucket = "arn:aws:s3:::${local.backfill_bucket}", Prefix = local.backfill_reports, Format = "Report_CSV_20180820", Enabled = true, ReportScope = "AllTasks" })}'",
  ]) : ""
  backfill_csv_key = "${local.backfill_manifests}manifest.csv"
}

data "aws_iam_policy_document" "backfill_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["batchoperations.s3.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "backfill" {
  count = local.backfill_enabled ? 1 : 0

  name               = "${var.name}-backfill"
  description        = "Assumed by S3 Batch Operations jobs that backfill thumbnails with ${var.name}."
  assume_role_policy = data.aws_iam_policy_document.backfill_trust.json

  lifecycle {
    precondition {
      condition = alltrue([for b in [local.uploads_source_bucket, local.uploads_dest_bucket] : local.backfill_bucket != b || (
        !startswith(var.backfill_prefix, b == local.uploads_source_bucket ? var.uploads_source_prefix : var.uploads_dest_prefix) &&
        !startswith(b == local.uploads_source_bucket ? var.uploads_source_prefix : var.uploads_dest_prefix, var.backfill_prefix)
      )])
      error_message = "backfill_prefix must lie apart from the uploads' source and destination prefixes in the same bucket (manifests and reports are not images to make thumbnails of)."
    }
  }
}

data "aws_iam_policy_document" "backfill" {
  statement {
    sid       = "InvokeFunction"
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_function.this.arn, "${aws_lambda_function.this.arn}:*"]
  }

  statement {
    sid       = "ReadManifests"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["arn:aws:s3:::${local.backfill_bucket}/${local.backfill_manifests}*"]
  }

  statement {
    sid       = "WriteReports"
    actions   = ["s3:PutObject"]
    resources = ["arn:aws:s3:::${local.backfill_bucket}/${local.backfill_reports}/*"]
  }

  # Batch Operations asks where the report bucket is before writing to it.
  statement {
    sid       = "ReportBucketLocation"
    actions   = ["s3:GetBucketLocation"]
    resources = ["arn:aws:s3:::${local.backfill_bucket}"]
  }
}

resource "aws_iam_role_policy" "backfill" {
  count = local.backfill_enabled ? 1 : 0

  name   = "${var.name}-backfill"
  role   = aws_iam_role.backfill[0].id
  policy = data.aws_iam_policy_document.backfill.json
}
