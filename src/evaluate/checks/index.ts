// The check registry: every file in this folder, registered once (an inventory test keeps it complete).

import type { CheckDefinition } from '../define-check.js';
import breakGlassAccessDefined from './waf-sov-070.process.break-glass-access-defined.js';
import runbookVersioned from './waf-sov-070.process.runbook-versioned.js';
import runbookSections from './waf-sov-070.process.runbook-sections.js';
import runbookCurrent from './waf-sov-070.process.runbook-current.js';
import cloudtrailLoggingEnabled from './waf-sov-070.tf.aws.cloudtrail-logging-enabled.js';
import cloudtrailAllRegions from './waf-sov-070.tf.aws.cloudtrail-enabled-all-regions.js';
import bucketNotPublic from './waf-sov-070.tf.aws.cloudtrail-s3-bucket-not-public.js';
import alarmRootLogin from './waf-sov-070.tf.aws.cloudwatch-alarm-root-login.js';
import alarmIamPolicyChanges from './waf-sov-070.tf.aws.cloudwatch-alarm-iam-policy-changes.js';

export const CHECKS: CheckDefinition[] = [
  breakGlassAccessDefined,
  runbookVersioned,
  runbookSections,
  runbookCurrent,
  cloudtrailLoggingEnabled,
  cloudtrailAllRegions,
  bucketNotPublic,
  alarmRootLogin,
  alarmIamPolicyChanges,
];
