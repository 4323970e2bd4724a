// Check tables for change tickets, dual approval and the forensic chain: real exports and CloudTrail logs in temp folders.

import changeTicket from '../../src/evaluate/checks/waf-sov-070.process.change-ticket-for-every-activation.js';
import dualApproval from '../../src/evaluate/checks/waf-sov-070.process.dual-approval-before-activation.js';
import forensicChain from '../../src/evaluate/checks/waf-sov-070.process.forensic-chain.js';
import activationTimeToActivate from '../../src/evaluate/checks/waf-sov-070.process.activation-time-to-activate.js';
import type { IntegrityResult } from '../../src/model/cloudtrail-integrity.js';
import { checkTable } from '../support/check-table.js';
import { baseEvidence } from '../support/evidence.js';
import { processEvidence, reviewYaml, roleActivation } from './helpers.js';

const A = roleActivation('2026-08-10T14:00:00Z', 'incident-7');
const csv = (rows: string[]) => ({ 'tickets.csv': ['id,created,eventIds,type,createdBy', ...rows, ''].join('\n') });
const review = (tickets: string[]) => ({ 'r.yaml': reviewYaml({ id: 'PIR-7', activatedAt: '2026-08-10T14:00:00Z', eventIds: [A.assume.eventID], reviewDate: '2026-08-11', tickets }) });
const approvals = (list: string, over = '') => ({
  'a.yaml': `- id: APR-7\n  ticket: CHG-7\n  requester: bob\n  requestedAt: "2026-08-10T13:50:00Z"\n${over}  approvals:\n${list}`,
});
const TWO = '    - {approver: dave, at: "2026-08-10T13:55:00Z"}\n    - {approver: carol, at: "2026-08-10T13:58:00+00:00"}\n';

checkTable(changeTicket, {
  pass: [
    { name: 'export row linked by event ID, created a minute after the start', evidence: processEvidence({ tickets: csv([`CHG-7,2026-08-10T14:01:00Z,${A.assume.eventID},emergency,eventbridge`]), events: A.events }), reason: /all 1 activation\(s\) raised a change ticket/ },
    { name: 'only a review names the ticket (no export configured)', evidence: processEvidence({ reviews: review(['CHG-7']), events: A.events }), reason: /all 1 activation/ },
    { name: 'JSON export with a list of event IDs', evidence: processEvidence({ tickets: { 't.json': JSON.stringify([{ id: 'CHG-7', created: '2026-08-10T16:00:00+02:00', eventIds: [A.call.eventID] }]) }, events: A.events }) },
  ],
  fail: [
    { name: 'no ticket', evidence: processEvidence({ reviews: review([]), events: A.events }), reason: /no change ticket is linked/ },
    { name: 'raised two hours later by hand', evidence: processEvidence({ tickets: csv([`CHG-7,2026-08-10T16:05:00Z,${A.assume.eventID},emergency,alice`]), events: A.events }), reason: /ticket CHG-7 was created 125 min after the activation started/ },
    { name: 'the review names a ticket that is not in the export', evidence: processEvidence({ tickets: csv(['CHG-1,2026-08-01T10:00:00Z,,standard,alice']), reviews: review(['CHG-9']), events: A.events }), reason: /CHG-9, which are not in the ticket export/ },
  ],
  unknown: [
    { name: 'neither tickets nor reviews', evidence: processEvidence({ events: A.events }), reason: /neither a ticket export/ },
    { name: 'CloudTrail not collected', evidence: processEvidence({ reviews: review(['CHG-7']) }), reason: /CloudTrail logs .* not collected/ },
  ],
});

