import { toSchedule } from '../config';
import { ScheduleConfigError } from '../errors';
import { evaluatorOf, isSchedule, type ScheduleLike } from '../schedule';
import { IssueCollector, isPlainObject, type OptionSpecs, validateOptions } from '../validate';

export interface SampleOptions {
  /** First step sampled. Default 0. */
  readonly start?: number;
  /** Last step that may be sampled (inclusive). */
  readonly end: number;
  /** Distance between samples, > 0 (fractional allowed). Default 1. */
  readonly stride?: number;
}

const sampleOptionSpecs = {
  start: { kind: 'number', min: 0, default: 0, description: 'First step sampled.' },
  end: { kind: 'number', min: 0, description: 'Last step that may be sampled (inclusive).' },
  stride: {
    kind: 'number',
    min: 0,
    minExclusive: true,
    default: 1,
    description: 'Distance between samples (fractional allowed).',
  },
} as const satisfies OptionSpecs;

/** Upper bound on the number of samples one call may produce (800 MB of float64). */
export const maxSampleLength = 100_000_000;

/**
 * The schedule's values at start, start + stride, start + 2·stride, … up to `end` inclusive, as a
 * `Float64Array` (for plots and export). Point i is computed as start + i · stride (no accumulated
 * rounding); the count is ⌊(end − start) / stride⌋ + 1, with a 1e-9 allowance so that a last point
 * that lands on `end` up to rounding is kept (it is then evaluated at exactly `end`).
 * Throws `ScheduleConfigError` listing every invalid option.
 *
 * @example sample(warmupCosineDecay({ peakValue: 1, totalSteps: 100 }), { end: 100, stride: 10 }).length === 11
 */
export function sample(schedule: ScheduleLike, options: SampleOptions): Float64Array {
  const issues = new IssueCollector('sample');
  if (!isPlainObject(options)) {
    issues.add('options', 'an options object { start?, end, stride? }', options);
    throw new ScheduleConfigError('sample', issues.issues);
  }
  const { start, end, stride } = validateOptions(
    sampleOptionSpecs,
    options as unknown as Record<string, unknown>,
    issues,
    { nullIsAbsent: 'defaulted', missing: 'invalid' },
  ).options as { start: number; end: number; stride: number };
  if (issues.ok && end < start)
    issues.addRule('end', `end must not be less than start (${start})`, `>= ${start}`, end);
  let count = 0;
  if (issues.ok) {
    count = Math.floor((end - start) / stride + 1e-9) + 1;
    if (count > maxSampleLength) {
      issues.addRule(
        'stride',
        `(end − start) / stride + 1 must not exceed ${maxSampleLength} samples`,
        `<= ${maxSampleLength} samples`,
        count,
      );
    }
  }
  if (
    !isSchedule(schedule) &&
    typeof schedule !== 'function' &&
    (typeof schedule !== 'object' || schedule === null)
  ) {
    issues.add('schedule', 'a schedule, a schedule config object or a function of the step', schedule);
  }
  if (!issues.ok) throw new ScheduleConfigError('sample', issues.issues);
  const evaluate = evaluatorOf(toSchedule(schedule));
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const step = start + i * stride;
    values[i] = evaluate(Math.min(step, end));
  }
  return values;
}
