import assert from 'node:assert/strict';
import check from '../../src/evaluate/checks/waf-sov-070.live.aws.activation-alarm-fired.js';
import { parsePeriod } from '../../src/config/period.js';
import type { Period } from '../../src/model/period.js';
import { checkTable } from '../support/check-table.js';
import { baseEvidence } from '../support/evidence.js';
import { activation, alarm, metricFilter, withLive, ACCOUNT } from '../support/live-evidence.js';

// Within LookupEvents' 90 days of the collection (2026-09-30) and CloudWatch's 30 days of alarm history.
const SEPT = parsePeriod('2026-09') as Period;
const at = { collectedAt: '2026-09-30T12:00:00.000Z' };
const act = [activation('ev-1', '2026-09-20T10:00:00Z')];
// CIS 3.3 root usage and a break-glass AssumeRole filter, each counted by its own metric and alarm.
const ROOT = '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }';
const BG_ASSUME = '{ ($.eventSource = "sts.amazonaws.com") && ($.eventName = "AssumeRole") && ($.requestParameters.roleArn = "*:role/BreakGlass*") }';
const filters = [metricFilter('root-usage', ROOT, 'RootUsage'), metricFilter('break-glass-assume', BG_ASSUME, 'BreakGlassAssume'), metricFilter('cpu', '{ $.eventName = "RunInstances" }', 'Cpu')];
const notifying = [alarm('root-usage', { metric: 'RootUsage' }), alarm('break-glass-assume', { metric: 'BreakGlassAssume' }), alarm('cpu-high', { metric: 'Cpu' })];
const rootAct = [activation('ev-r', '2026-09-20T10:00:00Z', `arn:aws:iam::${ACCOUNT}:root`)];
const fire = (alarmName: string, when: string) => ({ alarmName, at: when, summary: 'Alarm updated from OK to ALARM' });

