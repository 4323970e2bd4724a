// Typed errors of the filter-pattern engine: a bad pattern (with its position) and bad detection data.

import { EvidencePackError } from '../../errors.js';

/**
 * A filter pattern CloudWatch Logs would reject (or one this engine cannot evaluate, `unsupported`).
 * `column` and `line` are 1-based and point into the pattern text; `offset` is 0-based.
 */
export class FilterPatternSyntaxError extends EvidencePackError {
  readonly column: number;
  readonly line: number;
  readonly offset: number;
  /** What the parser expected at that position, e.g. "a value after '='". */
  readonly expected: string;
  /** True for valid CloudWatch syntax this engine does not evaluate (space-delimited patterns). */
  readonly unsupported: boolean;
  constructor(text: string, offset: number, expected: string, found?: string, opts: { unsupported?: boolean; message?: string } = {}) {
    const { line, column } = lineColumn(text, offset);
    const where = line > 1 ? `line ${line}, column ${column}` : `column ${column}`;
    const message = opts.message ?? `filter pattern: expected ${expected} at ${where}${found === undefined ? '' : `, found ${found}`}`;
    super('INPUT_INVALID', message, {
      hint: 'See "Filter pattern syntax" in the CloudWatch Logs user guide; docs/filter-patterns.md lists what is covered.',
    });
    this.name = 'FilterPatternSyntaxError';
    this.column = column;
    this.line = line;
    this.offset = offset;
    this.expected = expected;
    this.unsupported = opts.unsupported ?? false;
  }
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** One problem in a detection file: the file, the JSON path inside it and (where known) the line. */
export interface DetectionDataProblem {
  file: string;
  /** JSON pointer, e.g. "/tiers/required/mustMatch/0/event". */
  path: string;
  line?: number;
  message: string;
}

/** Detection data (mappings/detections/*.yaml) that is unreadable or does not follow its schema. */
export class DetectionDataError extends EvidencePackError {
  readonly problems: DetectionDataProblem[];
  constructor(problems: DetectionDataProblem[]) {
    const lines = problems.map((p) => `${p.file}${p.line === undefined ? '' : `:${p.line}`} ${p.path || '/'}: ${p.message}`);
    super('INPUT_INVALID', `invalid detection data (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${lines.join('\n  ')}`, {
      details: lines,
      hint: 'Detection files must follow mappings/detections/detection.schema.json.',
    });
    this.name = 'DetectionDataError';
    this.problems = problems;
  }
}

/** A parametric detection (e.g. break-glass identities) assessed without the values it needs. */
export class DetectionParameterError extends EvidencePackError {
  readonly detection: string;
  readonly missing: string[];
  constructor(detection: string, missing: string[]) {
    super('CONFIG_INVALID', `detection "${detection}" needs the parameter${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`, {
      hint: 'Configure the break-glass identities (role ARN, user name) so their canonical events can be built.',
    });
    this.name = 'DetectionParameterError';
    this.detection = detection;
    this.missing = missing;
  }
}
