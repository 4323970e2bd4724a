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
import noLoggingTampering from './waf-sov-070.logs.no-logging-tampering.js';
import logFileIntegrity from './waf-sov-070.logs.log-file-integrity.js';
import breakGlassMfa from './waf-sov-070.logs.break-glass-use-with-mfa.js';
import activationsAlarmed from './waf-sov-070.logs.activations-alarmed.js';
import bucketObjectLock from './waf-sov-070.tf.aws.cloudtrail-bucket-object-lock.js';
import chainRootUsage from './waf-sov-070.tf.aws.alarm-chain-root-usage.js';
import chainIamPolicyChanges from './waf-sov-070.tf.aws.alarm-chain-iam-policy-changes.js';
import chainConsoleSigninWithoutMfa from './waf-sov-070.tf.aws.alarm-chain-console-signin-without-mfa.js';
import chainCloudtrailConfigChanges from './waf-sov-070.tf.aws.alarm-chain-cloudtrail-config-changes.js';
import chainBreakGlassRoleAssumption from './waf-sov-070.tf.aws.alarm-chain-break-glass-role-assumption.js';
import breakGlassIdentityHardened from './waf-sov-070.tf.aws.break-glass-identity-hardened.js';
import liveActivationAlarmFired from './waf-sov-070.live.aws.activation-alarm-fired.js';
import liveTrailDelivering from './waf-sov-070.live.aws.trail-delivering.js';
import liveSecretRotatedAfterActivation from './waf-sov-070.live.aws.secret-rotated-after-activation.js';
import liveBreakGlassIdentityHardened from './waf-sov-070.live.aws.break-glass-identity-hardened.js';

import reviewForEveryActivation from './waf-sov-070.process.review-for-every-activation.js';
import reviewLinkedEventIds from './waf-sov-070.process.review-linked-event-ids.js';
import reviewWithinFiveBusinessDays from './waf-sov-070.process.review-within-five-business-days.js';
import credentialsRotatedAfterUse from './waf-sov-070.process.credentials-rotated-after-use.js';
import secretStoreRotationAutomatic from './waf-sov-070.process.secret-store-rotation-automatic.js';
import secretStoreDedicated from './waf-sov-070.process.secret-store-dedicated.js';
import secretValuesAbsent from './waf-sov-070.process.secret-values-absent.js';
import changeTicketForEveryActivation from './waf-sov-070.process.change-ticket-for-every-activation.js';
import drillAnnualNonProduction from './waf-sov-070.process.drill-annual-non-production.js';
import drillTimeToActivate from './waf-sov-070.process.drill-time-to-activate.js';
import dualApprovalBeforeActivation from './waf-sov-070.process.dual-approval-before-activation.js';
import noStandingCredentials from './waf-sov-070.process.no-standing-credentials.js';
import forensicChain from './waf-sov-070.process.forensic-chain.js';
import activationTimeToActivate from './waf-sov-070.process.activation-time-to-activate.js';
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
  noLoggingTampering,
  logFileIntegrity,
  breakGlassMfa,
  activationsAlarmed,
  bucketObjectLock,
  chainRootUsage,
  chainIamPolicyChanges,
  chainConsoleSigninWithoutMfa,
  chainCloudtrailConfigChanges,
  chainBreakGlassRoleAssumption,
  breakGlassIdentityHardened,
  liveActivationAlarmFired,
  liveTrailDelivering,
  liveSecretRotatedAfterActivation,
  liveBreakGlassIdentityHardened,
  reviewForEveryActivation,
  reviewLinkedEventIds,
  reviewWithinFiveBusinessDays,
  credentialsRotatedAfterUse,
  secretStoreRotationAutomatic,
  secretStoreDedicated,
  secretValuesAbsent,
  changeTicketForEveryActivation,
  drillAnnualNonProduction,
  drillTimeToActivate,
  dualApprovalBeforeActivation,
  noStandingCredentials,
  forensicChain,
  activationTimeToActivate,
];
