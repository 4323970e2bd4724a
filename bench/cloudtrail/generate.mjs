// Generates a synthetic CloudTrail archive in the S3 layout from the real event shapes in the shared testdata, with planted activations.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const ACCOUNT = '123456789012';
export const REGIONS = ['us-east-1', 'eu-central-1'];
export const PERIOD = { from: '2026-07-01', to: '2026-09-30' };
export const BREAK_GLASS = { roles: ['arn:aws:iam::*:role/BreakGlass*'], users: ['bg-emergency*'], allowedCidrs: ['203.0.113.0/24'] };
const ROLE = `arn:aws:iam::${ACCOUNT}:role/BreakGlassAdmin`;
const DAYS = 92;

function mulberry32(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every record of the shared testdata that is neither root nor a break-glass identity, as a string template. */
function templates(testdata) {
  const out = [];
  for (const dir of readdirSync(testdata)) {
    for (const f of readdirSync(join(testdata, dir))) {
      if (!f.endsWith('.json') || f.endsWith('.labels.json')) continue;
      const doc = JSON.parse(readFileSync(join(testdata, dir, f), 'utf8'));
      for (const r of Array.isArray(doc) ? doc : doc.Records) {
        const text = JSON.stringify(r);
        if (text.includes('"Root"') || /BreakGlass|bg-emergency/.test(text) || typeof r.eventName !== 'string') continue;
        const t = { ...r, eventID: '\u0001', eventTime: '\u0002', recipientAccountId: ACCOUNT };
        const s = JSON.stringify(t);
        const a = s.indexOf('"\\u0001"');
        const b = s.indexOf('"\\u0002"');
        const [first, second] = a < b ? [a, b] : [b, a];
        out.push({ parts: [s.slice(0, first), s.slice(first + 8, second), s.slice(second + 8)], idFirst: a < b });
      }
    }
  }
  return out;
}

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const stamp = (ms) => iso(ms).replace(/[-:]/g, '').slice(0, 13) + 'Z';

function planted(rand, startMs) {
  const acts = [];
  const ev = (o) => ({
    eventVersion: '1.08',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.20',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: null,
    responseElements: null,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    ...o,
  });
  const root = { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: 'ASIAROOT' };
  for (let k = 0; k < 10; k++) {
    const day = 3 + k * 9; // spread over the quarter, one a day apart at k = 9 (see below)
    const t0 = startMs + day * 86_400_000 + Math.floor(rand() * 20 * 3_600_000);
    const n = 5 + Math.floor(rand() * 20);
    const id = (i) => `planted-${k}-${String(i).padStart(3, '0')}-${createHash('sha256').update(`${k}/${i}`).digest('hex').slice(0, 12)}`;
    const events = [];
    const kind = ['root', 'role', 'iam-user'][k % 3];
    const at = (i) => iso(t0 + i * 60_000);
    if (kind === 'root') {
      events.push(ev({ userIdentity: { ...root, accessKeyId: undefined }, eventTime: at(0), eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', readOnly: false, responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'Yes' }, eventID: id(0) }));
      for (let i = 1; i < n; i++) events.push(ev({ userIdentity: root, eventTime: at(i), eventID: id(i) }));
    } else if (kind === 'role') {
      const session = `incident-${k}`;
      const arn = `arn:aws:sts::${ACCOUNT}:assumed-role/BreakGlassAdmin/${session}`;
      events.push(
        ev({
          userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/oncall`, accountId: ACCOUNT, userName: 'oncall', accessKeyId: 'AKIAONCALL' },
          eventTime: at(0),
          eventSource: 'sts.amazonaws.com',
          eventName: 'AssumeRole',
          requestParameters: { roleArn: ROLE, roleSessionName: session },
          responseElements: { credentials: { accessKeyId: `ASIAPLANT${k}`, expiration: 'x' }, assumedRoleUser: { arn, assumedRoleId: `AROA:${session}` } },
          eventID: id(0),
        }),
      );
      const ui = { type: 'AssumedRole', arn, accountId: ACCOUNT, accessKeyId: `ASIAPLANT${k}`, sessionContext: { sessionIssuer: { type: 'Role', arn: ROLE, userName: 'BreakGlassAdmin', accountId: ACCOUNT }, attributes: { mfaAuthenticated: 'true' } } };
      for (let i = 1; i < n; i++) events.push(ev({ userIdentity: ui, eventTime: at(i), eventID: id(i) }));
    } else {
      const ui = { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/bg-emergency`, accountId: ACCOUNT, userName: 'bg-emergency', accessKeyId: 'AKIABG' };
      for (let i = 0; i < n; i++) events.push(ev({ userIdentity: ui, eventTime: at(i), eventID: id(i), sourceIPAddress: i === 0 ? '198.51.100.9' : '203.0.113.20' }));
    }
    acts.push({ kind, eventIds: events.map((e) => e.eventID), events });
  }
  return acts;
}

/**
 * Writes ~`files` gzip log files holding `bytes` of uncompressed JSON in the S3 layout under `root`.
 * Returns the manifest (planted activations, totals); deterministic for the same arguments.
 */
export function generate({ root, bytes, files, testdata, seed = 42 }) {
  const rand = mulberry32(seed);
  const tpl = templates(testdata);
  const startMs = Date.parse(`${PERIOD.from}T00:00:00Z`);
  const perRegion = Math.ceil(files / REGIONS.length);
  const slots = [];
  for (const region of REGIONS)
    for (let i = 0; i < perRegion; i++) {
      // Delivery times spread evenly over the quarter; the file holds the events of the preceding window.
      const deliver = startMs + Math.floor(((i + 1) * DAYS * 86_400_000) / perRegion) - 60_000;
      slots.push({ region, deliver, from: startMs + Math.floor((i * DAYS * 86_400_000) / perRegion), extra: [] });
    }
  const acts = planted(rand, startMs);
  for (const a of acts)
    for (const e of a.events) {
      const t = Date.parse(e.eventTime);
      const slot = slots.find((s) => s.region === e.awsRegion && t >= s.from && t < s.deliver + 60_000) ?? slots.find((s) => s.region === 'us-east-1' && t < s.deliver + 60_000);
      slot.extra.push(e);
    }
  const perFile = bytes / slots.length;
  let total = 0;
  let records = 0;
  let compressed = 0;
  for (const [n, s] of slots.entries()) {
    const parts = [];
    let size = 0;
    const span = s.deliver - s.from;
    while (size < perFile) {
      const t = tpl[Math.floor(rand() * tpl.length)];
      const id = `${seed.toString(16)}-${n.toString(16)}-${parts.length.toString(16)}-4000-8000-${Math.floor(rand() * 2 ** 48).toString(16).padStart(12, '0')}`;
      const time = iso(s.from + Math.floor(rand() * span));
      const [x, y] = t.idFirst ? [id, time] : [time, id];
      const rec = `${t.parts[0]}"${x}"${t.parts[1]}"${y}"${t.parts[2]}`;
      parts.push(rec);
      size += rec.length + 1;
    }
    for (const e of s.extra) parts.splice(Math.floor(rand() * parts.length), 0, JSON.stringify(e));
    const body = `{"Records":[${parts.join(',')}]}`;
    const name = `${ACCOUNT}_CloudTrail_${s.region}_${stamp(s.deliver)}_${createHash('sha256').update(`${seed}/${n}`).digest('base64url').replace(/[-_]/g, 'x').slice(0, 16)}.json.gz`;
    const d = new Date(s.deliver);
    const path = join(root, 'AWSLogs', ACCOUNT, 'CloudTrail', s.region, String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0'), String(d.getUTCDate()).padStart(2, '0'), name);
    mkdirSync(dirname(path), { recursive: true });
    const gz = gzipSync(body);
    writeFileSync(path, gz);
    total += Buffer.byteLength(body);
    compressed += gz.length;
    records += parts.length;
  }
  return {
    seed,
    files: slots.length,
    uncompressedBytes: total,
    compressedBytes: compressed,
    records,
    templates: tpl.length,
    planted: acts.map(({ kind, eventIds }) => ({ kind, eventIds })),
  };
}
