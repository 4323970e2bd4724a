# Retention per environment and the detections wired to alarms (seed 000's two compliant patterns).

locals {
  retention_days = {
    prod = 400
    test = 30
  }

  detections = {
    "root-account-usage" = {
      metric  = "RootAccountUsageCount"
      pattern = "{$.userIdentity.type = Root && $.userIdentity.invokedBy NOT EXISTS && $.eventType != AwsServiceEvent}"
    }
    "iam-policy-changes" = {
      metric  = "IAMPolicyChangeCount"
      pattern = "{($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy)}"
    }
  }
}
