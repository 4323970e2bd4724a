// Finds values that look like secrets in process files (never copying them) and builds the redacted copy kept in the pack.

import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export const REDACTED = '[REDACTED]';

/** Value shapes that are credentials wherever they appear. */
const VALUE_DETECTORS: { name: string; re: RegExp }[] = [
  { name: 'AWS access key id', re: /\b(AKIA|ASIA)[A-Z0-9]{16}\b/ },
  { name: 'private key block', re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { name: 'GitHub token', re: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { name: 'Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { name: 'JSON Web Token', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { name: 'AWS session token', re: /^(IQoJ|FwoG|FQoG)[A-Za-z0-9/+=]{40,}$/ },
];

/** 40 base64 characters with upper, lower and digits: the shape of an AWS secret access key (hex digests have no upper case). */
const AWS_SECRET = /^(?=.*[A-Z])(?=.*[a-z])(?=.*\d)[A-Za-z0-9/+]{40}$/;

/** Last word of a key name that says the value is a credential (`password`, `apiKey`, `client_secret` …). */
const SECRET_KEY_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'pin', 'otp', 'seed', 'credential', 'credentials']);
const SECRET_KEY_PAIRS = new Set(['api key', 'private key', 'access key', 'secret key', 'signing key', 'secret value', 'secret string', 'access token', 'auth token', 'session token', 'recovery codes', 'recovery code', 'mfa seed', 'totp seed']);

/** Values under a secret-named key that are references or placeholders, not secrets. */
const NOT_A_SECRET = /^(|[*x•]+|\[?redacted\]?|<[^>]*>|\$\{[^}]*\}|n\/a|none|null|true|false|vault:.*|arn:aws:secretsmanager:.*|arn:aws:ssm:.*|ssm:.*|op:\/\/.*|(stored|kept|held) (in|at) .*)$/i;

function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function keyLooksSecret(key: string): boolean {
  const w = words(key);
  if (w.length === 0) return false;
  const last = w[w.length - 1];
  return SECRET_KEY_WORDS.has(last) || (w.length >= 2 && SECRET_KEY_PAIRS.has(`${w[w.length - 2]} ${last}`));
}

/** The detector that matches `value` (under key `key`), or undefined. */
export function detectSecret(key: string | undefined, value: string): string | undefined {
  for (const d of VALUE_DETECTORS) if (d.re.test(value)) return d.name;
  if (AWS_SECRET.test(value)) return 'AWS secret access key shape (40 base64 characters)';
  if (key !== undefined && keyLooksSecret(key) && !NOT_A_SECRET.test(value.trim())) return `value under a key named "${key}"`;
  return undefined;
}

export interface SecretHit {
  field: string;
  detector: string;
  line: number;
  column: number;
  /** Character range of the value in the file's text. */
  range: [number, number];
  /** A value in free text or a CSV cell: replaced without quotes (YAML/JSON values get quoted). */
  plain?: boolean;
}

function fieldPath(path: (string | number)[]): string {
  return path.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '') || '(root)';
}

/** Walks a parsed YAML/JSON document and lists every scalar that looks like a secret. `offset` shifts ranges (front matter). */
export function findSecrets(doc: Document, lines: LineCounter, offset = 0, lineOffset = 0): SecretHit[] {
  const hits: SecretHit[] = [];
  const visit = (node: unknown, path: (string | number)[], key: string | undefined) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
        visit(pair.value, [...path, k ?? '?'], k);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...path, i], key));
    } else if (isScalar(node) && typeof node.value === 'string' && node.range) {
      const detector = detectSecret(key, node.value);
      if (detector) {
        const pos = lines.linePos(node.range[0]);
        hits.push({ field: fieldPath(path), detector, line: pos.line + lineOffset, column: pos.col, range: [node.range[0] + offset, node.range[1] + offset] });
      }
    }
  };
  visit(doc.contents as Node | null, [], undefined);
  return hits;
}

/** The text with every hit's range replaced by `[REDACTED]`, quoted inside YAML/JSON so the file stays valid. */
export function redact(text: string, hits: SecretHit[]): string {
  let out = text;
  for (const h of [...hits].sort((a, b) => b.range[0] - a.range[0])) {
    out = out.slice(0, h.range[0]) + (h.plain ? REDACTED : `"${REDACTED}"`) + out.slice(h.range[1]);
  }
  return out;
}

/**
 * Secrets in a file that could not be parsed, line by line: a `key: value`, `"key": "value"` or `key = value`
 * line by its key and value, any other token by its shape. Its pack copy must be redacted all the same.
 */
export function lineSecrets(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  const keyed = /^(\s*(?:-\s+)?["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*)(.*?)\s*,?\s*$/;
  let start = 0;
  text.split('\n').forEach((line, i) => {
    const m = keyed.exec(line);
    const value = m?.[3].replace(/^(["'])(.*)\1$/, '$2');
    const detector = m && value ? detectSecret(m[2], value) : undefined;
    if (m && value && detector) {
      const at = start + m[1].length + m[3].indexOf(value);
      hits.push({ field: m[2], detector, line: i + 1, column: at - start + 1, range: [at, at + value.length], plain: true });
    } else {
      const re = /\S{16,}/g;
      for (let t = re.exec(line); t; t = re.exec(line)) {
        const token = t[0].replace(/^[`"'(]+|[`"'),.;:]+$/g, '');
        const d = detectSecret(undefined, token);
        if (!d) continue;
        const at = start + t.index + t[0].indexOf(token);
        hits.push({ field: `(line ${i + 1})`, detector: d, line: i + 1, column: at - start + 1, range: [at, at + token.length], plain: true });
      }
    }
    start += line.length + 1;
  });
  return hits;
}
