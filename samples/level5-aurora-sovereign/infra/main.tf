# Aurora Sovereign Bank SE: organisation trail (seed 000 compliant example) delivering to CloudWatch Logs, Object Lock on its bucket.

resource "aws_cloudtrail" "main" {
  name                          = "aurora-org-audit"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  include_global_service_events = true
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn     = "arn:aws:iam::384756192837:role/cloudtrail-to-cloudwatch"
}

resource "aws_s3_bucket" "trail" {
  bucket              = "aurora-sovereign-cloudtrail"
  object_lock_enabled = true
}

resource "aws_s3_bucket_public_access_block" "trail" {
  bucket                  = aws_s3_bucket.trail.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_cloudwatch_log_group" "trail" {
  name              = "/aws/cloudtrail/aurora-org-audit"
  retention_in_days = 400
}

resource "aws_sns_topic" "alerts" {
  name = "security-alerts"
}

resource "aws_sns_topic_subscription" "oncall" {
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = "soc@aurora-sovereign.example"
}
