/**
 * The arguments of the `SummaryWriter.add*` methods: their types and their checks. Each check adds
 * what is wrong to the call's `IssueCollector`; the method throws once, listing every issue.
 */

import type { HistogramFields } from './encode';
import { histogramFromValues } from './histogram';
import type { HParamValue } from './proto-types';
import {
  type IssueCollector,
  isNonEmptyString,
  isNonNegativeInteger,
  isPlainObject,
  isWellFormedText,
  WELL_FORMED_TEXT,
} from './validation';

/** Per-call options of the `add*` methods. */
export interface AddOptions {
  /** Event wall time in seconds since the epoch (default: the writer's clock). */
  readonly wallTime?: number;
}

/** A histogram already bucketed: `bucketLimits` are right edges, `buckets` the counts (same length). */
export type HistogramInput = ArrayLike<number> | HistogramFields;

export interface HParamsOptions {
  /** Write into the sub-run `<logdir>/<runName>` (as torch's `add_hparams` does) instead of this run. */
  readonly runName?: string;
  /** Step of the hparams and metric records (default 0). */
  readonly step?: number;
  /** Allowed values per hparam, shown as the discrete domain in the dashboard. */
  readonly hparamDomainDiscrete?: Readonly<Record<string, readonly HParamValue[]>>;
  readonly wallTime?: number;
}

export function checkTag(issues: IssueCollector, tag: unknown, path = 'tag'): void {
  if (!isNonEmptyString(tag)) issues.add(path, 'a non-empty string', tag);
  else issues.checkWellFormed(path, tag);
}

/** Adds an issue for a key of `record` (at `<path>[<key>]`) that a string in the event file cannot hold. */
function checkKeysWellFormed(issues: IssueCollector, path: string, record: object, what: string): void {
  for (const key of Object.keys(record)) {
    if (!isWellFormedText(key))
      issues.add(`${path}[${JSON.stringify(key)}]`, `keyed by ${what} ${WELL_FORMED_TEXT}`, key);
  }
}

export function checkStep(issues: IssueCollector, step: unknown, path = 'step'): void {
  if (!isNonNegativeInteger(step)) issues.add(path, 'a non-negative safe integer', step);
}

function isWallTime(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

export function checkAddOptions(issues: IssueCollector, options: unknown): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) {
    issues.add('options', 'an object like { wallTime } or undefined', options);
    return;
  }
  issues.checkOptional(
    'options.wallTime',
    (options as { wallTime?: unknown }).wallTime,
    isWallTime,
    'a finite number of seconds since the epoch (>= 0)',
  );
}

/**
 * The argument checks of `addScalar` but the tag's (a tag with a template is valid), as one
 * expression for the hot path; `checkStep`/`checkAddOptions` say what is wrong when it fails.
 */
export function isValidScalarCall(
  value: unknown,
  step: number,
  options: AddOptions | undefined,
  wallTime: number | undefined,
): boolean {
  return (
    typeof value === 'number' &&
    step >= 0 &&
    Number.isSafeInteger(step) &&
    (options === undefined || (typeof options === 'object' && options !== null)) &&
    (wallTime === undefined || (wallTime >= 0 && Number.isFinite(wallTime)))
  );
}

/** Checks every argument of `addScalar`. */
export function checkScalarCall(
  issues: IssueCollector,
  tag: unknown,
  value: unknown,
  step: unknown,
  options: unknown,
): void {
  checkTag(issues, tag);
  if (typeof value !== 'number') issues.add('value', 'a number', value);
  checkStep(issues, step);
  checkAddOptions(issues, options);
}

/** Checks the `values` of `addScalars`: a non-empty map of sub-run names (no path separators) to numbers. */
export function checkScalarsValues(issues: IssueCollector, values: unknown): void {
  if (!isPlainObject(values)) {
    issues.add('values', 'an object mapping sub-run names to numbers', values);
    return;
  }
  const names = Object.keys(values);
  if (names.length === 0) issues.add('values', 'at least one name', values);
  checkKeysWellFormed(issues, 'values', values, 'a name');
  for (const name of names) {
    if (name.length === 0 || /[/\\]/.test(name) || name === '.' || name === '..') {
      issues.add(`values[${JSON.stringify(name)}]`, 'keyed by a name without path separators', name);
    }
    if (typeof values[name] !== 'number')
      issues.add(`values[${JSON.stringify(name)}]`, 'a number', values[name]);
  }
}

function isHistogramFields(value: unknown): value is HistogramFields {
  return typeof value === 'object' && value !== null && 'bucketLimits' in value;
}

function isNumberArray(array: unknown): array is number[] {
  return Array.isArray(array) && array.every((x) => typeof x === 'number' && !Number.isNaN(x));
}

function checkHistogramFields(issues: IssueCollector, fields: Record<string, unknown>): void {
  for (const key of ['min', 'max', 'num', 'sum', 'sumSquares']) {
    if (typeof fields[key] !== 'number' || !Number.isFinite(fields[key]))
      issues.add(`values.${key}`, 'a finite number', fields[key]);
  }
  const limits = fields.bucketLimits;
  const buckets = fields.buckets;
  if (!isNumberArray(limits) || limits.length === 0) {
    issues.add('values.bucketLimits', 'a non-empty array of numbers (right bucket edges)', limits);
  } else if (limits.some((limit, i) => i > 0 && !(limit > limits[i - 1]!))) {
    issues.add('values.bucketLimits', 'strictly increasing', limits);
  }
  if (!isNumberArray(buckets) || buckets.some((count) => !(count >= 0 && Number.isFinite(count)))) {
    issues.add('values.buckets', 'an array of finite counts >= 0', buckets);
  } else if (Array.isArray(limits) && buckets.length !== limits.length) {
    issues.add('values.buckets', `one count per bucket limit (${limits.length})`, buckets.length);
  }
}

