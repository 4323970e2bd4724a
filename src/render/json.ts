// report.json: the Report as stable, pretty-printed JSON (key order as built, so output is deterministic).

import type { Report } from '../model/report.js';

export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