checkTable(check, {
  pass: [
    { name: 'an alarm that notifies entered ALARM 3 min after the activation', evidence: withLive({ ...at, activations: act, alarms: notifying, filters, firings: [fire('break-glass-assume', '2026-09-20T10:03:00.000Z')] }, { period: SEPT }), reason: /all 1 activation\(s\) in LookupEvents raised an alarm that notifies within 15 min/, locations: [/^monitoring:DescribeAlarmHistory 111122223333 eu-central-1 break-glass-assume$/] },
    { name: 'the transition in the same second as the activation (the logs write 10:00:00Z, the SDK 10:00:00.000Z)', evidence: withLive({ ...at, activations: act, alarms: notifying, filters, firings: [fire('break-glass-assume', '2026-09-20T10:00:00.000Z')] }, { period: SEPT }), reason: /raised an alarm/ },
    { name: 'the transition exactly at the stated delay', evidence: withLive({ ...at, activations: act, alarms: notifying, filters, firings: [fire('break-glass-assume', '2026-09-20T10:15:00Z')] }, { period: SEPT }) },
    { name: 'a root activation: the root-usage alarm fired', evidence: withLive({ ...at, activations: rootAct, alarms: notifying, filters, firings: [fire('root-usage', '2026-09-20T10:04:00.000Z')] }, { period: SEPT }) },
    { name: 'a longer stated delay admits a later transition', evidence: withLive({ ...at, alarmWithinMinutes: 30, activations: act, alarms: notifying, filters, firings: [fire('break-glass-assume', '2026-09-20T10:25:00.000Z')] }, { period: SEPT }) },
  ],
  fail: [
    { name: 'no ALARM transition after the activation: names the activation and the alarms', evidence: withLive({ ...at, activations: act, alarms: notifying, filters, firings: [] }, { period: SEPT }), reason: /activation 2026-09-20T10:00:00Z by arn:aws:sts::111122223333:assumed-role\/BreakGlassAdmin\/alice \(AssumeRole\) \(event ev-1\): none of the alarms that notify on break-glass role assumption and sign-in \(break-glass-assume\) entered ALARM within 15 min/, locations: [/cloudtrail:LookupEvents .*eventID ev-1/] },
    { name: 'only an unrelated alarm (its filter counts RunInstances) fired: it proves nothing', evidence: withLive({ ...at, activations: act, alarms: notifying, filters, firings: [fire('cpu-high', '2026-09-20T10:02:00.000Z')] }, { period: SEPT }), reason: /none of the alarms that notify on break-glass role assumption and sign-in \(break-glass-assume\)/ },
    { name: 'a root activation: only the break-glass alarm fired', evidence: withLive({ ...at, activations: rootAct, alarms: notifying, filters, firings: [fire('break-glass-assume', '2026-09-20T10:02:00.000Z')] }, { period: SEPT }), reason: /none of the alarms that notify on root usage \(root-usage\)/ },
    { name: 'an alarm that notifies but no metric filter feeds its metric', evidence: withLive({ ...at, activations: act, alarms: [alarm('orphan', { metric: 'BreakGlassAssume' })], filters: [], firings: [fire('orphan', '2026-09-20T10:01:00.000Z')] }, { period: SEPT }), reason: /no alarm of the account notifies on break-glass role assumption and sign-in \(a metric filter that detects it/ },
    { name: 'no break-glass identity declared: no alarm can be known to watch a role activation', evidence: withLive({ ...at, activations: act, alarms: notifying, filters, firings: [fire('break-glass-assume', '2026-09-20T10:01:00.000Z')] }, { period: SEPT, breakGlass: { roles: [], users: [], permissionSets: [], allowedCidrs: [], rootIsBreakGlass: true, secrets: [] } }), reason: /no break-glass identity is declared/ },
    { name: 'the transition came 20 min after (15 stated)', evidence: withLive({ ...at, activations: act, alarms: notifying, filters, firings: [fire('break-glass-assume', '2026-09-20T10:20:00.000Z')] }, { period: SEPT }), reason: /entered ALARM within 15 min/ },
    { name: 'a transition before the activation does not count', evidence: withLive({ ...at, activations: act, alarms: notifying, filters, firings: [fire('break-glass-assume', '2026-09-20T09:59:00.000Z')] }, { period: SEPT }) },
    { name: 'only an alarm whose actions are disabled fired', evidence: withLive({ ...at, activations: act, alarms: [alarm('quiet', { actionsEnabled: false, metric: 'BreakGlassAssume' })], filters, firings: [fire('quiet', '2026-09-20T10:01:00.000Z')] }, { period: SEPT }), reason: /no alarm of the account notifies on break-glass role assumption/ },
    { name: 'one of two activations raised nothing', evidence: withLive({ ...at, activations: [...act, activation('ev-2', '2026-09-25T08:00:00Z')], alarms: notifying, filters, firings: [fire('break-glass-assume', '2026-09-20T10:02:00.000Z')] }, { period: SEPT }), reason: /1 of 2 activation\(s\) raised no alarm .*event ev-2/ },
  ],
  unknown: [
    { name: 'live state not configured', evidence: () => baseEvidence({ period: SEPT }), reason: /live AWS state not collected/, assert: (r) => assert.equal(r.evidenceMissing, 'not-configured', 'optional evidence: left out of requirements and criteria') },
    { name: 'alarm history could not be read (DescribeAlarmHistory denied)', evidence: withLive({ ...at, activations: act, alarms: notifying, filters, firings: { unknown: 'monitoring:DescribeAlarmHistory failed: AccessDenied' } }, { period: SEPT }), reason: /could not be read in 111122223333\/eu-central-1: monitoring:DescribeAlarmHistory failed: AccessDenied/ },
    { name: 'older than the 30 days CloudWatch keeps alarm history', evidence: withLive({ collectedAt: '2026-11-15T00:00:00.000Z', activations: act, alarms: notifying, filters, firings: [] }, { period: SEPT }), reason: /older than the 30 days CloudWatch keeps alarm history/ },
    { name: 'the activations could not be looked up', evidence: withLive({ ...at, activations: { unknown: 'cloudtrail:LookupEvents failed: AccessDeniedException' }, alarms: notifying, filters }, { period: SEPT }), reason: /no break-glass activation found in LookupEvents, but activations in 111122223333\/eu-central-1 unknown/ },
    { name: 'the period reaches back further than LookupEvents keeps, and no log archive', evidence: withLive({ collectedAt: '2026-12-31T00:00:00.000Z', activations: [], alarms: notifying, filters }, { period: SEPT }), reason: /LookupEvents keeps 90 days/ },
  ],
  not_applicable: [{ name: 'no activation in the period', evidence: withLive({ ...at, activations: [], alarms: notifying, filters }, { period: SEPT }), reason: /no break-glass activation in the period \(LookupEvents\)/ }],
});
