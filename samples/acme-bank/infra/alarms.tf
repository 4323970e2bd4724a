# Root-usage detection: the filter is right, but the alarm has no actions, so nobody is told.

resource "aws_cloudwatch_log_metric_filter" "root_usage" {
  name           = "root-usage"
  pattern        = "{ $.userIdentity.type = \"Root\" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != \"AwsServiceEvent\" }"
  log_group_name = aws_cloudwatch_log_group.trail.name

  metric_transformation {
    name      = "RootUsage"
    namespace = "Acme/Security"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "root_usage" {
  alarm_name          = "acme-root-usage"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  metric_name         = "RootUsage"
  namespace           = "Acme/Security"
  period              = 300
  statistic           = "Sum"
  threshold           = 1
}
