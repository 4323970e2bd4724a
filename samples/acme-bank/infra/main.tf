# Acme Bank AG — audit logging. CloudTrail is on, but only in the home region and without log file
# validation; the root-usage alarm exists but nobody is subscribed to it.

resource "aws_s3_bucket" "audit_logs" {
  bucket = "acme-bank-audit-logs"
}

resource "aws_s3_bucket_public_access_block" "audit_logs" {
  bucket                  = aws_s3_bucket.audit_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_cloudwatch_log_group" "trail" {
  name              = "/aws/cloudtrail/acme"
  retention_in_days = 365
}

resource "aws_cloudtrail" "main" {
  name                       = "acme-main"
  s3_bucket_name             = aws_s3_bucket.audit_logs.id
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/acme-cloudtrail-to-cloudwatch"
}
