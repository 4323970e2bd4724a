-- Root activity (CIS 4.3 / seed 003 aws-ir-04): root credentials used, not a service acting on root's behalf.
-- The selection of mappings/detections/root-usage.yaml (the rule the scanner runs).
SELECT DISTINCT eventID, eventTime, eventName, eventSource, awsRegion, sourceIPAddress, errorCode,
       userIdentity.type AS identityType, userIdentity.arn AS actorArn, CAST(NULL AS VARCHAR) AS target
FROM {{eventDataStore}}
WHERE eventTime >= '{{start}}' AND eventTime < '{{end}}'
  AND userIdentity.type = 'Root'
  AND userIdentity.invokedBy IS NULL
  AND (eventType IS NULL OR eventType <> 'AwsServiceEvent')
ORDER BY eventTime, eventID
