// Vector charts for the PDF: the maturity staircase and the activation timeline over the assessment period.

import type { Maturity } from '../../model/report.js';
import { FONT, INK, MUTED, RULE, STATUS_COLOUR, contentWidth, statusLabel, type Doc } from './layout.js';
import type { ActivationView } from './activations.js';

/** Five steps, one per level, coloured by the level's status, with the achieved level marked. */
export function drawMaturityChart(doc: Doc, maturity: Maturity): void {
  const x0 = doc.page.margins.left;
  const w = contentWidth(doc);
  const y0 = doc.y + 10;
  const stepW = w / 5;
  const unit = 22;
  const base = y0 + unit * 5 + 10;
  for (let level = 1; level <= 5; level++) {
    const l = maturity.levels.find((v) => v.level === level);
    const status = l?.status ?? 'unknown';
    const x = x0 + (level - 1) * stepW;
    const h = unit * level;
    const achieved = level <= maturity.level;
    doc.rect(x + 4, base - h, stepW - 8, h).fillColor(achieved ? STATUS_COLOUR.met : '#ffffff').fill();
    doc.rect(x + 4, base - h, stepW - 8, h).lineWidth(1.2).strokeColor(STATUS_COLOUR[status]).stroke();
    if (!achieved) {
      // Hatching keeps "not achieved" distinguishable in greyscale print.
      doc.save();
      doc.rect(x + 4, base - h, stepW - 8, h).clip();
      for (let d = -h; d < stepW; d += 7) doc.moveTo(x + 4 + d, base).lineTo(x + 4 + d + h, base - h).lineWidth(0.3).strokeColor('#dddddd').stroke();
      doc.restore();
    }
    doc.font(FONT.bold).fontSize(11).fillColor(achieved ? '#ffffff' : INK).text(`L${level}`, x + 4, base - h + 5, { width: stepW - 8, align: 'center' });
    doc.font(FONT.regular).fontSize(7).fillColor(INK).text(l?.name ?? '', x + 4, base + 4, { width: stepW - 8, align: 'center' });
    doc.font(FONT.bold).fontSize(7).fillColor(STATUS_COLOUR[status]).text(statusLabel(status), x + 4, base + 28, { width: stepW - 8, align: 'center' });
  }
  doc.moveTo(x0, base).lineTo(x0 + w, base).lineWidth(0.8).strokeColor(INK).stroke();
  doc.x = x0;
  doc.y = base + 44;
  doc.font(FONT.regular).fontSize(9).fillColor(MUTED).text(
    `Achieved: level ${maturity.level} (${maturity.levelName || 'none'}). A level counts only when its criteria and those of every lower level are met.` +
      (maturity.nextStep ? ` Next: ${maturity.nextStep.criterion}: ${maturity.nextStep.action}` : ''),
    x0,
    doc.y,
    { width: w },
  );
  doc.moveDown(0.8);
}

/** One lane per activation on an axis spanning the period; bars from start to end, ticks at each month. */
export function drawTimeline(doc: Doc, period: { from: string; to: string }, acts: ActivationView[]): void {
  const x0 = doc.page.margins.left + 80;
  const w = contentWidth(doc) - 80;
  const from = Date.parse(`${period.from}T00:00:00Z`);
  const to = Date.parse(`${period.to}T00:00:00Z`) + 86_400_000;
  const span = Math.max(to - from, 1);
  const xAt = (t: number) => x0 + Math.min(Math.max((t - from) / span, 0), 1) * w;
  let y = doc.y + 6;
  const top = y;
  for (const a of acts) {
    const s = a.start ? Date.parse(a.start) : NaN;
    const e = a.end ? Date.parse(a.end) : NaN;
    doc.font(FONT.regular).fontSize(7.5).fillColor(INK).text(a.id, doc.page.margins.left, y + 1, { width: 76, lineBreak: false });
    doc.moveTo(x0, y + 6).lineTo(x0 + w, y + 6).lineWidth(0.3).strokeColor(RULE).stroke();
    if (!Number.isNaN(s)) {
      const xs = xAt(s);
      const xe = Number.isNaN(e) ? x0 + w : Math.max(xAt(e), xs + 3);
      doc.rect(xs, y + 2, xe - xs, 8).fillColor(Number.isNaN(e) ? STATUS_COLOUR.fail : '#1f3a5f').fill();
      const r = a.rotationAt ? Date.parse(a.rotationAt) : NaN;
      if (!Number.isNaN(r)) {
        // Rotation: a diamond; on a period axis minutes collapse, so it sits just right of the bar.
        const xr = Math.max(xAt(r), xe + 4);
        doc.polygon([xr, y + 1], [xr + 4, y + 6], [xr, y + 11], [xr - 4, y + 6]).fillColor(STATUS_COLOUR.pass).fill();
      } else {
        doc.font(FONT.bold).fontSize(7).fillColor(STATUS_COLOUR.fail).text('no rotation', xe + 4, y + 1.5, { lineBreak: false });
      }
    }
    y += 16;
  }
  doc.moveTo(x0, y).lineTo(x0 + w, y).lineWidth(0.8).strokeColor(INK).stroke();
  const d = new Date(from);
  d.setUTCDate(1);
  for (let m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)); m.getTime() <= to; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))) {
    if (m.getTime() < from) continue;
    const x = xAt(m.getTime());
    doc.moveTo(x, top).lineTo(x, y + 3).lineWidth(0.3).strokeColor(RULE).stroke();
    doc.font(FONT.regular).fontSize(7).fillColor(MUTED).text(m.toISOString().slice(0, 7), x - 20, y + 5, { width: 40, align: 'center', lineBreak: false });
  }
  const ly = y + 20;
  const lx = doc.page.margins.left;
  doc.rect(lx, ly + 1, 12, 6).fillColor('#1f3a5f').fill();
  doc.font(FONT.regular).fontSize(7).fillColor(INK).text('activation (start to end)', lx + 16, ly, { lineBreak: false });
  doc.polygon([lx + 130, ly], [lx + 134, ly + 4], [lx + 130, ly + 8], [lx + 126, ly + 4]).fillColor(STATUS_COLOUR.pass).fill();
  doc.fillColor(INK).text('credentials rotated', lx + 138, ly, { lineBreak: false });
  doc.font(FONT.bold).fillColor(STATUS_COLOUR.fail).text('no rotation', lx + 220, ly, { lineBreak: false });
  const after = lx + 220 + doc.widthOfString('no rotation') + 4;
  doc.font(FONT.regular).fillColor(INK).text('= no rotation event found', after, ly, { lineBreak: false });
  doc.x = doc.page.margins.left;
  doc.y = ly + 18;
}
