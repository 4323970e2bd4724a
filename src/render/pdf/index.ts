// The PDF/A-3b audit report, drawn only from the Report: cover, summary, maturity, requirements, frameworks, evidence, appendix.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { pdfkitAddPlaceholder } from '@signpdf/placeholder-pdfkit';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import type { Report } from '../../model/report.js';
import { STATUSES, type Status } from '../../model/status.js';
import { EvidencePackError, messageOf } from '../../errors.js';
import { FONT, INK, MUTED, RULE, STATUS_COLOUR, contentWidth, ensureSpace, heading, keyValues, monoListing, paragraph, statusLabel, table, type Doc } from './layout.js';
import { readActivations, type ActivationView } from './activations.js';
import { coverageView, humanDuration } from '../read.js';
import { drawMaturityChart, drawTimeline } from './charts.js';

export interface RenderPdfOptions {
  /** sha256 (hex) of manifest.json, printed on the cover and every page footer. */
  manifestSha256: string;
  /** When true, a PAdES signature placeholder is added for `signPdf`; when false every page says UNSIGNED. */
  signed: boolean;
  /** Seconds since the epoch for every date in the file (CreationDate, ModDate, attachments, signature M). */
  sourceDateEpoch?: number;
  /** Bytes of report.json as written in the pack, embedded as an attachment (default: the report serialised). */
  reportJson?: Buffer;
  /** Further files to embed next to report.json (e.g. the OSCAL assessment results), as PDF/A-3 associated files. */
  attachments?: { name: string; bytes: Buffer; type: string; description: string }[];
  /** Signer subject shown on the cover when signed. */
  signer?: string;
  /** The trusted time of the manifest signature (RFC 3161), shown on the cover; absent: baseline B-B, no trusted time. */
  timestamp?: { time: string; tsa: string };
  /** Bytes reserved for the CMS signature (DER); the default fits an RSA-4096 signature with a 3-certificate chain. */
  signatureLength?: number;
}

const FONT_DIR = fileURLToPath(new URL('../../../assets/fonts/', import.meta.url));
/** sRGB profile from Debian's icc-profiles-free (zlib licence), vendored so the output intent is reproducible and licensed. */
const ICC_PATH = fileURLToPath(new URL('../../../assets/icc/sRGB.icc', import.meta.url));
const PAGE_MARGIN = 50;

/** Renders the report; with `signed`, the result holds an empty signature field for `signPdf`. */
export async function renderPdf(report: Report, opts: RenderPdfOptions): Promise<Buffer> {
  if (!/^[0-9a-f]{64}$/.test(opts.manifestSha256)) {
    throw new EvidencePackError('USAGE', `renderPdf: manifestSha256 must be 64 hex digits, got "${opts.manifestSha256.slice(0, 80)}"`);
  }
  const date = opts.sourceDateEpoch !== undefined ? new Date(opts.sourceDateEpoch * 1000) : new Date(report.generatedAt);
  if (Number.isNaN(date.getTime())) {
    throw new EvidencePackError('INPUT_INVALID', `report.generatedAt: "${report.generatedAt}" is not an ISO date and no SOURCE_DATE_EPOCH was given`);
  }
  const reportJson = opts.reportJson ?? Buffer.from(JSON.stringify(report, null, 2) + '\n');
  const title = xmpSafe(`${report.control.id} audit pack: ${report.organisation}, ${report.period.label}`);

  const doc: Doc = new PDFDocument({
    size: 'A4',
    margins: { top: PAGE_MARGIN, bottom: PAGE_MARGIN + 14, left: PAGE_MARGIN, right: PAGE_MARGIN },
    bufferPages: true,
    autoFirstPage: false,
    pdfVersion: '1.7',
    subset: 'PDF/A-3b',
    lang: 'en',
    displayTitle: true,
    info: {
      Title: title,
      Author: xmpSafe(`${report.tool.name} ${report.tool.version}`),
      Subject: xmpSafe(`${report.control.title}: evidence and evaluation`),
      Creator: `${report.tool.name} ${report.tool.version}`,
      Producer: 'PDFKit',
      CreationDate: date,
      ModDate: date,
    },
  } as PDFKit.PDFDocumentOptions);
  // A document ID derived from the content instead of pdfkit's hash of the info dictionary alone.
  (doc as unknown as { _id: Buffer })._id = createHash('sha256').update(opts.manifestSha256).update(reportJson).digest().subarray(0, 16);
  doc.appendXML(`
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            <xmp:ModifyDate>${isoSeconds(date)}</xmp:ModifyDate>
            <xmp:MetadataDate>${isoSeconds(date)}</xmp:MetadataDate>
        </rdf:Description>
        `);
  useVendoredOutputIntent(doc);
  doc.registerFont(FONT.regular, FONT_DIR + 'DejaVuSans.ttf');
  doc.registerFont(FONT.bold, FONT_DIR + 'DejaVuSans-Bold.ttf');
  doc.registerFont(FONT.mono, FONT_DIR + 'DejaVuSansMono.ttf');

  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  try {
    doc.addPage();
    doc.font(FONT.regular);
    const activations = readActivations(report.sections.activations, report.sections.cloudtrail);
    drawCover(doc, report, opts, date);
    doc.addPage();
    drawSummary(doc, report, opts);
    drawMaturity(doc, report);
    drawRequirements(doc, report);
    drawChecks(doc, report);
    drawFrameworks(doc, report);
    drawRelatedControls(doc, report);
    if (activations) drawActivations(doc, report, activations);
    drawEvidence(doc, report);
    drawAppendix(doc, report, activations, opts);
    doc.file(reportJson, {
      name: 'report.json',
      type: 'application/json',
      relationship: 'Data',
      description: 'The Report this document was drawn from (machine-readable).',
      creationDate: date,
      modifiedDate: date,
    } as PDFKit.Mixins.PDFAttachmentOptions);
    for (const a of opts.attachments ?? []) {
      doc.file(a.bytes, { name: a.name, type: a.type, relationship: 'Data', description: a.description, creationDate: date, modifiedDate: date } as PDFKit.Mixins.PDFAttachmentOptions);
    }
    drawPageFurniture(doc, report, opts);
    if (opts.signed) addSignatureField(doc, report, opts, date);
    doc.end();
  } catch (e) {
    throw new EvidencePackError('OUTPUT', `could not render the PDF report (${messageOf(e)})`, { cause: e });
  }
  return done;
}