function checkHistogramValues(issues: IssueCollector, values: unknown): void {
  if (
    typeof values !== 'object' ||
    values === null ||
    typeof (values as ArrayLike<number>).length !== 'number' ||
    typeof values === 'string'
  ) {
    issues.add(
      'values',
      'an array of numbers or { min, max, num, sum, sumSquares, bucketLimits, buckets }',
      values,
    );
    return;
  }
  const array = values as ArrayLike<number>;
  if (array.length === 0) issues.add('values', 'a non-empty array (an empty histogram has no range)', values);
  for (let i = 0; i < array.length; i++) {
    const value = array[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      issues.add(`values[${i}]`, 'a finite number (histograms cannot bucket NaN or ±Infinity)', value);
      break;
    }
  }
}

/**
 * Checks the `values` of `addHistogram` (raw values, or precomputed fields) and, when the call
 * has no issue so far, returns the histogram to write (raw values bucketed with the default limits).
 */
export function histogramOfArgument(issues: IssueCollector, values: unknown): HistogramFields | undefined {
  if (isHistogramFields(values)) {
    checkHistogramFields(issues, values as unknown as Record<string, unknown>);
    return issues.issues.length === 0 ? values : undefined;
  }
  checkHistogramValues(issues, values);
  return issues.issues.length === 0 ? histogramFromValues(values as ArrayLike<number>) : undefined;
}

function isHParamValue(value: unknown): value is HParamValue {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function checkHparamsAndMetrics(issues: IssueCollector, hparams: unknown, metrics: unknown): void {
  if (!isPlainObject(hparams))
    issues.add('hparams', 'an object mapping names to numbers, strings or booleans', hparams);
  else {
    if (Object.keys(hparams).length === 0) issues.add('hparams', 'at least one hyperparameter', hparams);
    checkKeysWellFormed(issues, 'hparams', hparams, 'a name');
    for (const [name, value] of Object.entries(hparams)) {
      if (name.length === 0) issues.add('hparams[""]', 'keyed by a non-empty name', name);
      if (!isHParamValue(value))
        issues.add(`hparams.${name}`, 'a finite number, a string or a boolean', value);
      else issues.checkWellFormed(`hparams.${name}`, value);
    }
  }
  if (!isPlainObject(metrics)) issues.add('metrics', 'an object mapping metric tags to numbers', metrics);
  else {
    checkKeysWellFormed(issues, 'metrics', metrics, 'a tag');
    for (const [name, value] of Object.entries(metrics)) {
      if (name.length === 0) issues.add('metrics[""]', 'keyed by a non-empty tag', name);
      if (typeof value !== 'number') issues.add(`metrics.${name}`, 'a number', value);
    }
  }
}

function checkDomains(issues: IssueCollector, domains: unknown, hparams: unknown): void {
  if (!isPlainObject(domains)) {
    issues.add('options.hparamDomainDiscrete', 'an object of arrays', domains);
    return;
  }
  for (const [name, domain] of Object.entries(domains)) {
    const value = isPlainObject(hparams) ? hparams[name] : undefined;
    if (value === undefined)
      issues.add(`options.hparamDomainDiscrete.${name}`, 'the name of a given hparam', name);
    else if (
      !Array.isArray(domain) ||
      domain.length === 0 ||
      !domain.every((d) => typeof d === typeof value && isHParamValue(d))
    ) {
      issues.add(
        `options.hparamDomainDiscrete.${name}`,
        `a non-empty array of ${typeof value} values like the hparam`,
        domain,
      );
    } else {
      for (const [i, entry] of domain.entries())
        issues.checkWellFormed(`options.hparamDomainDiscrete.${name}[${i}]`, entry);
    }
  }
}

/**
 * Checks every argument of `addHparams`; returns its options (`{}` when not given) and the
 * discrete domains (`{}` when not given).
 */
export function checkHparamsCall(
  issues: IssueCollector,
  hparams: unknown,
  metrics: unknown,
  options: unknown,
): { options: HParamsOptions; domains: Readonly<Record<string, readonly HParamValue[]>> } {
  checkHparamsAndMetrics(issues, hparams, metrics);
  if (options !== undefined && !isPlainObject(options))
    issues.add('options', 'an options object or undefined', options);
  const o = (isPlainObject(options) ? options : {}) as HParamsOptions;
  if (
    o.runName !== undefined &&
    (typeof o.runName !== 'string' || o.runName.length === 0 || o.runName.split(/[/\\]/).includes('..'))
  ) {
    issues.add('options.runName', 'a non-empty relative directory name without ".."', o.runName);
  } else issues.checkWellFormed('options.runName', o.runName);
  if (o.step !== undefined) checkStep(issues, o.step, 'options.step');
  checkAddOptions(issues, { wallTime: o.wallTime });
  const domains = o.hparamDomainDiscrete ?? {};
  checkDomains(issues, domains, hparams);
  return { options: o, domains };
}
