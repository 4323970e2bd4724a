// Drawing primitives for the PDF report: fonts, headings, paragraphs and tables whose header repeats on every page.

import PDFDocument from 'pdfkit';
import type { Status } from '../../model/status.js';

export type Doc = InstanceType<typeof PDFDocument>;

export const FONT = { regular: 'DejaVuSans', bold: 'DejaVuSans-Bold', mono: 'DejaVuSansMono' } as const;

/** Print-safe palette: every colour is paired with a text label, so greyscale print loses nothing. */
export const STATUS_COLOUR: Record<Status | 'met' | 'not_met', string> = {
  pass: '#1b7f3b',
  met: '#1b7f3b',
  fail: '#b42318',
  not_met: '#b42318',
  error: '#8a1c7c',
  unknown: '#6b6b6b',
  manual: '#1f5fa8',
  not_applicable: '#9a9a9a',
};

export const INK = '#1a1a1a';
export const MUTED = '#555555';
export const RULE = '#c8c8c8';
export const HEADER_FILL = '#e9edf2';

export function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function bottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Starts a new page unless `needed` points still fit on the current one. */
export function ensureSpace(doc: Doc, needed: number): void {
  if (doc.y + needed > bottom(doc)) doc.addPage();
}

export function heading(doc: Doc, text: string, level: 1 | 2 | 3 = 1, outline?: PDFKit.PDFOutline): PDFKit.PDFOutline | undefined {
  const size = level === 1 ? 17 : level === 2 ? 13 : 11;
  // Keep a heading with the start of what follows (a table header and a row or two).
  ensureSpace(doc, size * 2 + (level === 1 ? 140 : 70));
  if (level === 1 && doc.y > doc.page.margins.top + 1) doc.moveDown(0.6);
  doc.font(FONT.bold).fontSize(size).fillColor(INK).text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  if (level === 1) {
    const y = doc.y + 2;
    doc.moveTo(doc.page.margins.left, y).lineTo(doc.page.margins.left + contentWidth(doc), y).lineWidth(0.8).strokeColor(RULE).stroke();
  }
  doc.moveDown(level === 1 ? 0.6 : 0.35);
  return outline?.addItem(text);
}

export function paragraph(doc: Doc, text: string, opts: { size?: number; color?: string; font?: string } = {}): void {
  doc.font(opts.font ?? FONT.regular).fontSize(opts.size ?? 9.5).fillColor(opts.color ?? INK);
  doc.text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc), lineGap: 1.5 });
  doc.moveDown(0.4);
}

export function keyValues(doc: Doc, rows: [string, string, { mono?: boolean }?][], labelWidth = 130): void {
  const x = doc.page.margins.left;
  const w = contentWidth(doc) - labelWidth;
  for (const [label, value, o] of rows) {
    doc.font(o?.mono ? FONT.mono : FONT.regular).fontSize(o?.mono ? 8.5 : 10);
    const h = Math.max(doc.heightOfString(value, { width: w }), 12);
    ensureSpace(doc, h + 4);
    const y = doc.y;
    doc.font(FONT.bold).fontSize(10).fillColor(MUTED).text(label, x, y, { width: labelWidth - 8 });
    doc.font(o?.mono ? FONT.mono : FONT.regular).fontSize(o?.mono ? 8.5 : 10).fillColor(INK).text(value, x + labelWidth, y, { width: w });
    doc.y = y + h + 4;
  }
}

export interface Column {
  header: string;
  /** Relative width; columns share the content width in proportion. */
  weight: number;
  mono?: boolean;
  /** Colour the cell by its text when it is a status word. */
  status?: boolean;
  /** Overrides the table's font size (long ids stay on one line). */
  fontSize?: number;
}

export interface TableOptions {
  fontSize?: number;
  /** Single-line cells, cut with an ellipsis: fast and compact for long listings (events). */
  singleLine?: boolean;
  zebra?: boolean;
}

const PAD = 3;

/** Draws a table; when a row does not fit, starts a new page and repeats the header row there. */
export function table(doc: Doc, columns: Column[], rows: string[][], opts: TableOptions = {}): void {
  const size = opts.fontSize ?? 8;
  const x0 = doc.page.margins.left;
  const total = columns.reduce((s, c) => s + c.weight, 0);
  const widths = columns.map((c) => (c.weight / total) * contentWidth(doc));
  const xs = widths.map((_, i) => x0 + widths.slice(0, i).reduce((s, w) => s + w, 0));
  const lineHeight = size * 1.25;

  const drawHeader = () => {
    doc.font(FONT.bold).fontSize(size);
    const h = Math.max(...columns.map((c, i) => doc.heightOfString(c.header, { width: widths[i] - 2 * PAD }))) + 2 * PAD;
    ensureSpace(doc, h + lineHeight + 2 * PAD);
    const y = doc.y;
    doc.rect(x0, y, contentWidth(doc), h).fillColor(HEADER_FILL).fill();
    columns.forEach((c, i) => doc.fillColor(INK).text(c.header, xs[i] + PAD, y + PAD, { width: widths[i] - 2 * PAD }));
    doc.y = y + h;
  };

  const rowHeight = (row: string[]): number => {
    if (opts.singleLine) return lineHeight + 2 * PAD - 1;
    let h = 0;
    row.forEach((cell, i) => {
      doc.font(columns[i].mono ? FONT.mono : FONT.regular).fontSize(columns[i].fontSize ?? size);
      h = Math.max(h, doc.heightOfString(cell || ' ', { width: widths[i] - 2 * PAD }));
    });
    return h + 2 * PAD;
  };
  // Never leave a header alone at the foot of a page: it must fit with the first row.
  if (rows.length > 0 && doc.y + rowHeight(rows[0]) + lineHeight * 2 + 2 * PAD > bottom(doc)) doc.addPage();
  drawHeader();
  rows.forEach((row, r) => {
    const h = rowHeight(row);
    if (doc.y + h > bottom(doc)) {
      doc.addPage();
      drawHeader();
    }
    const y = doc.y;
    if (opts.zebra !== false && r % 2 === 1) doc.rect(x0, y, contentWidth(doc), h).fillColor('#f6f7f9').fill();
    row.forEach((cell, i) => {
      const c = columns[i];
      const colour = c.status ? (STATUS_COLOUR[cell as Status] ?? INK) : INK;
      doc.font(c.status ? FONT.bold : c.mono ? FONT.mono : FONT.regular).fontSize(c.fontSize ?? size).fillColor(colour);
      doc.text(c.status ? statusLabel(cell) : cell, xs[i] + PAD, y + PAD, {
        width: widths[i] - 2 * PAD,
        ...(opts.singleLine ? { lineBreak: false, ellipsis: true, height: lineHeight } : {}),
      });
    });
    doc.moveTo(x0, y + h).lineTo(x0 + contentWidth(doc), y + h).lineWidth(0.3).strokeColor(RULE).stroke();
    doc.y = y + h;
  });
  doc.x = x0;
  doc.moveDown(0.6);
}

