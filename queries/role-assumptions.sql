-- Role assumptions (mappings/detections/role-assumptions.yaml) with the role asked for; the Detector picks the break-glass roles from these rows.
SELECT DISTINCT eventID, eventTime, eventName, eventSource, awsRegion, sourceIPAddress, errorCode,
       userIdentity.type AS identityType, userIdentity.arn AS actorArn,
       element_at(requestParameters, 'roleArn') AS roleArn, element_at(requestParameters, 'roleSessionName') AS roleSessionName,
       element_at(requestParameters, 'sourceIdentity') AS sourceIdentity,
       element_at(requestParameters, 'roleArn') AS target
FROM {{eventDataStore}}
WHERE eventTime >= '{{start}}' AND eventTime < '{{end}}'
  AND eventName IN ('AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity')
ORDER BY eventTime, eventID
