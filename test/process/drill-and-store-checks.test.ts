// Check tables for drills, the secret store, secret values in process files and standing credentials (real files via the collectors).

import assert from 'node:assert/strict';
import drillAnnualNonProduction from '../../src/evaluate/checks/waf-sov-070.process.drill-annual-non-production.js';
import drillTimeToActivate from '../../src/evaluate/checks/waf-sov-070.process.drill-time-to-activate.js';
import secretStoreRotationAutomatic from '../../src/evaluate/checks/waf-sov-070.process.secret-store-rotation-automatic.js';
import secretStoreDedicated from '../../src/evaluate/checks/waf-sov-070.process.secret-store-dedicated.js';
import secretValuesAbsent from '../../src/evaluate/checks/waf-sov-070.process.secret-values-absent.js';
import noStandingCredentials from '../../src/evaluate/checks/waf-sov-070.process.no-standing-credentials.js';
import { checkTable } from '../support/check-table.js';
import { baseEvidence } from '../support/evidence.js';
import { BG, processEvidence, roleActivation, SECRET_STORE_OK } from './helpers.js';

const drill = (o: { id?: string; date: string; env: string; cls?: string; tta?: string; artefact?: string }) =>
  [`- id: ${o.id ?? 'D1'}`, `  date: ${o.date}`, `  environment: ${o.env}`, ...(o.cls ? [`  environmentClass: ${o.cls}`] : []), '  scenario: IdP outage', '  participants: [a, b]', ...(o.tta ? [`  timeToActivate: ${o.tta}`] : []), ...(o.artefact ? [`  auditArtefact: ${o.artefact}`] : [])].join('\n') + '\n';

checkTable(drillAnnualNonProduction, {
  pass: [
    { name: 'staging drill 100 days before the period end', evidence: processEvidence({ drills: { 'd.yaml': drill({ date: '2026-06-22', env: 'staging' }) } }), reason: /1 non-production drill\(s\) within 365 days before 2026-09-30/ },
    { name: 'an old drill does not hurt when a recent one exists', evidence: processEvidence({ drills: { 'd.yaml': drill({ date: '2026-06-22', env: 'sandbox' }) + drill({ id: 'D0', date: '2024-05-01', env: 'sandbox' }) } }) },
    { name: 'environmentClass overrides the name', evidence: processEvidence({ drills: { 'd.yaml': drill({ date: '2026-06-22', env: 'acct-4711', cls: 'non-production' }) } }) },
  ],
  fail: [
    { name: 'a drill in production', evidence: processEvidence({ drills: { 'd.yaml': drill({ date: '2026-06-22', env: 'prod-eu' }) + drill({ id: 'D2', date: '2026-05-01', env: 'staging' }) } }), reason: /drill D1 on 2026-06-22 in "prod-eu" ran in production/, locations: [/^d\.yaml:1:3/] },
    { name: 'a drill older than 365 days', evidence: processEvidence({ drills: { 'd.yaml': drill({ date: '2025-09-29', env: 'staging' }) } }), reason: /drill D1 on 2025-09-29 in "staging" is 366 days before the period end \(older than 365 days\)/ },
    { name: 'no drill at all', evidence: processEvidence({ drills: { 'd.yaml': '[]\n' } }), reason: /no drill record/ },
  ],
  unknown: [
    { name: 'environment name says nothing', evidence: processEvidence({ drills: { 'd.yaml': drill({ date: '2026-06-22', env: 'acct-4711' }) } }), reason: /does not say whether it is production; set environmentClass/ },
    { name: 'drills not configured', evidence: () => baseEvidence(), reason: /config key `drills`/ },
  ],
});

checkTable(drillTimeToActivate, {
  pass: [
    {
      name: 'mean 3.5 min with artefacts',
      evidence: processEvidence({ drills: { 'd.yaml': drill({ date: '2026-06-22', env: 'staging', tta: 'PT3M', artefact: 'a1.json' }) + drill({ id: 'D2', date: '2026-03-01', env: 'sandbox', tta: 240, artefact: 'a2.json' } as never), 'a1.json': '{}', 'a2.json': '{}' } }),
      reason: /mean time to activate 3\.5 min over 2 drill\(s\)/,
    },
  ],
  fail: [
    { name: 'mean 11 minutes', evidence: processEvidence({ drills: { 'd.yaml': drill({ date: '2026-06-22', env: 'staging', tta: 'PT11M', artefact: 'a.json' }), 'a.json': '{}' } }), reason: /mean time to activate 11 min.*not under 5 min/ },
    { name: 'fast, but the artefact does not exist', evidence: processEvidence({ drills: { 'd.yaml': drill({ date: '2026-06-22', env: 'staging', tta: 'PT2M', artefact: 'missing.json' }) } }), reason: /1 drill\(s\) without an existing audit artefact/ },
  ],
  unknown: [{ name: 'no measured time', evidence: processEvidence({ drills: { 'd.yaml': drill({ date: '2026-06-22', env: 'staging' }) } }), reason: /records a time to activate/ }],
});

