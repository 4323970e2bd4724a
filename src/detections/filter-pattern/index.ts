// Public API of the CloudWatch Logs filter-pattern engine and the canonical detection sets.

export type { FilterPattern, JsonExpr, Condition, Selector, Step, Test, Value, Term, ComparisonOperator } from './ast.js';
export { parseFilterPattern, MAX_REGEX_PER_PATTERN, MAX_WILDCARD_SELECTORS_PER_PATTERN } from './parser.js';
export { matchesEvent } from './evaluate.js';
export { FilterPatternSyntaxError, DetectionDataError, DetectionParameterError, type DetectionDataProblem } from './errors.js';
export { assessFilter, bestFilterFor, describeAssessment, type FilterAssessment, type FilterFinding, type FilterVerdict } from './detections.js';
export {
  loadDetections,
  defaultDetectionsDir,
  resolveParameters,
  TIER_NAMES,
  type Detection,
  type DetectionCase,
  type DetectionTier,
  type DetectionParameter,
  type TierName,
} from '../definitions.js';
export { needlesOf } from './needles.js';