/** Status words as printed: upper case, underscores as spaces ("NOT APPLICABLE"). */
export function statusLabel(s: string): string {
  return s.replace(/_/g, ' ').toUpperCase();
}

export interface MonoColumn {
  header: string;
  /** Width in characters; longer cells are cut with "…". */
  chars: number;
}

/**
 * A fixed-pitch listing for thousands of rows (the activation events), within the rendering budget for
 * 10,000 rows; the header repeats on every page.
 */
export function monoListing(doc: Doc, columns: MonoColumn[], rows: string[][], opts: { fontSize?: number; groupOf?: (row: string[]) => string } = {}): void {
  const size = opts.fontSize ?? 6;
  const lineHeight = size * 1.35;
  const x0 = doc.page.margins.left;
  const w = contentWidth(doc);
  const fit = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s.padEnd(n));
  const line = (cells: string[]) => cells.map((c, i) => fit(c, columns[i].chars)).join('  ').trimEnd();
  const header = line(columns.map((c) => c.header));
  let i = 0;
  while (i < rows.length) {
    if (doc.y + lineHeight * 3 > bottom(doc)) doc.addPage();
    let y = doc.y;
    doc.rect(x0, y, w, lineHeight + 2).fillColor(HEADER_FILL).fill();
    doc.font(FONT.mono).fontSize(size).fillColor(INK).text(header, x0 + PAD, y + 1.5, { lineBreak: false });
    y += lineHeight + 2;
    const capacity = Math.max(1, Math.floor((bottom(doc) - y) / lineHeight));
    const chunk = rows.slice(i, i + capacity);
    for (let r = 1; r < chunk.length; r += 2) doc.rect(x0, y + r * lineHeight - 1, w, lineHeight).fillColor('#f3f4f6').fill();
    monoLines(doc, chunk.map((row, r) => ({ text: line(row), x: x0 + PAD, y: y + r * lineHeight + 0.5 })), size);
    doc.y = y + chunk.length * lineHeight + 4;
    doc.x = x0;
    i += chunk.length;
  }
  doc.moveDown(0.6);
}

interface EmbeddedMonoFont {
  id: string;
  ascender: number;
  ref(): unknown;
  encode(text: string): [string[], unknown];
}

/**
 * Writes single-line monospaced text straight into the content stream, one glyph lookup per distinct
 * character. pdfkit's text() shapes every word with fontkit (OpenType lookups, a layout cache that only
 * grows); for fixed-pitch ASCII rows that work changes nothing and was most of the rendering time.
 * Glyphs still go through the font's encode(), so subsetting, widths and ToUnicode (text extraction) hold.
 */
function monoLines(doc: Doc, lines: { text: string; x: number; y: number }[], size: number): void {
  doc.font(FONT.mono).fontSize(size).fillColor(INK);
  const font = (doc as unknown as { _font: EmbeddedMonoFont })._font;
  const page = doc.page as unknown as { fonts: Record<string, unknown>; height: number };
  page.fonts[font.id] ??= font.ref();
  const cache = glyphCache(font);
  const dy = (font.ascender / 1000) * size;
  const num = (n: number) => String(Math.round(n * 100) / 100);
  const out: string[] = ['BT', `/${font.id} ${num(size)} Tf`];
  for (const l of lines) {
    let hex = '';
    for (const ch of l.text) {
      let g = cache.get(ch);
      if (g === undefined) {
        g = font.encode(ch)[0].join('');
        cache.set(ch, g);
      }
      hex += g;
    }
    out.push(`1 0 0 1 ${num(l.x)} ${num(page.height - l.y - dy)} Tm`, `<${hex}> Tj`);
  }
  out.push('ET');
  doc.save();
  doc.transform(1, 0, 0, -1, 0, page.height);
  doc.addContent(out.join('\n'));
  doc.restore();
}

const glyphCaches = new WeakMap<object, Map<string, string>>();
function glyphCache(font: object): Map<string, string> {
  let c = glyphCaches.get(font);
  if (!c) glyphCaches.set(font, (c = new Map()));
  return c;
}
