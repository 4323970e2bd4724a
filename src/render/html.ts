// report.html: a self-contained page (inline CSS and SVG, no scripts, strict CSP) rendered with Handlebars.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { Report } from '../model/report.js';
import { formatLocation, type SourceLocation } from '../model/location.js';
import { TEMPLATES_DIR } from '../paths.js';

const STATUS_LABEL: Record<string, string> = {
  pass: 'PASS', fail: 'FAIL', unknown: 'UNKNOWN', error: 'ERROR', manual: 'MANUAL', not_applicable: 'N/A',
  met: 'MET', not_met: 'NOT MET',
};

function createEngine(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper('statusLabel', (s: string) => STATUS_LABEL[s] ?? String(s).toUpperCase());
  hb.registerHelper('loc', (l: SourceLocation) => formatLocation(l));
  hb.registerHelper('short', (s: unknown, n: number) => (typeof s === 'string' && s.length > n ? s.slice(0, n) : s));
  hb.registerHelper('date', (s: unknown) => (typeof s === 'string' ? s.slice(0, 10) : ''));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('anchor', (s: string) => String(s).toLowerCase().replace(/[^a-z0-9]+/g, '-'));
  const partialsDir = join(TEMPLATES_DIR, 'partials');
  for (const f of readdirSync(partialsDir).filter((f) => f.endsWith('.hbs'))) {
    hb.registerPartial(f.replace(/\.hbs$/, ''), readFileSync(join(partialsDir, f), 'utf8'));
  }
  return hb;
}

/** Geometry of the maturity staircase: one step per level, coloured segments per criterion status. */
function staircase(report: Report) {
  const stepW = 128, stepH = 36, gap = 8, top = 16;
  const levels = report.maturity.levels;
  const height = top + levels.length * stepH + 40;
  return {
    width: levels.length * (stepW + gap) + 20,
    height,
    steps: levels.map((l, i) => {
      const h = (i + 1) * stepH;
      const x = 10 + i * (stepW + gap);
      const y = height - 30 - h;
      const n = l.criteria.length;
      const segW = stepW / n;
      return {
        level: l.level,
        name: l.name,
        status: l.status,
        achieved: l.level <= report.maturity.level,
        x, y, w: stepW, h,
        labelX: x + stepW / 2,
        labelY: y - 6,
        segments: l.criteria.map((c, j) => ({ x: x + j * segW, y: height - 30 - 10, w: segW - 2, status: c.status, title: `${c.id}: ${STATUS_LABEL[c.status]}` })),
        met: l.criteria.filter((c) => c.status === 'met').length,
        notMet: l.criteria.filter((c) => c.status === 'not_met').length,
        unknown: l.criteria.filter((c) => c.status === 'unknown').length,
      };
    }),
  };
}

let template: HandlebarsTemplateDelegate | undefined;

export function renderHtml(report: Report): string {
  template ??= createEngine().compile(readFileSync(join(TEMPLATES_DIR, 'report.hbs'), 'utf8'), { strict: false });
  const css = readFileSync(join(TEMPLATES_DIR, 'report.css'), 'utf8');
  return template({
    report,
    css,
    staircase: staircase(report),
    checkCounts: Object.entries(report.summary.checks).filter(([, n]) => n > 0).map(([status, n]) => ({ status, n })),
    signed: report.signature?.signed ?? false,
  });
}
