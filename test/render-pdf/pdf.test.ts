// The PDF report as a reader sees it: pdftotext content, UNSIGNED on every page, PDF/A metadata, attachment, reproducibility.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { inflateSync } from 'node:zlib';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { renderPdf } from '../../src/render/pdf/index.js';
import { isEvidencePackError } from '../../src/errors.js';
import { sampleReport } from '../fixtures/report/events.js';

const HASH = '52c062458d64804f5c6f47befbc62713d17bd6b2f8516a53bbe90c0cecc98f36';

async function withPdf<T>(pdf: Buffer, fn: (path: string, dir: string) => T | Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'ep-pdf-'));
  try {
    const path = join(dir, 'report.pdf');
    await writeFile(path, pdf);
    return await fn(path, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('pdftotext shows the organisation, the level, every check id and the manifest hash', async () => {
  const report = sampleReport();
  const pdf = await renderPdf(report, { manifestSha256: HASH, signed: false });
  const text = await withPdf(pdf, (p) => run('pdftotext', ['-layout', p, '-']));
  assert.match(text, /Acme Bank AG/);
  assert.match(text, /Level 2 of 5/);
  assert.ok(text.includes(HASH), 'full manifest hash on the cover');
  // Long ids may wrap inside table cells; each must appear whole at least once (catalogue or check table).
  const flat = text.replace(/-\s*\n\s*/g, '-').replace(/\s+/g, ' ');
  for (const c of report.checks) assert.ok(text.includes(c.id) || flat.includes(c.id), `check id ${c.id} missing`);
  for (const r of report.requirements) assert.ok(text.includes(r.id), `requirement ${r.id} missing`);
  for (const f of report.frameworks) assert.ok(text.includes(f.name) || flat.includes(f.name), `framework ${f.name} missing`);
  for (const p of report.populations) assert.ok(flat.includes(p.sha256.slice(0, 16)), `population ${p.population} hash missing`);
  assert.match(text, /act-e200a7c1/, 'activations section');
  assert.match(text, /\(id only\)/, 'events without details are listed by id');
  for (const rc of report.relatedControls) assert.ok(text.includes(rc.id), `related control ${rc.id} missing`);
  for (const ra of report.riskAcceptances ?? []) assert.ok(text.includes(ra.id), `risk acceptance ${ra.id} missing`);
  assert.match(text, /openssl cms -verify/, 'verification instructions');
});

test('an unsigned report says UNSIGNED on every page; a signed one on none', async () => {
  for (const signed of [false, true]) {
    const pdf = await renderPdf(sampleReport(), { manifestSha256: HASH, signed });
    await withPdf(pdf, (p) => {
      const pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [p]))![1]);
      assert.ok(pages >= 8, `${pages} pages`);
      for (let i = 1; i <= pages; i++) {
        const t = run('pdftotext', ['-f', String(i), '-l', String(i), p, '-']);
        assert.equal(/UNSIGNED/.test(t), !signed, `page ${i} (signed=${signed})`);
        assert.match(t, new RegExp(`Page ${i} of ${pages}`));
      }
    });
  }
});

test('PDF/A-3b identification, sRGB output intent, embedded fonts and report.json attachment', async () => {
  const report = sampleReport();
  const json = Buffer.from(JSON.stringify(report, null, 2) + '\n');
  const pdf = await renderPdf(report, { manifestSha256: HASH, signed: false, reportJson: json });
  const raw = pdf.toString('latin1');
  assert.match(raw, /<pdfaid:part>3<\/pdfaid:part>/);
  assert.match(raw, /<pdfaid:conformance>B<\/pdfaid:conformance>/);
  assert.match(raw, /\/OutputIntents/);
  // The output intent embeds our vendored sRGB profile (assets/icc), not some other bytes.
  const icc = await readFile(new URL('../../assets/icc/sRGB.icc', import.meta.url));
  const streams = [...raw.matchAll(/stream\r?\n/g)].map((m) => {
    const start = m.index! + m[0].length;
    const body = pdf.subarray(start, raw.indexOf('endstream', start));
    try {
      return inflateSync(body);
    } catch {
      return body;
    }
  });
  assert.ok(streams.some((b) => b.subarray(0, icc.length).equals(icc)), 'vendored ICC profile embedded');
  assert.match(raw, /\/AFRelationship \/Data/);
  await withPdf(pdf, (p, dir) => {
    const fonts = run('pdffonts', [p]);
    const rows = fonts.split('\n').slice(2).filter(Boolean);
    assert.ok(rows.length >= 3);
    for (const row of rows) assert.match(row, /yes\s+yes\s+yes/, `font not embedded+subset+unicode: ${row}`);
    run('pdfdetach', ['-saveall', '-o', dir, p]);
    return readFile(join(dir, 'report.json')).then((b) => assert.ok(b.equals(json), 'attachment bytes are report.json'));
  });
});

