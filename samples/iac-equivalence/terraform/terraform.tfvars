trail_name        = "sovereign-audit-trail"
trail_bucket_name = "sovereign-audit-trail-logs"
