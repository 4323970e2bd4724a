// SARIF 2.1.0 log of the IaC findings, shaped for GitHub code scanning (stable rule ids, help, repo-relative URIs, fingerprints).

import { posix } from 'node:path';
import type { CheckMeta, CheckResult, Finding } from '../model/check.js';
import type { SourceLocation } from '../model/location.js';
import type { Severity, Status } from '../model/status.js';
import { sha256Hex } from '../hash.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** The uriBaseId of every file URI: the root of the repository that holds the configuration. */
export const SRCROOT = 'SRCROOT';

export interface SarifInput {
  /** Results of the IaC checks (others are ignored: they have no source file to point at). */
  results: CheckResult[];
  /** Metadata of the checks, for rule descriptions and help. */
  rules: CheckMeta[];
  /**
   * Where the locations' paths are relative to (the config folder), relative to the repository root, in POSIX
   * form; '' when they are the same. Locations become `<repoPrefix>/<file>` with uriBaseId SRCROOT.
   */
  repoPrefix: string;
  toolVersion: string;
  /** Link to the check catalogue, used as each rule's helpUri (`#<check id>` is appended). */
  helpBaseUri?: string;
  /**
   * File (relative like the locations) that results without a source location point at, e.g. "no trail is
   * defined": GitHub code scanning rejects a result without a location.
   */
  fallbackFile?: string;
}

/** GitHub's scale: >= 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.5' };
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** Statuses that are reported as results: a demonstrated failure, or a verdict that could not be reached. */
const REPORTED: ReadonlySet<Status> = new Set<Status>(['fail', 'error', 'unknown']);

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  kind: 'fail' | 'review';
  level: 'error' | 'warning' | 'note' | 'none';
  message: { text: string };
  locations?: unknown[];
  partialFingerprints: Record<string, string>;
  properties: { status: Status; subject?: string };
}

function uriOf(file: string, repoPrefix: string): { uri: string; uriBaseId?: string } {
  const joined = posix.normalize(posix.join(repoPrefix || '.', file.split('\\').join('/')));
  // A file outside the repository cannot be addressed from its root: keep the path as given, without a base.
  if (joined.startsWith('../') || joined === '..') return { uri: encodeURI(file.split('\\').join('/')) };
  return { uri: encodeURI(joined), uriBaseId: SRCROOT };
}

function physicalLocation(loc: SourceLocation, repoPrefix: string): unknown | undefined {
  if (!loc.file || loc.file.startsWith('s3://')) return undefined;
  const region: Record<string, number> = {};
  if (loc.line !== undefined && loc.line > 0) {
    region.startLine = loc.line;
    if (loc.column !== undefined && loc.column > 0) region.startColumn = loc.column;
    if (loc.endLine !== undefined && loc.endLine >= loc.line) {
      region.endLine = loc.endLine;
      // SARIF's endColumn is exclusive, as the collectors record it; it must not precede startColumn on one line.
      if (loc.endColumn !== undefined && loc.endColumn > 0 && (loc.endLine > loc.line || region.startColumn === undefined || loc.endColumn > region.startColumn)) region.endColumn = loc.endColumn;
    }
  }
  return {
    physicalLocation: { artifactLocation: uriOf(loc.file, repoPrefix), ...(Object.keys(region).length ? { region } : {}) },
    ...(loc.pointer ? { logicalLocations: [{ fullyQualifiedName: loc.pointer }] } : {}),
  };
}


function helpOf(meta: CheckMeta): { text: string; markdown: string } {
  return {
    text: `${meta.description}\n\nRemediation: ${meta.remediation}`,
    markdown: `**${meta.title}**\n\n${meta.description}\n\n**Remediation.** ${meta.remediation}\n\nCheck id: \`${meta.id}\` · severity ${meta.severity}`,
  };
}

