// Reads report.sections.activations (shaped by the CloudTrail collector) into what the PDF shows, tolerating missing fields.

export interface EventView {
  id: string;
  time: string;
  source: string;
  name: string;
  principal: string;
  sourceIp: string;
}

export interface ActivationView {
  id: string;
  principal: string;
  start?: string;
  end?: string;
  reason?: string;
  ticket?: string;
  review?: string;
  events: EventView[];
}

type Rec = Record<string, unknown>;

function str(o: Rec, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number') return String(v);
  }
  return undefined;
}

function reviewOf(o: Rec): string | undefined {
  const r = o.review;
  if (typeof r === 'string') return r;
  if (r && typeof r === 'object') {
    const rr = r as Rec;
    return [str(rr, 'id', 'ref'), str(rr, 'date', 'at', 'completedAt')].filter(Boolean).join(' ') || undefined;
  }
  return str(o, 'reviewId');
}

/** undefined when the report has no activations section (the collector did not run); [] when it ran and found none. */
export function readActivations(section: unknown): ActivationView[] | undefined {
  if (!Array.isArray(section)) return undefined;
  return section.map((raw, i) => {
    const o = (raw && typeof raw === 'object' ? raw : {}) as Rec;
    const events = (Array.isArray(o.events) ? o.events : []).map((e) => {
      const ev = (e && typeof e === 'object' ? e : {}) as Rec;
      return {
        id: str(ev, 'eventId', 'id') ?? '',
        time: str(ev, 'eventTime', 'time', 'at') ?? '',
        source: str(ev, 'eventSource', 'source') ?? '',
        name: str(ev, 'eventName', 'name') ?? '',
        principal: str(ev, 'principal', 'userArn', 'who') ?? '',
        sourceIp: str(ev, 'sourceIPAddress', 'sourceIp') ?? '',
      };
    });
    return {
      id: str(o, 'id', 'activationId') ?? `#${i + 1}`,
      principal: str(o, 'principal', 'who', 'actor', 'userArn') ?? '(unknown)',
      start: str(o, 'startedAt', 'start', 'at'),
      end: str(o, 'endedAt', 'end'),
      reason: str(o, 'reason', 'justification'),
      ticket: str(o, 'ticket', 'ticketId'),
      review: reviewOf(o),
      events,
    };
  });
}
