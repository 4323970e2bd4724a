// report.html from real Reports: structure, links, accessibility markers, CSP, charts, absent sections, determinism, hostile input.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import Handlebars from 'handlebars';
import { renderHtml, readActivations, timeline, anchorOf, contentSecurityPolicy } from '../../src/render/html.js';
import type { Report } from '../../src/model/report.js';
import type { IntegrityResult } from '../../src/model/cloudtrail-integrity.js';
import { reportWithActivations, sampleReport, SAMPLES } from './fixtures.js';
import { asDisplayed, hostileTwins, MEGABYTE, payloads, skeleton } from './hostile.js';

const reports: Record<string, Report> = {};
before(async () => {
  for (const s of SAMPLES) reports[s] = await sampleReport(s);
  reports.activations = await reportWithActivations();
});

const clone = (r: Report): Report => structuredClone(r);
const idsOf = (html: string) => [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]!);
const count = (html: string, re: RegExp) => [...html.matchAll(re)].length;

describe('report.html structure on real reports', () => {
  for (const name of [...SAMPLES, 'activations']) {
    it(`${name}: self-contained, no script, strict CSP, lang, every table header scoped`, () => {
      const html = renderHtml(reports[name]!);
      assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
      assert.doesNotMatch(html, /<script/i);
      assert.doesNotMatch(html, /\s(?:src|href|xlink:href|action|srcset|poster)="(?!#)/i, 'only in-page links');
      assert.doesNotMatch(html, /url\((?!#)/, 'CSS loads nothing but in-page SVG patterns');
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
      assert.ok(csp, 'CSP meta tag');
      assert.match(csp!, /default-src 'none'/);
      assert.match(csp!, /script-src 'none'/);
      assert.doesNotMatch(csp!, /unsafe-inline|unsafe-eval|https?:|\*/);
      const ths = [...html.matchAll(/<th\b[^>]*>/g)].map((m) => m[0]);
      assert.ok(ths.length > 20);
      for (const th of ths) assert.match(th, /scope="(col|row|rowgroup)"/, th);
    });

    it(`${name}: every in-page link has a target, ids are unique`, () => {
      const html = renderHtml(reports[name]!);
      const ids = idsOf(html);
      assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.filter((x, i) => ids.indexOf(x) !== i).join(', ')}`);
      const targets = new Set(ids);
      const links = [...html.matchAll(/href="#([^"]*)"/g)].map((m) => m[1]!);
      assert.ok(links.length > 20);
      for (const l of links) assert.ok(targets.has(l), `dangling link #${l}`);
    });

    it(`${name}: every requirement, check, framework control, criterion and evidence hash is shown`, () => {
      const r = reports[name]!;
      const html = renderHtml(r);
      const esc = (s: string) => Handlebars.escapeExpression(s);
      for (const q of r.requirements) assert.ok(html.includes(`id="req-${anchorOf(q.id)}"`) && html.includes(esc(q.reason)), q.id);
      for (const c of r.checks) {
        const row = html.slice(html.indexOf(`id="check-${anchorOf(c.id)}"`)).split('</tr>')[0]!;
        assert.ok(row.includes(`s-${c.status}`) && row.includes(esc(c.reason)), c.id);
        // Up to three items of a kind are linked one by one; more become one link to the kind's group.
        const kinds = new Map<string, string[]>();
        for (const ref of c.evidenceRefs) {
          const kind = r.evidence.find((e) => e.id === ref)!.kind;
          kinds.set(kind, [...(kinds.get(kind) ?? []), ref]);
        }
        for (const [kind, refs] of kinds) {
          if (refs.length > 3) assert.ok(row.includes(`href="#evkind-${anchorOf(kind)}">${refs.length} ${kind} items`), `${c.id} links ${kind}`);
          else for (const ref of refs) assert.ok(row.includes(`href="#ev-${anchorOf(ref)}"`), `${c.id} links ${ref}`);
        }
      }
      for (const f of r.frameworks) {
        const section = html.slice(html.indexOf(`id="fw-${anchorOf(f.id)}"`)).split('</section>')[0]!;
        assert.equal(count(section, /<tr id="fwc-[^"]+"><th scope="row">/g), f.controls.length, f.id);
        for (const c of f.controls) assert.ok(section.includes(esc(c.title)), `${f.id} ${c.id}`);
      }
      for (const c of r.maturity.criteria) assert.ok(html.includes(`id="criterion-${anchorOf(c.id)}"`), c.id);
      for (const e of r.evidence) {
        assert.ok(html.includes(`id="ev-${anchorOf(e.id)}"`), e.id);
        if (e.sha256) assert.ok(html.includes(`<code class="hash">${e.sha256}</code>`), `full sha256 of ${e.id}`);
      }
      assert.equal(count(html, /<h1>/g), 1);
      assert.ok(html.includes(`>${r.maturity.level} <span>of 5`));
    });

    it(`${name}: the staircase has one step per level and one block per criterion`, () => {
      const r = reports[name]!;
      const html = renderHtml(r);
      assert.equal(count(html, /<g class="step[^"]*" data-level=/g), 5);
      assert.equal(count(html, /<rect class="criterion c-(met|not_met|unknown)" x=/g), r.maturity.criteria.length);
      for (const l of r.maturity.levels) {
        const met = l.criteria.filter((c) => c.status === 'met').length;
        assert.ok(html.includes(`${met} met · ${l.criteria.filter((c) => c.status === 'not_met').length} not met`), `L${l.level} counts in text`);
      }
      assert.equal(count(html, /<g class="step achieved/g), r.maturity.level);
    });
  }

  it('the CSP allows exactly the inline stylesheet, by its sha256', () => {
    const html = renderHtml(reports['acme-bank']!);
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = createHash('sha256').update(css, 'utf8').digest('base64');
    assert.ok(contentSecurityPolicy().includes(`style-src 'sha256-${hash}'`));
    assert.equal(count(html, /<style/g), 1);
    assert.doesNotMatch(html, /\sstyle="/, 'no style attributes: the CSP would block them');
  });

  it('the same Report renders to the same bytes', () => {
    assert.equal(renderHtml(clone(reports.activations!)), renderHtml(clone(reports.activations!)));
  });

  it('the next-steps section lists every open criterion of the next level, with the fixes of its failing checks', () => {
    const r = reports['acme-bank']!;
    const html = renderHtml(r);
    const next = r.maturity.levels.find((l) => l.level === r.maturity.level + 1)!;
    const section = html.slice(html.indexOf('<section id="next"')).split('</section>')[0]!;
    const open = next.criteria.filter((c) => c.status !== 'met');
    assert.ok(open.length > 0);
    assert.equal(count(section, /<li(?: class="first")?><p>/g), open.length);
    for (const c of open) assert.ok(section.includes(Handlebars.escapeExpression(c.text)), c.id);
    const failing = open.flatMap((c) => c.checks).map((id) => r.checks.find((k) => k.id === id)!).filter((k) => k.status === 'fail');
    for (const k of failing) assert.ok(section.includes(Handlebars.escapeExpression(k.remediation)), k.id);
  });
});

describe('verdicts per source', () => {
  it('a check read on IaC and live state shows one row per source, the deciding one marked; a check without sources has no table', () => {
    const r = clone(reports['acme-bank']!);
    const [withSources, without] = r.checks;
    Object.assign(withSources!, {
      status: 'unknown',
      sources: [
        { source: 'iac', status: 'pass', reason: 'IaC: <trail> is multi-region', decisive: false },
        { source: 'aws-live', account: '123456789012', regions: ['eu-central-1', 'eu-west-1'], status: 'unknown', reason: 'live 123456789012: cloudtrail:DescribeTrails denied', decisive: true },
      ],
    });
    const html = renderHtml(r);
    const row = (id: string) => html.slice(html.indexOf(`id="check-${anchorOf(id)}"`)).split('<tr id="check-')[0]!;
    const table = row(withSources!.id).split('<table class="sources">')[1]!.split('</table>')[0]!;
    const rows = table.split('<tr').slice(2);
    assert.equal(rows.length, 2);
    assert.match(rows[0]!, /^><td>IaC<\/td><td><span class="badge s-pass">/);
    assert.match(rows[0]!, /IaC: &lt;trail&gt; is multi-region/, 'reasons escaped');
    assert.doesNotMatch(rows[0]!, /decides/);
    assert.match(rows[1]!, /^ class="decisive"><td>live AWS <code>123456789012<\/code> <span class="muted">\(eu-central-1, eu-west-1\)<\/span> <strong>decides<\/strong><\/td><td><span class="badge s-unknown">/);
    assert.doesNotMatch(row(without!.id), /class="sources"/);
  });
});

describe('activation timeline', () => {
  it('one lane per activation; markers for each alarm, review and rotation found; missing ones in words', () => {
    const r = reports.activations!;
    const html = renderHtml(r);
    assert.equal(count(html, /<g class="lane" data-activation=/g), 3);
    assert.equal(count(html, /class="tl-activation" x=/g), 3 + 1 /* legend */);
    assert.equal(count(html, /class="tl-marker tl-alarm"/g), 1);
    assert.equal(count(html, /class="tl-marker tl-review"/g), 2);
    assert.equal(count(html, /class="tl-marker tl-rotation"/g), 1);
    assert.equal(count(html, /no review found/g), 1);
    assert.equal(count(html, /no rotation found/g), 2);
    assert.equal(count(html, /<tr id="activation-/g), 3);
    // Tickets and approvals were not configured: said as such, never as "no ticket".
    assert.equal(count(html, /tickets not collected/g), 3);
    assert.equal(count(html, /NO TICKET/g), 0);
  });

  it('process records link to their activation both ways (level-5 sample)', () => {
    const r = reports['level5-aurora-sovereign']!;
    const html = renderHtml(r);
    const acts = r.sections.activations as { id: string }[];
    assert.ok(acts.length >= 2);
    assert.equal(count(html, /<span class="badge s-pass">TICKET<\/span>/g), acts.length);
    assert.equal(count(html, /<span class="badge s-pass">APPROVED<\/span>/g), acts.length);
    const section = html.slice(html.indexOf('<section id="process"')).split('</section>')[0]!;
    for (const a of acts) assert.ok(section.includes(`href="#activation-${anchorOf(a.id)}"`), `a record links activation ${a.id}`);
    assert.doesNotMatch(section, /no such activation/);
  });

  it('markers sit in time order on a monotonic axis', () => {
    const r = reports.activations!;
    const [a] = readActivations(r.sections.activations, r.sections.reviews, {}, r.sections.replay)!;
    assert.equal(a!.alarm?.replayed, true);
    assert.match(a!.alarm!.text, /aws_cloudwatch_metric_alarm.root_usage would fire: aws_cloudwatch_log_metric_filter.root_usage matches 4 event\(s\) of this activation from 2026-07-14T08:02:11Z/);
    const lane = timeline([a!]).lanes[0]!;
    const x = Object.fromEntries(lane.markers.map((m) => [m.kind, m.x]));
    // The replayed root-usage alarm matches the sign-in itself: it sits at the start.
    assert.ok(lane.barX === x.alarm! && x.alarm! < x.rotation! && x.rotation! < x.review!, JSON.stringify(x));
    assert.ok(Math.abs(lane.barX + lane.barW - x.rotation!) < 1, 'the session ends with the password change');
  });

  const malformed: [string, unknown[], (v: ReturnType<typeof readActivations>) => void][] = [
    ['null and scalar entries', [null, 'x', 3], (v) => assert.deepEqual(v!.map((a) => a.principal), Array(3).fill('(principal not recorded)'))],
    ['unparseable start', [{ id: 'a', start: 'yesterday', durationSeconds: 5 }], (v) => assert.equal(timeline(v!).lanes[0]!.missing, 'no alarm evidence · no review found · no rotation found · start time unknown')],
    ['rotation before start and far after', [{ id: 'a', start: '2026-07-01T00:00:00Z', rotation: { status: 'rotated', evidence: [{ eventTime: '2026-06-01T00:00:00Z' }] }, alarm: { at: '2027-07-01T00:00:00Z' } }],
      (v) => assert.deepEqual(timeline(v!).lanes[0]!.markers.map((m) => [m.kind, m.clamped]), [['alarm', true], ['rotation', true]])],
    ['free text that V8 Date.parse reads as a date', [{ id: 'a', start: 'javascript:x #12', rotation: { evidence: [{ eventTime: 'at 5' }] } }],
      (v) => assert.deepEqual(timeline(v!).lanes[0]!.markers, [])],
    ['wrong types everywhere', [{ id: 7, principal: 'x', start: 1, eventIds: 'e', rotation: [], durationSeconds: 'long' }], (v) => assert.equal(v![0]!.duration, 'unknown')],
  ];
  for (const [name, section, expect] of malformed) {
    it(`tolerates ${name}`, () => {
      const v = readActivations(section);
      expect(v);
      const r = clone(reports['acme-bank']!);
      r.sections.activations = section;
      assert.match(renderHtml(r), /<section id="activations"/);
    });
  }

  const presence: [string, (r: Report) => void, RegExp | null][] = [
    ['no CloudTrail section at all: no activations section', () => {}, null],
    ['CloudTrail read, no activation', (r) => { r.sections.activations = []; r.sections.cloudtrail = { recordsRead: 10, eventsInPeriod: 10, noLogs: false, coverage: { daysWithoutLogs: [] } }; }, /No break-glass activation was found/],
    ['no log in the period: unknown, never "none found"', (r) => { r.sections.activations = []; r.sections.cloudtrail = { noLogs: true, noLogsReason: 'no log files under s3://trail/AWSLogs' }; }, /UNKNOWN<\/span> No CloudTrail event falls in the period: no log files under s3:\/\/trail\/AWSLogs/],
  ];
  for (const [name, mutate, expected] of presence) {
    it(name, () => {
      const r = clone(reports['acme-bank']!);
      mutate(r);
      const html = renderHtml(r);
      if (expected === null) assert.doesNotMatch(html, /id="activations"/);
      else {
        assert.match(html, expected);
        assert.doesNotMatch(html, /class="timeline"/);
        if (r.sections.cloudtrail && (r.sections.cloudtrail as { noLogs: boolean }).noLogs) assert.doesNotMatch(html, /No break-glass activation was found/);
      }
    });
  }
});

/** Fills the optional fields so that the hostile walk reaches them too. */
function enriched(r: Report): Report {
  const x = clone(r);
  x.checks[0]!.accepted = { by: 'CISO', until: '2026-12-31', ticket: 'RISK-12', justification: 'legacy account' };
  x.checks[0]!.findings.push({ status: 'fail', message: 'finding message', subject: 'aws_iam_role.break_glass', location: { file: 'infra/iam.tf', line: 3, column: 1, pointer: 'resource' } });
  x.checks[1]!.locations.push({ api: 'cloudtrail:GetTrailStatus', account: '111122223333', region: 'eu-central-1' });
  x.problems.push({ source: 'terraform', level: 'warning', message: 'module source not found', location: 'infra/main.tf:12:3' });
  x.evidence[0]!.problems = [{ level: 'error', message: 'unreadable' }];
  const integrity: IntegrityResult = {
    digests: [], logFiles: [], problems: [],
    chain: { status: 'gaps', gaps: [{ from: '2026-08-01T00:00:00Z', to: '2026-08-02T00:00:00Z', kind: 'missing-digest', stream: 'org-trail/eu-central-1' }], breaks: [] },
    summary: { digests: { total: 91, valid: 90, 'invalid-signature': 0, 'unknown-key': 0, unsigned: 0, unreadable: 0, moved: 0 }, logFiles: { total: 2200, valid: 2200, modified: 0, missing: 0, moved: 0, unlisted: 0, unverified: 0 }, gaps: 1, breaks: 0 },
    verdict: 'unknown', verdictReasons: ['one digest is missing: 2026-08-01 is not vouched for'],
  };
  x.sections.integrity = integrity;
  x.sections['plugin'] = [{ date: '2026-05-12', environment: 'staging', scenario: 'IdP outage', participants: ['a', 'b'] }];
  x.riskAcceptances = [{ id: 'RA-1', target: x.checks[0]!.id, approver: 'CISO', ticket: 'RISK-12', justification: 'legacy account', expires: '2026-12-31', residualRisk: 'medium', state: 'active', appliesTo: [x.checks[0]!.id], location: 'process/risk.yaml:3:1' },
    { id: 'RA-2', target: 'WAF-SOV-070.R7', approver: 'CTO', justification: 'no staging account', expires: '2026-01-31', residualRisk: 'high', state: 'expired', appliesTo: [], location: 'process/risk.yaml:12:1' }];
  x.summary.accepted = 1;
  return x;
}

for (const base of ['activations', 'level5-aurora-sovereign']) describe(`hostile strings in every field of ${base}`, () => {
  let twins: ReturnType<typeof hostileTwins>;
  let hostileHtml: string, benignHtml: string;
  before(() => {
    twins = hostileTwins(enriched(reports[base]!));
    hostileHtml = renderHtml(twins.hostile);
    benignHtml = renderHtml(twins.benign);
  });

  it('walks many distinct strings, including the 1 MB one', () => {
    assert.ok(twins.values.length > 300, String(twins.values.length));
    assert.ok(twins.values.includes(MEGABYTE));
  });

  it('no hostile string adds, removes or reorders an element', () => {
    const h = skeleton(hostileHtml), b = skeleton(benignHtml);
    assert.ok(b.length > 500);
    const at = h.findIndex((t, i) => t !== b[i]);
    assert.equal(at, h.length === b.length ? -1 : Math.min(h.length, b.length), `first difference at ${at}: ${h.slice(at - 3, at + 3)} vs ${b.slice(at - 3, at + 3)}`);
  });

  it('no event-handler attribute, javascript: URL or raw markup from a payload survives', () => {
    assert.doesNotMatch(hostileHtml, /<[^>]*\son[a-z]+\s*=/i);
    assert.doesNotMatch(hostileHtml, /(href|src)\s*=\s*"?javascript:/i);
    assert.doesNotMatch(hostileHtml, /<(script|iframe|img|link|textarea|plaintext|animate)\b/i);
    assert.equal(count(hostileHtml, /<meta /g), count(benignHtml, /<meta /g));
    assert.equal(count(hostileHtml, /<\/style>/g), 1);
  });

  it('every payload that reaches the page is shown escaped, in full, the 1 MB string included', () => {
    const shown = twins.values.filter((v) => hostileHtml.includes(Handlebars.escapeExpression(asDisplayed(v))));
    assert.ok(shown.length > 500, `${shown.length} of ${twins.values.length} shown`);
    for (const p of payloads()) assert.ok(shown.some((v) => v.startsWith(p)), `payload never shown: ${p.slice(0, 60)}`);
    assert.ok(hostileHtml.includes(Handlebars.escapeExpression(MEGABYTE)), 'the 1 MB string in full');
    assert.ok(hostileHtml.includes('&lt;script&gt;window.__pwned'));
    assert.doesNotMatch(hostileHtml, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/, 'no lone surrogate: the page encodes as UTF-8');
    assert.doesNotMatch(hostileHtml, /\u0000/, 'NUL is shown as U+FFFD, not dropped by the browser');
    assert.equal(Buffer.from(hostileHtml, 'utf8').toString('utf8'), hostileHtml);
  });

  it('hostile anchors stay injective and attribute-safe', () => {
    const ids = idsOf(hostileHtml);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]+$/);
  });
});
