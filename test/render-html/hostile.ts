// Hostile strings and a walker that puts them into every string field of a Report (values and section keys).

import type { Report } from '../../src/model/report.js';

/** Where a payload that executes or loads would report to; the browser test serves it on loopback. */
export const CANARY = { global: '__pwned', host: '127.0.0.1:9' };

export function payloads(canaryOrigin = `http://${CANARY.host}`): string[] {
  const g = CANARY.global;
  const brokenUtf8 = Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x90, 0x28, 0xbc, 0xed, 0xa0, 0x80]).toString('utf8');
  return [
    `<script>window.${g}=1;fetch('${canaryOrigin}/script')</script>`,
    `"><img src=x onerror="window.${g}=1;new Image().src='${canaryOrigin}/onerror'">`,
    `' onmouseover='window.${g}=1' autofocus onfocus='window.${g}=1`,
    `javascript:window.${g}=1`,
    `<a href="javascript:window.${g}=1">click</a>`,
    `<svg xmlns="http://www.w3.org/2000/svg" onload="window.${g}=1"><script>window.${g}=1</script></svg>`,
    `]]><svg><animate onbegin="window.${g}=1" attributeName=x dur=1s></svg>`,
    `<iframe srcdoc="<script>parent.${g}=1</script>"></iframe>`,
    `</style><style>body{background:url(${canaryOrigin}/css)}</style>`,
    `</title><meta http-equiv="refresh" content="0;url=${canaryOrigin}/refresh">`,
    `<link rel="stylesheet" href="${canaryOrigin}/link"><img src="${canaryOrigin}/img">`,
    `{{constructor.constructor 'return this'}} {{{report}}} \${1+1}`,
    `<!-- --><textarea></textarea><plaintext>`,
    `${brokenUtf8} \uD800 lone surrogate, NUL \u0000, RTL \u202Eevil\u202C, zero-width\u200B`,
  ];
}

/** The 1 MB string: large enough to find quadratic escaping or truncation. */
export const MEGABYTE = `<b>${'A'.repeat(1024 * 1024)}</b>`;

export interface Twins {
  hostile: Report;
  benign: Report;
  /** Hostile value per distinct original string, in walk order. */
  values: string[];
}

/**
 * Two copies of the report with every string replaced, keeping which strings were equal: distinct
 * originals get distinct values, so both copies take the same branches in the template (review
 * linking by event id, status comparisons) and their element skeletons must be identical.
 */
export function hostileTwins(report: Report, list = payloads()): Twins {
  const ids = new Map<string, number>();
  const idOf = (s: string) => {
    if (!ids.has(s)) ids.set(s, ids.size);
    return ids.get(s)!;
  };
  const hostileOf = (i: number) => (i === 7 ? MEGABYTE : `${list[i % list.length]} #${i}`);
  const walk = (v: unknown, make: (i: number) => string, renameKeys: boolean): unknown => {
    if (typeof v === 'string') return make(idOf(v));
    if (Array.isArray(v)) return v.map((x) => walk(x, make, renameKeys));
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [renameKeys ? make(idOf(`key:${k}`)) : k, walk(x, make, renameKeys)]));
    }
    return v;
  };
  const build = (make: (i: number) => string): Report => {
    const r = walk({ ...report, sections: undefined }, make, false) as Report;
    // Section names and their inner keys reach the page through the generic section table.
    const sections: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(report.sections)) {
      // Sections with their own partial are read by field name; the rest go through the generic table, keys included.
      const known = ['runbook', 'activations', 'cloudtrail', 'integrity', 'reviews', 'drills', 'secretStore', 'tickets', 'approvals', 'riskAcceptances'].includes(name);
      sections[known ? name : make(idOf(`section:${name}`))] = walk(value, make, !known);
    }
    r.sections = sections as Report['sections'];
    return r;
  };
  const hostile = build(hostileOf);
  const benign = build((i) => `benign${i}`);
  return { hostile, benign, values: [...ids.values()].map(hostileOf) };
}

/** The sequence of element names in a page: what an injection would change. */
export function skeleton(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[0]!).filter((t) => t !== '<wbr');
}

/** How report.html shows a value as text: lone surrogates and control characters other than tab and newlines become U+FFFD. */
export function asDisplayed(v: string): string {
  return v.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD');
}