checkTable(dualApproval, {
  pass: [
    { name: 'two approvers before the start, linked by the review’s ticket', evidence: processEvidence({ approvals: approvals(TWO), reviews: review(['CHG-7']), events: A.events }), reason: /all 1 activation\(s\) had two distinct approvals/ },
    { name: 'linked by event ID', evidence: processEvidence({ approvals: approvals(TWO, `  eventIds: [${A.assume.eventID}]\n`), events: A.events }) },
  ],
  fail: [
    { name: 'one approver twice', evidence: processEvidence({ approvals: approvals('    - {approver: dave, at: "2026-08-10T13:55:00Z"}\n    - {approver: Dave, at: "2026-08-10T13:56:00Z"}\n'), reviews: review(['CHG-7']), events: A.events }), reason: /1 valid distinct approver\(s\) before the start \(Dave\)/ },
    { name: 'second approval after the activation started', evidence: processEvidence({ approvals: approvals('    - {approver: dave, at: "2026-08-10T13:55:00Z"}\n    - {approver: carol, at: "2026-08-10T14:20:00Z"}\n'), reviews: review(['CHG-7']), events: A.events }), reason: /carol approved at 2026-08-10T14:20:00Z, after the activation started/ },
    { name: 'the requester approves their own request', evidence: processEvidence({ approvals: approvals('    - {approver: dave, at: "2026-08-10T13:55:00Z"}\n    - {approver: bob, at: "2026-08-10T13:56:00Z"}\n'), reviews: review(['CHG-7']), events: A.events }), reason: /bob approved their own request APR-7/ },
    { name: 'approved for one person, used by another (STS source identity)', evidence: processEvidence({ approvals: { 'a.yaml': approvals(TWO)['a.yaml'].replace('requester: bob', 'requester: erin') }, reviews: review(['CHG-7']), events: A.events }), reason: /the session was used by bob \(CloudTrail sourceIdentity\), but approval was requested by erin/ },
    { name: 'no approval record for the activation', evidence: processEvidence({ approvals: approvals(TWO), events: A.events }), reason: /no approval record linked/ },
  ],
  unknown: [{ name: 'approvals not configured', evidence: () => baseEvidence(), reason: /config key `approvals`/ }],
});

function integrity(verdict: IntegrityResult['verdict'], reasons: string[] = []): IntegrityResult {
  const zero = { valid: 0, 'invalid-signature': 0, 'unknown-key': 0, unsigned: 0, unreadable: 0, moved: 0 };
  const zeroLogs = { valid: 0, modified: 0, missing: 0, moved: 0, unlisted: 0, unverified: 0 };
  return { digests: [], logFiles: [], chain: { status: 'intact', gaps: [], breaks: [] }, summary: { digests: { ...zero, valid: 24, total: 24 }, logFiles: { ...zeroLogs, valid: 3, total: 3 }, gaps: 0, breaks: 0 }, verdict, verdictReasons: reasons, problems: [] };
}
const full = { approvals: approvals(TWO), reviews: review(['CHG-7']), tickets: csv([`CHG-7,2026-08-10T14:01:00Z,${A.assume.eventID},emergency,eventbridge`]), events: A.events };

checkTable(forensicChain, {
  pass: [{ name: 'valid digests, review, ticket, approval and rotation linked', evidence: processEvidence({ ...full, integrity: integrity('valid') }), reason: /integrity valid and all 1 activation\(s\) fully linked/ }],
  fail: [
    { name: 'a log file was modified', evidence: processEvidence({ ...full, integrity: integrity('invalid', ['1 log file modified']) }), reason: /log file integrity invalid: 1 log file modified/ },
    { name: 'no approval and no rotation', evidence: processEvidence({ reviews: review(['CHG-7']), events: roleActivation('2026-08-12T09:00:00Z', 'x', { rotate: false }).events, integrity: integrity('valid') }), reason: /chain incomplete, no linked review, ticket, approval, rotation event/ },
  ],
  unknown: [
    { name: 'digests not validated', evidence: processEvidence(full), reason: /CloudTrail digest validation not collected/ },
    { name: 'integrity cannot be shown', evidence: processEvidence({ ...full, integrity: integrity('unknown', ['no digest covers the end of the period in 1 stream(s)']) }), reason: /log file integrity unknown/ },
  ],
});

checkTable(activationTimeToActivate, {
  pass: [{ name: 'requested 4 minutes before the session start', evidence: processEvidence({ approvals: { 'a.yaml': approvals(TWO)['a.yaml'].replace('13:50:00Z', '13:56:00Z').replace('13:55:00Z', '13:57:00Z') }, reviews: review(['CHG-7']), events: A.events }), reason: /mean time to activate 4 min over 1 real activation/ }],
  fail: [{ name: 'requested 10 minutes before the session start', evidence: processEvidence({ approvals: approvals(TWO), reviews: review(['CHG-7']), events: A.events }), reason: /mean time to activate 10 min over 1 real activation\(s\); not under 5 min/ }],
  unknown: [{ name: 'approvals not configured', evidence: processEvidence({ events: A.events }), reason: /config key `approvals`/ }],
  not_applicable: [{ name: 'no approval linked to the activation', evidence: processEvidence({ approvals: approvals(TWO), events: A.events }), reason: /no activation of the period has an approval request before it/ }],
});
