// Check tables for the post-incident review checks and rotation: real review files and real CloudTrail logs in temp folders.

import assert from 'node:assert/strict';
import reviewForEveryActivation from '../../src/evaluate/checks/waf-sov-070.process.review-for-every-activation.js';
import reviewLinkedEventIds from '../../src/evaluate/checks/waf-sov-070.process.review-linked-event-ids.js';
import reviewWithinFiveBusinessDays from '../../src/evaluate/checks/waf-sov-070.process.review-within-five-business-days.js';
import credentialsRotatedAfterUse from '../../src/evaluate/checks/waf-sov-070.process.credentials-rotated-after-use.js';
import { checkTable } from '../support/check-table.js';
import { baseEvidence } from '../support/evidence.js';
import { processEvidence, reviewYaml, roleActivation } from './helpers.js';
import { GOLDEN_BREAK_GLASS, scenarios } from '../support/golden.js';

// 2026-08-10 is a Monday; 2026-08-13 a Thursday.
const A1 = roleActivation('2026-08-10T14:00:00Z', 'incident-1');
const A2 = roleActivation('2026-08-13T09:00:00Z', 'incident-2');
const NOT_ROTATED = roleActivation('2026-08-20T09:00:00Z', 'incident-3', { rotate: false });
const r1 = (reviewDate = '2026-08-12', eventIds = [A1.assume.eventID]) => reviewYaml({ id: 'PIR-1', activatedAt: '2026-08-10T14:00:00Z', eventIds, reviewDate });
// A root session of centralized root access (sts:AssumeRoot from the management account, then calls in the member
// account), declared in breakGlass.rootSessions: an activation attributed to its caller, reviewed like any other.
const ROOT_SESSION = scenarios().find((s) => s.name.startsWith('AssumeRoot from the management account'))!;
const rootSessionReview = (eventIds: string[]) => reviewYaml({ id: 'PIR-ROOT', activatedAt: '2026-07-10T09:00:00Z', eventIds, reviewDate: '2026-07-13' });
const r2 = (reviewDate = '2026-08-14') => reviewYaml({ id: 'PIR-2', activatedAt: '2026-08-13T09:00:00Z', eventIds: [A2.assume.eventID, A2.call.eventID], reviewDate });

