-- Access key lifecycle (mappings/detections/access-key-events.yaml): creation, status change and deletion of IAM access keys.
SELECT DISTINCT eventID, eventTime, eventName, eventSource, awsRegion, sourceIPAddress, errorCode,
       userIdentity.type AS identityType, userIdentity.arn AS actorArn,
       element_at(requestParameters, 'userName') AS target
FROM {{eventDataStore}}
WHERE eventTime >= '{{start}}' AND eventTime < '{{end}}'
  AND eventName IN ('CreateAccessKey', 'UpdateAccessKey', 'DeleteAccessKey')
ORDER BY eventTime, eventID
