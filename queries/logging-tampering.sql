-- Logging tampering: trail changes, account public-access-block changes, and protection changes on the trail buckets.
-- The selection of mappings/detections/logging-tampering.yaml (test/aws/lake.test.ts keeps the event names equal).
SELECT DISTINCT eventID, eventTime, eventName, eventSource, awsRegion, sourceIPAddress, errorCode,
       userIdentity.type AS identityType, userIdentity.arn AS actorArn,
       CASE
         WHEN eventSource = 'cloudtrail.amazonaws.com' THEN COALESCE(element_at(requestParameters, 'name'), element_at(requestParameters, 'trailName'))
         WHEN eventName IN ('PutAccountPublicAccessBlock', 'DeleteAccountPublicAccessBlock') THEN 'account:' || COALESCE(element_at(requestParameters, 'accountId'), recipientAccountId, '')
         ELSE element_at(requestParameters, 'bucketName')
       END AS target
FROM {{eventDataStore}}
WHERE eventTime >= '{{start}}' AND eventTime < '{{end}}'
  AND (
    (eventSource = 'cloudtrail.amazonaws.com' AND eventName IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'))
    OR (eventSource = 's3.amazonaws.com' AND eventName IN ('PutAccountPublicAccessBlock', 'DeleteAccountPublicAccessBlock'))
    OR (eventSource = 's3.amazonaws.com'
        AND eventName IN ('PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketPublicAccessBlock', 'DeleteBucketPublicAccessBlock', 'PutBucketAcl', 'PutBucketLifecycle', 'DeleteBucketLifecycle', 'PutBucketVersioning', 'PutBucketObjectLockConfiguration', 'DeleteBucket')
        AND element_at(requestParameters, 'bucketName') IN ({{trailBuckets}}))
  )
ORDER BY eventTime, eventID
