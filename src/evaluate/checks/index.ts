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
import bucketObjectLock from './waf-sov-070.tf.aws.cloudtrail-bucket-object-lock.js';
import chainRootUsage from './waf-sov-070.tf.aws.alarm-chain-root-usage.js';
import chainIamPolicyChanges from './waf-sov-070.tf.aws.alarm-chain-iam-policy-changes.js';
import chainConsoleSigninWithoutMfa from './waf-sov-070.tf.aws.alarm-chain-console-signin-without-mfa.js';
import chainCloudtrailConfigChanges from './waf-sov-070.tf.aws.alarm-chain-cloudtrail-config-changes.js';
import chainBreakGlassRoleAssumption from './waf-sov-070.tf.aws.alarm-chain-break-glass-role-assumption.js';

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
  bucketObjectLock,
  chainRootUsage,
  chainIamPolicyChanges,
  chainConsoleSigninWithoutMfa,
  chainCloudtrailConfigChanges,
  chainBreakGlassRoleAssumption,
];