function shortPrincipal(arn: string): string {
  return arn.replace(/^arn:aws:(iam|sts)::\d{12}:/, '').replace(/^assumed-role\//, '');
}

/** ISO timestamps without zero milliseconds, so they fit narrow columns. */
function ts(iso: string): string {
  return iso.replace(/\.000Z$/, 'Z');
}

/**
 * PDF/A needs an output intent with an ICC profile; pdfkit embeds the one it bundles. We embed our vendored
 * profile instead (same structure as pdfkit's, GTS_PDFA1), so the pack's colour profile and its licence are ours.
 */
function useVendoredOutputIntent(doc: Doc): void {
  const icc = readFileSync(ICC_PATH);
  const d = doc as unknown as { ref: Doc['ref']; _root: { data: Record<string, unknown> }; _addColorOutputIntent?: () => void };
  d._addColorOutputIntent = () => {
    const profile = doc.ref({ Length: icc.length, N: 3 });
    profile.end(icc);
    const intent = doc.ref({
      Type: 'OutputIntent',
      S: 'GTS_PDFA1',
      Info: new String('sRGB IEC61966-2.1'),
      OutputConditionIdentifier: new String('sRGB IEC61966-2.1'),
      DestOutputProfile: profile,
    });
    (intent as unknown as { end(): void }).end();
    d._root.data.OutputIntents = [intent];
  };
}

function isoSeconds(d: Date): string {
  return d.toISOString().split('.')[0] + 'Z';
}

/** pdfkit copies Title/Author into XMP without escaping; keep them free of XML markup characters. */
function xmpSafe(s: string): string {
  return s.replace(/&/g, 'and').replace(/[<>"]/g, ' ');
}

function drawCover(doc: Doc, report: Report, opts: RenderPdfOptions, date: Date): void {
  const x = doc.page.margins.left;
  const w = contentWidth(doc);
  doc.rect(0, 0, doc.page.width, 8).fillColor('#1f3a5f').fill();
  doc.y = 110;
  doc.font(FONT.bold).fontSize(11).fillColor(MUTED).text(`${report.control.id} · ${report.control.title}`, x, doc.y, { width: w });
  doc.moveDown(0.6);
  doc.font(FONT.bold).fontSize(26).fillColor(INK).text('Break-glass audit pack', x, doc.y, { width: w });
  doc.moveDown(0.3);
  doc.font(FONT.regular).fontSize(18).fillColor(INK).text(report.organisation, x, doc.y, { width: w });
  doc.moveDown(1.5);
  const boxY = doc.y;
  doc.rect(x, boxY, w, 64).lineWidth(1).strokeColor(RULE).stroke();
  doc.font(FONT.regular).fontSize(10).fillColor(MUTED).text('Maturity level achieved', x + 14, boxY + 10);
  doc.font(FONT.bold).fontSize(20).fillColor(INK).text(`Level ${report.maturity.level} of 5`, x + 14, boxY + 26, { continued: false });
  doc.font(FONT.regular).fontSize(11).fillColor(INK).text(report.maturity.levelName || '(no level achieved)', x + 170, boxY + 32, { width: w - 184 });
  doc.y = boxY + 80;
  keyValues(doc, [
    ['Organisation', report.organisation],
    ['Assessment period', `${report.period.label} (${report.period.from} to ${report.period.to}, UTC)`],
    ['Generated at', report.generatedAt],
    ['Tool', `${report.tool.name} ${report.tool.version}`],
    ['Document date', date.toISOString()],
    ['Manifest sha256', opts.manifestSha256, { mono: true }],
    ['Signature', opts.signed ? `PAdES baseline ${opts.timestamp ? 'B-T' : 'B-B'} (ETSI.CAdES.detached), signed by ${opts.signer ?? 'the pack signer'}` : 'UNSIGNED: this pack carries no signature and cannot prove its integrity'],
    ...(opts.signed ? [['Trusted signing time', trustedTime(opts.timestamp)] as [string, string]] : []),
  ]);
  doc.moveDown(1);
  paragraph(
    doc,
    'The manifest sha256 identifies manifest.json, the signed list of every other file in this pack. ' +
      'Appendix C explains how to verify this document, the manifest and the attestation without evidence-pack.',
    { size: 9, color: MUTED },
  );
}

function trustedTime(t: RenderPdfOptions['timestamp']): string {
  if (!t) return 'none (baseline B-B): no RFC 3161 timestamp, so the signer certificate is judged when the pack is verified';
  return `${t.time} (RFC 3161 timestamp by ${t.tsa} over the signature of the manifest above; every signature of the pack carries its own)`;
}

function countLine(counts: Record<Status, number>): string {
  return STATUSES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${statusLabel(s).toLowerCase()}`).join(', ') || 'none';
}

function drawSummary(doc: Doc, report: Report, opts: RenderPdfOptions): void {
  const outline = doc.outline;
  heading(doc, '1  Executive summary', 1, outline);
  const reqTotal = report.requirements.length;
  const reqPass = report.requirements.filter((r) => r.status === 'pass').length;
  const failing = report.requirements.filter((r) => r.status === 'fail');
  const notShown = report.requirements.filter((r) => ['unknown', 'error', 'manual'].includes(r.status));
  const parts = [
    `${report.organisation} reaches maturity level ${report.maturity.level} of 5 ("${report.maturity.levelName || 'none'}") for ${report.control.id} ${report.control.title} over ${report.period.label}.`,
    `${reqPass} of ${reqTotal} requirements are demonstrated.`,
  ];
  if (failing.length) parts.push(`Failing: ${failing.map((r) => r.id).join(', ')}.`);
  if (notShown.length) parts.push(`Not demonstrated (evidence missing, unreadable or manual): ${notShown.map((r) => r.id).join(', ')}.`);
  if (report.maturity.nextStep) parts.push(`Next step to level ${report.maturity.nextStep.level}: ${report.maturity.nextStep.action}`);
  if (!opts.signed) parts.push('This pack is UNSIGNED: nothing in it proves that its content is unchanged.');
  paragraph(doc, parts.join(' '), { size: 10.5 });
  doc.moveDown(0.3);
  table(
    doc,
    [
      { header: 'Results', weight: 1.4 },
      ...STATUSES.map((s) => ({ header: s === 'not_applicable' ? 'N/A' : statusLabel(s), weight: 1 })),
      ...(report.summary.accepted !== undefined ? [{ header: 'RISK ACCEPTED', weight: 1.1 }] : []),
    ],
    [
      ['Requirements', ...STATUSES.map((s) => String(report.summary.requirements[s] ?? 0)), ...(report.summary.accepted !== undefined ? ['–'] : [])],
      ['Checks', ...STATUSES.map((s) => String(report.summary.checks[s] ?? 0)), ...(report.summary.accepted !== undefined ? [String(report.summary.accepted)] : [])],
    ],
    { fontSize: 8 },
  );
  const register = report.riskAcceptances ?? [];
  const accepted = report.checks.filter((c) => c.accepted);
  if (register.length) {
    heading(doc, 'Risk acceptances', 3);
    paragraph(doc, `An accepted check keeps its evaluated status; ${report.summary.accepted ?? accepted.length} check(s) are covered by an active acceptance. Expired acceptances no longer apply.`, { size: 9, color: MUTED });
    table(
      doc,
      [{ header: 'Acceptance', weight: 1.4 }, { header: 'Target / applies to', weight: 3.2, mono: true, fontSize: 6.4 }, { header: 'State', weight: 1 }, { header: 'Approver, expiry, residual risk', weight: 2.4 }, { header: 'Justification', weight: 2.6 }],
      register.map((r) => [
        `${r.id}${r.ticket && r.ticket !== r.id ? `\n${r.ticket}` : ''}`,
        [r.target, ...r.appliesTo.filter((a) => a !== r.target)].join('\n'),
        r.state === 'active' ? 'ACTIVE' : 'EXPIRED',
        `${r.approver}\nuntil ${r.expires}\nresidual risk ${r.residualRisk}`,
        `${r.justification}\n@ ${r.location}`,
      ]),
    );
  } else if (accepted.length) {
    heading(doc, 'Accepted risks', 3);
    table(
      doc,
      [{ header: 'Check', weight: 3.4, mono: true, fontSize: 6.4 }, { header: 'Status', weight: 1, status: true }, { header: 'Accepted by / until / ticket', weight: 2 }, { header: 'Justification', weight: 3 }],
      accepted.map((c) => [c.id, c.status, `${c.accepted!.by} / ${c.accepted!.until}${c.accepted!.ticket ? ` / ${c.accepted!.ticket}` : ''}`, c.accepted!.justification]),
    );
  }
  if (report.problems.length) {
    heading(doc, 'Collection problems', 3);
    paragraph(doc, 'Evidence that could not be collected or read. None of it satisfies any requirement.', { size: 9, color: MUTED });
    table(
      doc,
      [{ header: 'Source', weight: 2 }, { header: 'Level', weight: 1, status: true }, { header: 'Problem', weight: 4 }, { header: 'Location', weight: 3, mono: true }],
      report.problems.map((p) => [p.source, p.level === 'error' ? 'error' : 'unknown', p.message, p.location ?? '']),
    );
  }
}

function drawMaturity(doc: Doc, report: Report): void {
  heading(doc, '2  Maturity', 1, doc.outline);
  ensureSpace(doc, 200);
  drawMaturityChart(doc, report.maturity);
  table(
    doc,
    [{ header: 'Level', weight: 0.7 }, { header: 'Criterion', weight: 4 }, { header: 'Status', weight: 1.2, status: true }, { header: 'Why', weight: 3.5 }],
    report.maturity.levels.flatMap((l) => l.criteria.map((c) => [String(l.level), `${c.id}: ${c.text}`, c.status, c.reason])),
  );
}

function drawRequirements(doc: Doc, report: Report): void {
  heading(doc, `3  Requirements of ${report.control.id}`, 1, doc.outline);
  paragraph(doc, report.control.description, { size: 9, color: MUTED });
  const checks = new Map(report.checks.map((c) => [c.id, c]));
  for (const r of report.requirements) {
    ensureSpace(doc, 90);
    const y = doc.y;
    const x = doc.page.margins.left;
    doc.font(FONT.bold).fontSize(10.5).fillColor(INK).text(r.id, x, y, { width: contentWidth(doc) - 110 });
    doc.font(FONT.bold).fontSize(10).fillColor(STATUS_COLOUR[r.status]).text(statusLabel(r.status), x + contentWidth(doc) - 100, y, { width: 100, align: 'right' });
    doc.x = x;
    doc.moveDown(0.2);
    paragraph(doc, r.text, { size: 9.5 });
    paragraph(doc, `Reason: ${r.reason}`, { size: 9, color: MUTED });
    const rows = r.checks.map((id) => {
      const c = checks.get(id);
      return [id, c?.status ?? 'unknown', c ? c.reason : 'check not in this report', c ? c.evidenceRefs.join(', ') || '(none)' : ''];
    });
    if (rows.length) {
      table(doc, [{ header: 'Check', weight: 5, mono: true, fontSize: 6.2 }, { header: 'Status', weight: 1.1, status: true }, { header: 'Reason', weight: 3.1 }, { header: 'Evidence', weight: 1.7 }], rows, { fontSize: 7.5 });
    } else {
      paragraph(doc, 'No automated check: demonstrated by record evidence or manual review.', { size: 9, color: MUTED });
    }
  }
}

function drawChecks(doc: Doc, report: Report): void {
  heading(doc, '4  Check results', 1, doc.outline);
  table(
    doc,
    [{ header: 'Check id', weight: 5, mono: true, fontSize: 6.2 }, { header: 'Severity', weight: 1 }, { header: 'Status', weight: 1.1, status: true }, { header: 'Reason and location', weight: 4 }],
    report.checks.map((c) => {
      const where = c.locations.map((l) => [l.file, l.line, l.column].filter((v) => v !== undefined).join(':') || l.api || '').filter(Boolean);
      // A check read on IaC and on live AWS state: each source's verdict, the deciding ones marked.
      const sources = c.sources?.length ? `\n${c.sources.map((s) => `${s.source === 'iac' ? 'IaC' : `live ${s.account ?? 'AWS'}${s.regions?.length ? ` (${s.regions.join(', ')})` : ''}`}: ${s.status}${s.decisive ? ', decides' : ''}`).join(' · ')}` : '';
      return [c.id, c.severity, c.status, c.reason + (where.length ? `\n@ ${where.join(', ')}` : '') + sources + (c.accepted ? `\nRisk accepted until ${c.accepted.until} (${c.accepted.by})` : '')];
    }),
    { fontSize: 7.5 },
  );
}

function drawFrameworks(doc: Doc, report: Report): void {
  heading(doc, '5  Framework mapping', 1, doc.outline);
  paragraph(
    doc,
    'Each framework control shows the worst status of the requirements and checks behind it, and at best MANUAL while part of it must be verified by hand; the maturity criteria that support it are listed with their state. Every id is in the framework\'s catalogue, cited with its source.',
    { size: 9, color: MUTED },
  );
  for (const f of report.frameworks) {
    heading(doc, f.status === 'draft' ? `${f.name} (DRAFT)` : f.name, 2);
    const source = [f.source.document, f.source.eli ? `ELI ${f.source.eli}` : f.source.url].filter(Boolean).join(', ');
    paragraph(
      doc,
      `Source: ${source} (${f.source.publisher}). Version: ${f.version}.${f.statusNote ? ` ${f.statusNote}` : ''}${f.partial ? ` Partial catalogue: ${f.scope}` : ''}${f.titles === 'own-words' ? ' Titles are our summaries; the ids are the official ones.' : ''}`,
      { size: 8, color: MUTED },
    );
    for (const st of f.seed?.statements ?? []) {
      paragraph(
        doc,
        `${st.citation}${st.inCatalogue ? '' : ` — not a ${f.name} id`}${st.correspondsTo.length ? `; corresponds to ${st.correspondsTo.join(', ')}` : ''}.${st.note ? ` ${st.note}` : ''}`,
        { size: 8 },
      );
    }
    if (f.controls.length === 0) {
      paragraph(doc, f.status === 'draft' ? 'No control is evaluated: the scheme is a draft, so there is no adopted catalogue to check ids against.' : 'No control is mapped.', { size: 9, color: MUTED });
      continue;
    }
    table(
      doc,
      [{ header: 'Control', weight: 2.6 }, { header: 'Status', weight: 1.3, status: true }, { header: 'Supported by', weight: 2.8 }, { header: 'Checks', weight: 4.1, mono: true, fontSize: 6.2 }],
      f.controls.map((c) => [
        [`${c.id} ${c.title}`, c.idsByVersion ? `ids by version: ${c.idsByVersion}` : '', ...(c.seed ?? [])].filter(Boolean).join('\n'),
        c.status,
        [...c.requirements, ...c.criteria.map((m) => `${m.id} (${statusLabel(m.status)})`), c.manual ? `Verify manually: ${c.manual}` : '', c.note ?? ''].filter(Boolean).join('\n'),
        c.checks.join('\n') || 'no automated check: manual',
      ]),
      { fontSize: 7.5 },
    );
  }
}

function drawRelatedControls(doc: Doc, report: Report): void {
  const related = report.relatedControls ?? [];
  if (related.length === 0) return;
  heading(doc, 'Related controls', 2);
  paragraph(doc, 'Controls next to WAF-SOV-070 (AWS incident-response hardening, CIS root-usage monitoring). A control with no automated check is MANUAL, never a pass.', { size: 9, color: MUTED });
  table(
    doc,
    [{ header: 'Control', weight: 1.3 }, { header: 'Title', weight: 2.6 }, { header: 'Status', weight: 1.35, status: true }, { header: 'Reason', weight: 2.8 }, { header: 'Framework mappings', weight: 2.6 }],
    related.map((c) => [c.id, `${c.title}\n(${c.source}, ${c.severity})`, c.status, c.reason, Object.entries(c.frameworks ?? {}).map(([f, ids]) => `${f}: ${ids.join(', ')}`).join('\n')]),
    { fontSize: 7.5 },
  );
}

function drawActivations(doc: Doc, report: Report, acts: ActivationView[]): void {
  heading(doc, '6  Break-glass activations', 1, doc.outline);
  paragraph(doc, `${acts.length} activation(s) in ${report.period.label}, reconstructed from CloudTrail. Appendix B lists every event of each activation.`, { size: 9, color: MUTED });
  if (acts.length === 0) return;
  table(
    doc,
    [{ header: 'Activation', weight: 1.5, mono: true, fontSize: 6.4 }, { header: 'Principal', weight: 3 }, { header: 'Start / end (UTC), duration', weight: 2.3 }, { header: 'MFA, source IPs', weight: 1.8 }, { header: 'API calls', weight: 1.2 }, { header: 'Credential rotation', weight: 1.8 }],
    acts.map((a) => [
      a.id,
      `${a.principal}${a.principalKind ? `\n(${a.principalKind})` : ''}`,
      `${a.start ?? 'start unknown'}\n${a.end ?? '(open)'}${a.durationSeconds !== undefined ? `\n${humanDuration(a.durationSeconds)}` : ''}`,
      `MFA ${a.mfa}\n${a.sourceIps.join(', ')}`,
      a.apiCalls !== undefined ? `${a.apiCalls} (${a.writeCalls ?? '?'} write, ${a.failedCalls ?? '?'} failed)` : `${a.events.length} events`,
      a.rotation,
    ]),
    { fontSize: 7.5 },
  );
  heading(doc, 'Timeline', 2);
  ensureSpace(doc, 60 + acts.length * 16);
  drawTimeline(doc, report.period, acts);
}

function drawEvidence(doc: Doc, report: Report): void {
  heading(doc, `${report.sections.activations ? 7 : 6}  Evidence index`, 1, doc.outline);
  table(
    doc,
    [{ header: 'Evidence / file', weight: 3 }, { header: 'sha256', weight: 3.3, mono: true }, { header: 'Source', weight: 2.8 }, { header: 'Collected at', weight: 2.1 }],
    report.evidence.map((e) => [
      `${e.id}${e.packPath ? `\n${e.packPath}` : ''}${e.size !== undefined ? `\n${e.size} bytes` : ''}`,
      e.sha256 ?? 'NOT READ',
      e.source + (e.problems?.length ? `\n${e.problems.map((p) => `${p.level.toUpperCase()}: ${p.message}`).join('\n')}` : ''),
      ts(e.collectedAt),
    ]),
    { fontSize: 7 },
  );
  const coverage = coverageView(report);
  if (coverage.rows.length) {
    heading(doc, 'Coverage: what was read completely', 2);
    paragraph(doc, 'What each source was asked to read and what was read completely. A check passes only when every source it reads is complete; a skipped object or a rejected record makes it unknown or error.', { size: 9, color: MUTED });
    table(
      doc,
      [{ header: 'Source', weight: 2 }, { header: 'Asked', weight: 3, mono: true }, { header: 'Listed / read completely', weight: 1.8 }, { header: 'Skipped / rejected', weight: 1.8 }, { header: 'Complete', weight: 1.2, status: true }],
      coverage.rows.map((r) => [r.source, r.asked.join('\n'), `${r.listed} / ${r.read}`, `${r.skippedCount} / ${r.droppedCount}`, r.complete ? 'pass' : r.broken ? 'error' : 'unknown']),
      { fontSize: 7 },
    );
    if (coverage.gaps.length) {
      table(
        doc,
        [{ header: 'Skipped object / rejected record', weight: 3.6, mono: true }, { header: 'Source', weight: 1.6 }, { header: 'Why', weight: 1.6 }, { header: 'Detail', weight: 4 }],
        coverage.gaps.map((g) => [g.object, g.source, `${g.kind}: ${g.reason}${g.count ? ` (${g.count} records)` : ''}`, g.detail]),
        { fontSize: 7 },
      );
    }
  }
  heading(doc, 'Populations: how each list was produced', 2);
  paragraph(doc, 'For testing completeness and accuracy: the source system, selection, parameters, extraction time, record count and hash of every population in this pack.', { size: 9, color: MUTED });
  table(
    doc,
    [{ header: 'Population', weight: 1.3 }, { header: 'Source and selection', weight: 3 }, { header: 'Parameters', weight: 2.3 }, { header: 'Extracted / records', weight: 2.1 }, { header: 'sha256', weight: 2.4, mono: true }],
    report.populations.map((p) => [
      p.population,
      `${p.sourceSystem}\n${p.selection}`,
      Object.entries(p.parameters).map(([k, v]) => `${k}=${v}`).join('\n') || '(none)',
      `${ts(p.extractedAt)}\n${p.recordCount} records`,
      p.sha256,
    ]),
    { fontSize: 7 },
  );
}

function drawAppendix(doc: Doc, report: Report, acts: ActivationView[] | undefined, opts: RenderPdfOptions): void {
  doc.addPage();
  heading(doc, 'Appendix A  Check catalogue', 1, doc.outline);
  // A list, not a table: ids stay on one line, so they can be searched and copied whole.
  for (const c of [...report.checks].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    ensureSpace(doc, 48);
    const x = doc.page.margins.left;
    doc.font(FONT.mono).fontSize(8).fillColor(INK).text(c.id, x, doc.y, { width: contentWidth(doc) });
    doc.font(FONT.bold).fontSize(8.5).text(`${c.title}  ·  severity ${c.severity}  ·  result ${statusLabel(c.status)}`, x + 12, doc.y, { width: contentWidth(doc) - 12 });
    doc.font(FONT.regular).fontSize(8.5).fillColor(MUTED).text(`Remediation: ${c.remediation}`, x + 12, doc.y, { width: contentWidth(doc) - 12 });
    doc.moveDown(0.5);
  }
  if (acts) {
    doc.addPage();
    heading(doc, 'Appendix B  Activation events', 1, doc.outline);
    const total = acts.reduce((n, a) => n + a.events.length, 0);
    const bare = acts.reduce((n, a) => n + a.events.filter((e) => !e.detailed).length, 0);
    paragraph(
      doc,
      `${total} CloudTrail events, by activation and in time order. Principals are shown without the "arn:aws:iam|sts::<account>:" prefix.` +
        (bare ? ` ${bare} event(s) are listed by id only: the report keeps details of detected events (sign-ins, role assumptions, root, access-key, IAM and logging changes); look the others up in the CloudTrail log files of the evidence index.` : ''),
      { size: 9, color: MUTED },
    );
    for (const a of acts) {
      heading(doc, `${a.id}  ·  ${a.principal}  ·  ${a.events.length} events`, 3);
      if (a.events.length === 0) {
        paragraph(doc, 'No CloudTrail events are recorded for this activation.', { size: 9, color: STATUS_COLOUR.fail });
        continue;
      }
      monoListing(
        doc,
        [{ header: 'Time (UTC)', chars: 20 }, { header: 'Event', chars: 30 }, { header: 'Principal', chars: 27 }, { header: 'Source IP', chars: 15 }, { header: 'Event id', chars: 36 }],
        a.events.map((e) => [
          e.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z') || '–',
          e.detailed ? `${e.source.replace(/\.amazonaws\.com$/, '')}:${e.name}` : '(id only)',
          shortPrincipal(e.principal) || '–',
          e.sourceIp || '–',
          e.id,
        ]),
      );
    }
  }
  doc.addPage();
  heading(doc, 'Appendix C  Verifying this pack', 1, doc.outline);
  const steps: [string, string][] = [
    ['1. This PDF', `pdfsig report.pdf  (poppler-utils), or open it in Adobe Acrobat Reader. Expect "Signature is Valid" and "Total document signed". The signature is PAdES (ETSI.CAdES.detached), baseline ${opts.timestamp ? 'B-T: it carries an RFC 3161 signature timestamp, which openssl ts -verify checks (docs/verifying-a-pack.md)' : 'B-B'}.`],
    ['2. The manifest', 'openssl cms -verify -binary -inform DER -content manifest.json -in manifest.json.p7s -CAfile cert.pem -out /dev/null\nExpect "CMS Verification successful". Use the certificate you received from the signer out of band instead of the pack\'s cert.pem to anchor trust.'],
    ['3. Every file', `sha256sum every file listed in manifest.json and compare with its "sha256" field; no other files may be present except report.pdf, manifest.json.p7s${opts.timestamp ? ', attestation.dsse.json and attestation.dsse.json.tst (its timestamp)' : ' and attestation.dsse.json'}.`],
    ['4. The attestation', 'attestation.dsse.json is an in-toto Statement v1 in a DSSE envelope; its subjects cover every file, including report.pdf and manifest.json. Rebuild the PAE bytes "DSSEv1 <len(type)> <type> <len(payload)> <payload>" and check with\nopenssl pkeyutl -verify -rawin -digest sha256 -certin -inkey cert.pem -in pae.bin -sigfile sig.bin'],
    ['5. This document', `The cover shows the sha256 of manifest.json: ${opts.manifestSha256}. Compare it with sha256sum manifest.json.`],
    ['With the tool', 'evidence-pack verify <pack-dir> --trust signer-cert.pem  checks all of the above and names any file that is modified, missing or unexpected.'],
  ];
  for (const [label, text] of steps) {
    ensureSpace(doc, 50);
    doc.font(FONT.bold).fontSize(10).fillColor(INK).text(label, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
    doc.moveDown(0.15);
    paragraph(doc, text, { size: 8.5, font: /openssl|pdfsig|sha256sum|evidence-pack verify/.test(text) ? FONT.mono : FONT.regular });
  }
  paragraph(doc, `Full instructions: docs/verifying-a-pack.md of ${report.tool.name} ${report.tool.version}.`, { size: 9, color: MUTED });
}

/** Header, footer and page numbers on every page, drawn once all pages exist ("page N of M"). */
function drawPageFurniture(doc: Doc, report: Report, opts: RenderPdfOptions): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // drawing in the margin must not trigger a page break
    const x = doc.page.margins.left;
    const w = contentWidth(doc);
    const yFoot = doc.page.height - PAGE_MARGIN + 6;
    doc.moveTo(x, yFoot - 4).lineTo(x + w, yFoot - 4).lineWidth(0.4).strokeColor(RULE).stroke();
    doc.font(FONT.regular).fontSize(7).fillColor(MUTED);
    doc.text(`${report.organisation} · ${report.control.id} · ${report.period.label} · manifest sha256 ${opts.manifestSha256.slice(0, 16)}…`, x, yFoot, { width: w - 80, lineBreak: false });
    doc.text(`Page ${i + 1} of ${range.count}`, x + w - 80, yFoot, { width: 80, align: 'right', lineBreak: false });
    if (!opts.signed) {
      doc.font(FONT.bold).fontSize(9).fillColor(STATUS_COLOUR.fail);
      doc.text('UNSIGNED', x, 22, { width: w, align: 'right', lineBreak: false });
    }
    doc.page.margins.bottom = bottomMargin;
  }
}

function addSignatureField(doc: Doc, report: Report, opts: RenderPdfOptions, date: Date): void {
  doc.switchToPage(0);
  // PDF/A wants the Print flag on every annotation; the placeholder helper sets none, so add it here.
  const ref = doc.ref.bind(doc);
  (doc as unknown as { ref: (d: Record<string, unknown>) => unknown }).ref = (data: Record<string, unknown>) =>
    ref(data && data.Subtype === 'Widget' ? { ...data, F: 4 } : data);
  try {
    pdfkitAddPlaceholder({
      pdf: doc,
      pdfBuffer: Buffer.alloc(0),
      reason: `${report.control.id} audit pack for ${report.organisation}, ${report.period.label}`,
      contactInfo: '',
      name: opts.signer ?? '',
      location: '',
      signingTime: date,
      signatureLength: opts.signatureLength ?? 16384,
      subFilter: SUBFILTER_ETSI_CADES_DETACHED,
      widgetRect: [0, 0, 0, 0],
      appName: 'evidence-pack', // a PDF name object: no spaces
    } as Parameters<typeof pdfkitAddPlaceholder>[0]);
  } finally {
    (doc as unknown as { ref: unknown }).ref = ref;
  }
}
