# One detection: a metric filter on the trail's log group and an alarm on its metric that notifies the topic.

variable "name" { type = string }
variable "pattern" { type = string }
variable "metric_name" { type = string }
variable "log_group_name" { type = string }
variable "topic_arn" { type = string }

resource "aws_cloudwatch_log_metric_filter" "this" {
  name           = var.name
  pattern        = var.pattern
  log_group_name = var.log_group_name

  metric_transformation {
    name      = var.metric_name
    namespace = "CloudTrailMetrics"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "this" {
  alarm_name          = var.name
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  metric_name         = var.metric_name
  namespace           = "CloudTrailMetrics"
  period              = 60
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = [var.topic_arn]
}
