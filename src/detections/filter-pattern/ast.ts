// The parsed form of a CloudWatch Logs filter pattern: JSON expressions, term lists, a standalone regex.

export type FilterPattern =
  /** Empty pattern or `" "`: CloudWatch matches every event. */
  | { kind: 'all'; text: string }
  | { kind: 'json'; text: string; expr: JsonExpr }
  | { kind: 'terms'; text: string; terms: Term[] }
  | { kind: 'regex'; text: string; regex: RegExp };

export type JsonExpr =
  | { type: 'and'; left: JsonExpr; right: JsonExpr }
  | { type: 'or'; left: JsonExpr; right: JsonExpr }
  | Condition;

export interface Condition {
  type: 'condition';
  selector: Selector;
  test: Test;
  /** 0-based offset of the condition in the pattern text. */
  offset: number;
}

export interface Selector {
  /** As written, e.g. `$.userIdentity.type`. */
  text: string;
  steps: Step[];
}

export type Step =
  | { kind: 'key'; name: string }
  | { kind: 'index'; index: number }
  /** `.*`: every field of an object (or element of an array). */
  | { kind: 'anyChild' }
  /** `[*]`: every element of an array. */
  | { kind: 'anyIndex' };

export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=';

export type Test =
  | { op: 'isNull' }
  | { op: 'isTrue' }
  | { op: 'isFalse' }
  | { op: 'notExists' }
  | { op: ComparisonOperator; value: Value };

export type Value =
  /** A string, quoted or not; `*` at its start and/or end is a wildcard. */
  | { kind: 'string'; text: string; quoted: boolean; leadingWildcard: boolean; trailingWildcard: boolean; core: string }
  | { kind: 'number'; text: string; value: number }
  | { kind: 'regex'; source: string; regex: RegExp }
  /** A lone `*`: any value. */
  | { kind: 'any' };

export interface Term {
  text: string;
  /** `?term`: optional (OR); `-term`: must not appear. */
  mode: 'required' | 'optional' | 'excluded';
}