checkTable(reviewForEveryActivation, {
  pass: [
    { name: 'both activations reviewed, linked by event ID', evidence: processEvidence({ reviews: { 'a.yaml': r1(), 'b.yaml': r2() }, events: [...A1.events, ...A2.events] }), reason: /all 2 activation\(s\) of the period are linked/ },
    {
      name: 'a Markdown review with front matter',
      evidence: processEvidence({ reviews: { 'pir.md': `---\n${r1().replace(/lessonsLearned:.*\n/, '')}---\n\n## Lessons learned\n\nTest the rollback.\n` }, events: A1.events }),
      assert: (r) => assert.match(r.findings[0].message, /reviewed by PIR-1/),
    },
    {
      name: 'an AssumeRoot root session, reviewed by its event IDs',
      evidence: processEvidence({ reviews: { 'root.yaml': rootSessionReview([ROOT_SESSION.events[0].eventID as string]) }, events: ROOT_SESSION.events, breakGlass: GOLDEN_BREAK_GLASS }),
      reason: /all 1 activation\(s\) of the period are linked/,
      assert: (r) => assert.match(r.findings[0].message, /by arn:aws:sts::111111111111:assumed-role\/RootTaskOperator\/alice \(root session in 222222222222, IAMDeleteRootUserCredentials\).*reviewed by PIR-ROOT/),
    },
  ],
  fail: [
    {
      name: 'an unreviewed AssumeRoot root session is named by its caller',
      evidence: processEvidence({ reviews: { 'a.yaml': r1() }, events: [...A1.events, ...ROOT_SESSION.events], breakGlass: { ...GOLDEN_BREAK_GLASS, roles: [...GOLDEN_BREAK_GLASS.roles, `arn:aws:iam::*:role/BreakGlassAdmin`] } }),
      reason: /1 of 2 activation\(s\) have no review.*activation 2026-07-10T09:00:00Z by arn:aws:sts::111111111111:assumed-role\/RootTaskOperator\/alice \(root session in 222222222222/,
    },
    {
      name: 'an activation without a review',
      evidence: processEvidence({ reviews: { 'a.yaml': r1() }, events: [...A1.events, ...A2.events] }),
      reason: /1 of 2 activation\(s\) have no review.*activation 2026-08-13T09:00:00Z by .*has no post-incident review/,
    },
    {
      name: 'a review that matches the time but links none of the event IDs does not count',
      evidence: processEvidence({ reviews: { 'a.yaml': r1('2026-08-12', ['00000000-dead-4bad-8bad-000000000000']) }, events: A1.events }),
      reason: /PIR-1 declares this activation time but links none of its event IDs/,
    },
  ],
  unknown: [
    { name: 'no CloudTrail logs: the activations cannot be enumerated', evidence: processEvidence({ reviews: { 'a.yaml': r1() } }), reason: /CloudTrail logs .* not collected/ },
    { name: 'reviews not configured', evidence: processEvidence({ events: A1.events }), reason: /post-incident review records not collected: not configured \(config key `reviews`\)/ },
    { name: 'an activation two days before the period end: its review is not yet due', evidence: processEvidence({ reviews: { 'a.yaml': r1() }, events: roleActivation('2026-09-29T09:00:00Z', 'late-sept').events }), reason: /due by 2026-10-06, after the period end/ },
  ],
  not_applicable: [{ name: 'no activation in the period', evidence: processEvidence({ reviews: { 'a.yaml': r1() }, events: [] }), reason: /no break-glass activation/ }],
});

checkTable(reviewLinkedEventIds, {
  pass: [
    { name: 'linked IDs are activation events', evidence: processEvidence({ reviews: { 'a.yaml': r1(), 'b.yaml': r2() }, events: [...A1.events, ...A2.events] }), reason: /all 2 review\(s\) link event IDs that exist/ },
    {
      name: 'a root session review links the AssumeRoot call and a call of the session',
      evidence: processEvidence({ reviews: { 'root.yaml': rootSessionReview(ROOT_SESSION.events.slice(0, 2).map((e) => e.eventID as string)) }, events: ROOT_SESSION.events, breakGlass: GOLDEN_BREAK_GLASS }),
      reason: /all 1 review\(s\) link event IDs that exist/,
    },
  ],
  fail: [
    {
      name: 'a review pointing at a non-existent event ID',
      evidence: processEvidence({ reviews: { 'a.yaml': r1('2026-08-12', [A1.assume.eventID, '11111111-2222-4333-8444-555555555555']) }, events: A1.events }),
      reason: /review PIR-1 links event ID\(s\) not found in the CloudTrail logs of the period: 11111111-2222-4333-8444-555555555555/,
      locations: [/^a\.yaml:1:1$/],
    },
    { name: 'a review that links no event ID', evidence: processEvidence({ reviews: { 'a.yaml': r1('2026-08-12', []) }, events: A1.events }), reason: /review PIR-1 links no CloudTrail event ID/ },
  ],
  unknown: [{ name: 'IDs cannot be verified without CloudTrail', evidence: processEvidence({ reviews: { 'a.yaml': r1() } }), reason: /cannot be verified without CloudTrail logs/ }],
  not_applicable: [{ name: 'no review concerns the period', evidence: processEvidence({ reviews: { 'a.yaml': reviewYaml({ id: 'OLD', activatedAt: '2026-03-02T10:00:00Z', eventIds: ['x'], reviewDate: '2026-03-03' }) }, events: [] }) }],
});

checkTable(reviewWithinFiveBusinessDays, {
  pass: [
    { name: 'reviews on day 2 and day 1', evidence: processEvidence({ reviews: { 'a.yaml': r1(), 'b.yaml': r2() }, events: [...A1.events, ...A2.events] }), reason: /all 2 review\(s\) dated within 5 business days/ },
    { name: 'Thursday activation reviewed next Thursday (day 5)', evidence: processEvidence({ reviews: { 'b.yaml': r2('2026-08-20') }, events: A2.events }) },
    { name: 'without CloudTrail the declared activation time is used', evidence: processEvidence({ reviews: { 'a.yaml': r1('2026-08-17') } }), assert: (r) => assert.match(r.findings[0].message, /business day 5/) },
  ],
  fail: [
    {
      name: 'Thursday activation reviewed next Friday (day 6): filed late',
      evidence: processEvidence({ reviews: { 'b.yaml': r2('2026-08-21') }, events: A2.events }),
      reason: /review PIR-2 filed late: dated 2026-08-21, business day 6 after the activation on 2026-08-13 \(from CloudTrail\); the deadline was 2026-08-20/,
    },
    {
      name: 'the CloudTrail start wins over a wrong declared time',
      evidence: processEvidence({ reviews: { 'a.yaml': reviewYaml({ id: 'PIR-1', activatedAt: '2026-08-12T14:00:00Z', eventIds: [A1.assume.eventID], reviewDate: '2026-08-18' }) }, events: A1.events }),
      reason: /business day 6 after the activation on 2026-08-10/,
    },
    { name: 'a review dated before its activation', evidence: processEvidence({ reviews: { 'a.yaml': r1('2026-08-07') }, events: A1.events }), reason: /dated 2026-08-07, before its activation/ },
  ],
  unknown: [{ name: 'reviews not configured', evidence: () => baseEvidence(), reason: /not configured \(config key `reviews`\)/ }],
});

checkTable(credentialsRotatedAfterUse, {
  pass: [{ name: 'sessions revoked after each activation', evidence: processEvidence({ events: [...A1.events, ...A2.events] }), reason: /rotated after all 2 activation\(s\)/ }],
  fail: [{ name: 'no rotation after the last use', evidence: processEvidence({ events: [...A1.events, ...NOT_ROTATED.events] }), reason: /1 of 2 activation\(s\) without rotation evidence.*no credential rotation found/ }],
  manual: [
    {
      name: 'rotation stated only in the review',
      evidence: processEvidence({ reviews: { 'c.yaml': reviewYaml({ id: 'PIR-3', activatedAt: '2026-08-20T09:00:00Z', eventIds: [NOT_ROTATED.assume.eventID], reviewDate: '2026-08-21', rotated: [{ what: 'vault password', when: '2026-08-20T10:00:00Z' }] }) }, events: NOT_ROTATED.events }),
      reason: /rotation stated only in a review — vault password at 2026-08-20T10:00:00Z \(review PIR-3\)/,
    },
  ],
  unknown: [{ name: 'CloudTrail not collected', evidence: () => baseEvidence(), reason: /CloudTrail logs .* not collected/ }],
  not_applicable: [{ name: 'no activation', evidence: processEvidence({ events: [] }) }],
});
