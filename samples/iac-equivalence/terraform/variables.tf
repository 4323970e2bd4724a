# Inputs; the trail and bucket names have no default and come from terraform.tfvars.

variable "environment" {
  type    = string
  default = "prod"
}

variable "trail_name" {
  type = string
}

variable "trail_bucket_name" {
  type = string
}

variable "alert_email" {
  type    = string
  default = "security-oncall@example.com"
}