test('the same report and SOURCE_DATE_EPOCH render identical bytes; another epoch changes the dates', async () => {
  const a = await renderPdf(sampleReport(), { manifestSha256: HASH, signed: true, sourceDateEpoch: 1_790_000_000 });
  const b = await renderPdf(sampleReport(), { manifestSha256: HASH, signed: true, sourceDateEpoch: 1_790_000_000 });
  const c = await renderPdf(sampleReport(), { manifestSha256: HASH, signed: true, sourceDateEpoch: 1_790_000_001 });
  assert.ok(a.equals(b));
  assert.ok(!a.equals(c));
  assert.match(a.toString('latin1'), /\/CreationDate \(D:20260921141320Z\)/);
});

test('a report without activations has no activations section; bad input is a typed error', async () => {
  const report = sampleReport();
  delete report.sections.activations;
  const text = await withPdf(await renderPdf(report, { manifestSha256: HASH, signed: false }), (p) => run('pdftotext', [p, '-']));
  assert.doesNotMatch(text, /Break-glass activations/);
  assert.doesNotMatch(text, /Appendix B/);
  await assert.rejects(renderPdf(report, { manifestSha256: 'nothex', signed: false }), (e) => isEvidencePackError(e) && /manifestSha256/.test(e.message));
  await assert.rejects(renderPdf({ ...report, generatedAt: 'yesterday' }, { manifestSha256: HASH, signed: false }), (e) => isEvidencePackError(e) && /generatedAt/.test(e.message));
});

test('the activation events appendix lists every event, extractable as text, with the header on every page', async () => {
  const { reportWithEvents } = await import('../fixtures/report/events.js');
  const report = reportWithEvents(600);
  const ids = (report.sections.activations as { eventIds: string[] }[]).flatMap((a) => a.eventIds);
  assert.equal(new Set(ids).size, 600);
  const pdf = await renderPdf(report, { manifestSha256: HASH, signed: false });
  await withPdf(pdf, (p) => {
    const text = run('pdftotext', ['-layout', p, '-']);
    for (const id of ids) assert.ok(text.includes(id), `event ${id} missing`);
    const pages = text.split('\f').filter((pg) => /\d{8}-4c1e-4d2b-9a57-/.test(pg));
    assert.ok(pages.length >= 6, `${pages.length} event pages`);
    for (const [i, pg] of pages.entries()) assert.match(pg, /Time \(UTC\)\s+Event\s+Principal\s+Source IP\s+Event id/, `header on event page ${i + 1}`);
  });
});

test('hostile and empty input renders: markup characters, emoji, a 600-character token, no checks, no evidence', async () => {
  const report = sampleReport();
  report.organisation = 'Müller & Söhne <Bank> "AG" 🏦';
  report.checks[0].reason = 'x'.repeat(600);
  const empty = { ...report, checks: [], requirements: [], frameworks: [], evidence: [], populations: [], problems: [], relatedControls: [], riskAcceptances: [] };
  for (const r of [report, empty]) {
    const pdf = await renderPdf(r, { manifestSha256: HASH, signed: false });
    await withPdf(pdf, (p) => {
      assert.match(run('pdftotext', [p, '-']), /Müller & Söhne <Bank> "AG"/);
      assert.match(run('pdfinfo', [p]), /Title:\s+WAF-SOV-070 audit pack: Müller and Söhne  Bank/);
    });
    const xmp = /<x:xmpmeta[\s\S]*<\/x:xmpmeta>/.exec(pdf.toString('utf8'))?.[0] ?? '';
    assert.equal(XMLValidator.validate(xmp), true, 'XMP metadata is well-formed XML');
    assert.match(xmp, /<dc:title>[\s\S]*Müller and Söhne  Bank[\s\S]*<\/dc:title>/);
  }
});

test('a check read on IaC and live state lists each source\'s verdict and which one decides', async () => {
  const report = sampleReport();
  const c = report.checks[0]!;
  Object.assign(c, {
    status: 'unknown',
    sources: [
      { source: 'iac', status: 'pass', reason: 'IaC: pass', decisive: false },
      { source: 'aws-live', account: '123456789012', regions: ['eu-central-1'], status: 'unknown', reason: 'live: denied', decisive: true },
    ],
  });
  const text = await withPdf(await renderPdf(report, { manifestSha256: HASH, signed: false }), (p) => run('pdftotext', ['-layout', p, '-']));
  // A cell wraps after a hyphen: join such lines.
  const flat = text.replace(/-\s*\n\s*/g, '-').replace(/\s+/g, ' ');
  assert.match(flat, /IaC: pass · live 123456789012 \(eu-central-1\): unknown, decides/);
});
