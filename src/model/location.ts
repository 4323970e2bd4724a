// Where a piece of evidence or a finding comes from: a file position, an API call or a log object.

export interface SourceLocation {
  /** Path relative to the config file's folder (or repository-relative for SARIF), or an s3:// URI. */
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** e.g. "cloudtrail:GetTrailStatus" for live evidence. */
  api?: string;
  account?: string;
  region?: string;
  /** Free-form pointer inside the source, e.g. a JSON path or a resource address. */
  pointer?: string;
}

export function formatLocation(loc: SourceLocation): string {
  if (loc.file) {
    let s = loc.file;
    if (loc.line !== undefined) s += `:${loc.line}`;
    if (loc.line !== undefined && loc.column !== undefined) s += `:${loc.column}`;
    if (loc.pointer) s += ` (${loc.pointer})`;
    return s;
  }
  const parts = [loc.api, loc.account, loc.region, loc.pointer].filter(Boolean);
  return parts.join(' ');
}