/** The SARIF log as an object (for tests and for callers that post-process it). */
export function buildSarif(input: SarifInput): Record<string, unknown> {
  const metaById = new Map(input.rules.map((r) => [r.id, r]));
  const checks = [...input.results].filter((r) => metaById.has(r.id)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rules = checks.map((c) => {
    const meta = metaById.get(c.id)!;
    return {
      id: meta.id,
      name: meta.id.split(/[.-]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
      shortDescription: { text: meta.title },
      fullDescription: { text: meta.description },
      help: helpOf(meta),
      ...(input.helpBaseUri ? { helpUri: `${input.helpBaseUri}#${meta.id}` } : {}),
      defaultConfiguration: { level: LEVEL[meta.severity] },
      properties: { 'security-severity': SECURITY_SEVERITY[meta.severity], tags: ['security', 'iac', 'WAF-SOV-070'], precision: 'high', 'problem.severity': LEVEL[meta.severity] === 'note' ? 'recommendation' : LEVEL[meta.severity] },
    };
  });

  const results: SarifResult[] = [];
  checks.forEach((c, ruleIndex) => {
    if (!REPORTED.has(c.status)) return;
    const meta = metaById.get(c.id)!;
    // The findings that explain the verdict; a check without one (e.g. "no trail defined") is reported once.
    // A defect an earlier check already reports (reportedBy) is left to that check: one result per defect.
    const explaining: Finding[] = c.findings.filter((f) => REPORTED.has(f.status));
    const own = explaining.filter((f) => !f.reportedBy);
    if (explaining.length && !own.length) return;
    const items = own.length ? own : [{ status: c.status, message: c.reason, location: c.locations[0] }];
    for (const f of items) {
      const location = (f.location && physicalLocation(f.location, input.repoPrefix)) || (input.fallbackFile ? physicalLocation({ file: input.fallbackFile, line: 1 }, input.repoPrefix) : undefined);
      const uri = location ? (location as { physicalLocation: { artifactLocation: { uri: string } } }).physicalLocation.artifactLocation.uri : '';
      const failing = f.status === 'fail';
      results.push({
        ruleId: c.id,
        ruleIndex,
        kind: f.status === 'unknown' ? 'review' : 'fail',
        level: f.status === 'unknown' ? 'none' : failing ? LEVEL[meta.severity] : 'warning',
        message: { text: f.status === 'error' && !/^not evaluated/.test(f.message) ? `not evaluated: ${f.message}` : f.message },
        ...(location ? { locations: [location] } : {}),
        // Stable across line moves: rule, file, resource and message, never the line number.
        partialFingerprints: { 'evidencePackFinding/v1': sha256Hex([c.id, uri, f.subject ?? '', f.status, f.message].join('\u0000')) },
        properties: { status: f.status, ...(f.subject ? { subject: f.subject } : {}) },
      });
    }
  });
  const key = (r: SarifResult) => {
    const l = (r.locations?.[0] as { physicalLocation?: { artifactLocation: { uri: string }; region?: { startLine?: number; startColumn?: number } } } | undefined)?.physicalLocation;
    return [r.ruleId, l?.artifactLocation.uri ?? '', String(l?.region?.startLine ?? 0).padStart(9, '0'), String(l?.region?.startColumn ?? 0).padStart(9, '0'), r.message.text];
  };
  results.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return 0;
  });

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'evidence-pack',
            version: input.toolVersion,
            semanticVersion: input.toolVersion,
            rules,
          },
        },
        originalUriBaseIds: { [SRCROOT]: { description: { text: 'The root of the repository that holds the evidence-pack configuration (or the checked paths).' } } },
        automationDetails: { id: 'evidence-pack/iac/' },
        columnKind: 'unicodeCodePoints',
        results,
      },
    ],
  };
}

/** The SARIF log as UTF-8 JSON bytes (deterministic for the same input). */
export function renderSarif(input: SarifInput): Buffer {
  return Buffer.from(JSON.stringify(buildSarif(input), null, 2) + '\n', 'utf8');
}
