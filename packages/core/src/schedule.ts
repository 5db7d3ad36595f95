import { AnnealError, formatValue, InvalidStepError, ScheduleConfigError } from './errors';
import { IssueCollector } from './validate';

/** A JSON config of a built-in schedule: `{ "type": "warmupCosineDecay", ... }`. */
export interface ScheduleConfig {
  readonly type: string;
  readonly [option: string]: unknown;
}

/** A labelled span of steps, used to annotate plots (`warmup`, `hold`, `decay`, ...). `end` may be Infinity. */
export interface Phase {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/**
 * A learning-rate schedule: a pure function of the step. Step k (0-based) is the learning rate
 * used by the update that moves the optimizer's count from k to k+1. Fractional steps are allowed.
 * Throws `InvalidStepError` for a negative, NaN or infinite step.
 */
export interface Schedule {
  (step: number): number;
  /** The JSON config this schedule was built from, or `undefined` for a custom function. */
  readonly config: ScheduleConfig | undefined;
  /** Phases for plot annotations (may be empty). */
  readonly phases: readonly Phase[];
}

/** Anything accepted where a schedule is expected: a schedule, a native config, or a plain function of the step. */
export type ScheduleLike = Schedule | ScheduleConfig | ((step: number) => number);

const scheduleMarker = Symbol.for('anneal.schedule');
const evaluatorKey = Symbol.for('anneal.evaluate');
const depthKey = Symbol.for('anneal.depth');

/**
 * How deep schedules may nest (a composite holding a composite ...). Evaluation recurses once per
 * level, so an unbounded depth would end in a stack overflow; real configs nest a few levels.
 */
export const MAX_SCHEDULE_DEPTH = 64;

/** How many schedules deep `schedule` is: 1 for a leaf, 1 + its deepest child for a composite. */
export function depthOf(schedule: Schedule): number {
  return (schedule as unknown as Record<symbol, number | undefined>)[depthKey] ?? 1;
}

export function isSchedule(value: unknown): value is Schedule {
  return (
    typeof value === 'function' && (value as unknown as Record<symbol, unknown>)[scheduleMarker] === true
  );
}

function invalidStep(name: string, step: unknown): InvalidStepError {
  return new InvalidStepError(
    `${name}: step must be a finite number >= 0; received ${formatValue(step)}.`,
    step,
  );
}

/** @internal Wraps a bare evaluation function as a schedule: step validation, config, phases. */
export function makeSchedule(
  name: string,
  evaluate: (step: number) => number,
  config: ScheduleConfig | undefined,
  phases: readonly Phase[],
  depth = 1,
): Schedule {
  const schedule = (step: number): number => {
    // One comparison rejects NaN, negatives and +Infinity; non-numbers fail typeof.
    if (!(step >= 0 && step < Number.POSITIVE_INFINITY) || typeof step !== 'number')
      throw invalidStep(name, step);
    return evaluate(step);
  };
  Object.defineProperties(schedule, {
    config: { value: config, enumerable: true },
    phases: { value: Object.freeze([...phases]), enumerable: true },
    [scheduleMarker]: { value: true },
    [evaluatorKey]: { value: evaluate },
    [depthKey]: { value: depth },
    name: { value: name },
  });
  return schedule as Schedule;
}

/**
 * @internal The bare evaluation function behind a schedule (no step validation), for composites
 * that call a child on every step with a step they already know is finite and >= 0.
 */
export function evaluatorOf(schedule: Schedule): (step: number) => number {
  return (
    (schedule as unknown as Record<symbol, ((step: number) => number) | undefined>)[evaluatorKey] ?? schedule
  );
}

/**
 * Wraps a plain function of the step as a schedule. Its values are checked on every call
 * (finite and >= 0) because nothing validated them; `toConfig` on it throws `NotSerializableError`.
 */
export function custom(fn: (step: number) => number, name = fn.name || 'custom'): Schedule {
  if (typeof fn !== 'function') {
    const issues = new IssueCollector('custom');
    issues.add('fn', 'a function of the step', fn);
    throw new ScheduleConfigError('custom', issues.issues);
  }
  return makeSchedule(
    name,
    (step) => {
      const value = fn(step);
      if (!(typeof value === 'number' && value >= 0 && value < Number.POSITIVE_INFINITY)) {
        throw new AnnealError(
          `${name}: a custom schedule must return a finite number >= 0; received ${formatValue(value)} at step ${step}.`,
        );
      }
      return value;
    },
    undefined,
    [],
  );
}
