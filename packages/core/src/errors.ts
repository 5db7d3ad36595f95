/**
 * Typed errors. Each class carries a `Symbol.for` marker and a static `isInstance`, so
 * checks keep working when two copies of @anneal/core are loaded (instanceof would not).
 */

const annealErrorMarker = Symbol.for('anneal.error');

export class AnnealError extends Error {
  readonly [annealErrorMarker] = true;
  /** Stable machine-readable discriminator, e.g. `'ScheduleConfigError'`. */
  readonly code: string = 'AnnealError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AnnealError';
  }

  static isInstance(error: unknown): error is AnnealError {
    return (
      typeof error === 'object' &&
      error !== null &&
      (error as Record<symbol, unknown>)[annealErrorMarker] === true
    );
  }
}

/** One problem found while validating options or a config. */
export interface ValidationIssue {
  /** Dotted field path from the root of the options/config, e.g. `segments[1].schedule.peakValue`. */
  readonly path: string;
  /** What was expected, in words: `a finite number >= 0`. */
  readonly expected: string;
  /** The value received (as given). */
  readonly received: unknown;
  /** Full sentence: `warmupCosineDecay: totalSteps must be a positive integer; received -3.` */
  readonly message: string;
}

function codeOf(error: unknown): string | undefined {
  return AnnealError.isInstance(error) ? error.code : undefined;
}

/**
 * Base of the errors that list validation issues (`ScheduleConfigError` here; the range test's and
 * the adapters' config errors build on it): one issue is the whole message, several are listed
 * under `<builder>: <n> <noun>:`.
 */
export class IssueListError extends AnnealError {
  readonly builder: string;
  readonly issues: readonly ValidationIssue[];

  constructor(builder: string, issues: readonly ValidationIssue[], noun = 'invalid options') {
    const lines = issues.map((issue) => issue.message);
    super(lines.length === 1 ? lines[0]! : `${builder}: ${issues.length} ${noun}:\n- ${lines.join('\n- ')}`);
    this.name = 'IssueListError';
    this.builder = builder;
    this.issues = issues;
  }

  /** True for every issue-listing error of any @anneal package (each has `builder` and `issues`). */
  static override isInstance(error: unknown): error is IssueListError {
    return AnnealError.isInstance(error) && Array.isArray((error as { issues?: unknown }).issues);
  }
}

/** Thrown by every builder, `fromConfig` and `fromReference` when options are invalid. Lists every issue. */
export class ScheduleConfigError extends IssueListError {
  override readonly code = 'ScheduleConfigError';

  constructor(builder: string, issues: readonly ValidationIssue[]) {
    super(builder, issues);
    this.name = 'ScheduleConfigError';
  }

  static override isInstance(error: unknown): error is ScheduleConfigError {
    return codeOf(error) === 'ScheduleConfigError';
  }
}

/** Thrown when a schedule is called with a negative, NaN or infinite step (or a fractional step where not allowed). */
export class InvalidStepError extends AnnealError {
  override readonly code = 'InvalidStepError';
  readonly step: unknown;

  constructor(message: string, step: unknown) {
    super(message);
    this.name = 'InvalidStepError';
    this.step = step;
  }

  static override isInstance(error: unknown): error is InvalidStepError {
    return codeOf(error) === 'InvalidStepError';
  }
}

/** Thrown by `toConfig` on a schedule that has no JSON form (a custom function). */
export class NotSerializableError extends AnnealError {
  override readonly code = 'NotSerializableError';

  constructor(message: string) {
    super(message);
    this.name = 'NotSerializableError';
  }

  static override isInstance(error: unknown): error is NotSerializableError {
    return codeOf(error) === 'NotSerializableError';
  }
}

/** Formats a received value for messages: numbers as written, strings quoted, objects as short JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  try {
    const json = JSON.stringify(value);
    if (json === undefined) return String(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    // Cycles, BigInts inside, or nesting deep enough to overflow the stack (String() recurses too).
    try {
      return String(value);
    } catch {
      return Array.isArray(value) ? 'an array' : 'an object';
    }
  }
}
