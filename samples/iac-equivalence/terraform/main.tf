# WAF-SOV-070 break-glass logging as a Terraform root module: the same infrastructure as ../cloudformation and
# ../cdk (local modules, for_each over the detections, values from terraform.tfvars).

module "audit" {
  source = "./modules/audit"

  trail_name     = var.trail_name
  bucket_name    = var.trail_bucket_name
  log_group_name = "/aws/cloudtrail/${var.trail_name}"
  retention_days = local.retention_days[var.environment]
  alert_email    = var.alert_email
}

module "alarm" {
  source   = "./modules/alarm"
  for_each = local.detections

  name           = each.key
  pattern        = each.value.pattern
  metric_name    = each.value.metric
  log_group_name = module.audit.log_group_name
  topic_arn      = module.audit.topic_arn
}
