-- Console sign-ins (mappings/detections/sign-ins.yaml) with identity, MFA and outcome; break-glass identities are picked by the same Detector as the local scanner.
SELECT DISTINCT eventID, eventTime, eventName, eventSource, awsRegion, sourceIPAddress, errorCode,
       userIdentity.type AS identityType, userIdentity.arn AS actorArn, userIdentity.accountId AS accountId,
       userIdentity.userName AS userName, userIdentity.invokedBy AS invokedBy, eventType, recipientAccountId,
       userIdentity.sessionContext.sessionIssuer.arn AS issuerArn, userIdentity.sessionContext.sessionIssuer.userName AS issuerName,
       element_at(additionalEventData, 'MFAUsed') AS mfaUsed, COALESCE(element_at(responseElements, 'ConsoleLogin'), element_at(responseElements, 'ExternalIdPDirectoryLogin')) AS outcome,
       CAST(NULL AS VARCHAR) AS target
FROM {{eventDataStore}}
WHERE eventTime >= '{{start}}' AND eventTime < '{{end}}'
  AND eventName IN ('ConsoleLogin', 'ExternalIdPDirectoryLogin')
ORDER BY eventTime, eventID