checkTable(secretStoreRotationAutomatic, {
  pass: [{ name: 'automatic after use', evidence: processEvidence({ secretStore: SECRET_STORE_OK }), reason: /rotate automatically after every use \(vault rotation job\)/ }],
  fail: [
    { name: 'manual rotation', evidence: processEvidence({ secretStore: SECRET_STORE_OK.replace('mode: automatic', 'mode: manual') }), reason: /rotated after use manually/ },
    { name: 'no rotation after use', evidence: processEvidence({ secretStore: SECRET_STORE_OK.replace('afterUse: true', 'afterUse: false') }), reason: /rotation after use is not configured/ },
  ],
  unknown: [
    { name: 'the file fails its schema', evidence: processEvidence({ secretStore: 'store: {name: x}\n' }), reason: /could not be used; 1 secret-store record\(s\) failed validation/ },
    { name: 'a misspelt key is rejected, not ignored', evidence: processEvidence({ secretStore: SECRET_STORE_OK.replace('rotation:', 'rotaton:') }), reason: /could not be used; 1 secret-store record\(s\) failed validation/ },
    { name: 'not configured', evidence: () => baseEvidence(), reason: /config key `secretStore`/ },
  ],
});

checkTable(secretStoreDedicated, {
  pass: [{ name: 'dedicated, audited this year, two custodians, named readers', evidence: processEvidence({ secretStore: SECRET_STORE_OK }), reason: /dedicated.*independently audited by Example Audit GmbH on 2026-03-01.*dual control with 2 custodians/ }],
  fail: [
    { name: 'the main vault', evidence: processEvidence({ secretStore: SECRET_STORE_OK.replace('dedicated: true', 'dedicated: false, sharedWith: all application secrets') }), reason: /is not dedicated \(shared with all application secrets\)/ },
    { name: 'audit older than a year', evidence: processEvidence({ secretStore: SECRET_STORE_OK.replace('date: 2026-03-01', 'date: 2025-06-30') }), reason: /457 days before the period end/ },
    { name: 'one custodian', evidence: processEvidence({ secretStore: SECRET_STORE_OK.replace('custodians: [CISO, Head of Platform]', 'custodians: [CISO, ciso]') }), reason: /only 1 distinct custodian/ },
    { name: 'everyone can read', evidence: processEvidence({ secretStore: SECRET_STORE_OK.replace('readers: [role/BreakGlassCustodian]', 'readers: ["*"]') }), reason: /readers include \*/ },
  ],
  unknown: [{ name: 'not configured', evidence: () => baseEvidence() }],
});

checkTable(secretValuesAbsent, {
  pass: [{ name: 'references only', evidence: processEvidence({ secretStore: SECRET_STORE_OK + 'secretRefs: [arn:aws:secretsmanager:eu-central-1:111122223333:secret:break-glass/admin-AbC123, "vault:kv/break-glass/root"]\n' }), reason: /no secret-looking value in 1 process file/ }],
  fail: [
    {
      name: 'a secret value in the secret-store file',
      evidence: processEvidence({ secretStore: SECRET_STORE_OK + 'credentials_backup:\n  password: "Tr0ub4dor&3-horse"\n' }),
      reason: /secret-store\.yaml:9 credentials_backup\.password/,
      assert: (r) => {
        assert.equal(r.findings.length, 1);
        assert.match(r.findings[0].message, /value under a key named "password"/);
        assert.doesNotMatch(JSON.stringify(r), /Tr0ub4dor/);
      },
    },
    { name: 'an AWS access key id in a review body', evidence: processEvidence({ reviews: { 'r.md': '---\nid: x\n---\nWe used AKIAIOSFODNN7EXAMPLE to log in.\n' } }), reason: /r\.md:4 \(body\)/ },
  ],
  unknown: [{ name: 'no process file read', evidence: () => baseEvidence(), reason: /no process evidence file was read/ }],
});

checkTable(noStandingCredentials, {
  pass: [
    { name: 'just-in-time only, no IAM users, role activations in CloudTrail', evidence: processEvidence({ secretStore: SECRET_STORE_OK, events: roleActivation('2026-08-10T14:00:00Z', 'x').events }), reason: /all 1 break-glass credential\(s\) are just-in-time; 1 activation\(s\) in CloudTrail, 0 with long-term credentials/ },
  ],
  fail: [
    { name: 'a standing password', evidence: processEvidence({ secretStore: SECRET_STORE_OK.replace('type: just-in-time', 'type: standing') }), reason: /BreakGlassAdmin session is a standing credential/ },
    { name: 'break-glass IAM users declared', evidence: processEvidence({ secretStore: SECRET_STORE_OK, breakGlass: { ...BG, users: ['breakglass-admin'] } }), reason: /break-glass IAM users are declared \(breakglass-admin\)/ },
  ],
  unknown: [{ name: 'credentials not listed', evidence: processEvidence({ secretStore: SECRET_STORE_OK.replace(/credentials:\n.*\n/, '') }), reason: /break-glass credentials are not listed/ }],
});
