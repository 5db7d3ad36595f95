/**
 * The learning-rate range test (Smith 2015, "Cyclical Learning Rates for Training Neural
 * Networks", §3.3; fastai `lr_find`): train briefly while the learning rate grows, watch the
 * smoothed loss, stop once it diverges, and read suggestions off the curve.
 *
 * `createRangeTest` is the host-agnostic state machine both runtime adapters drive the same way:
 *
 *   const test = createRangeTest({ minValue: 1e-6, maxValue: 1, steps: 100 });
 *   for (let step = 0; ; step++) {
 *     const loss = trainOneBatch(test.learningRate(step));
 *     if (test.record(step, loss) === 'stop') break;
 *   }
 *   const { suggestions, stopReason } = test.result();
 */
import { ScheduleConfigError } from '../errors';
import type { Schedule } from '../schedule';
import { IssueCollector, isPlainObject, type OptionSpecs, validateOptions } from '../validate';
import { RangeTestConfigError, RangeTestStateError } from './errors';
import { type Suggestion, suggestMinimum, suggestSteepest, suggestValley } from './suggestions';
import { learningRateSweep } from './sweep';

/** Fewest sweep steps a range test accepts: fewer cannot show a curve to read. */
export const MIN_RANGE_TEST_STEPS = 10;

export interface RangeTestOptions {
  /** First learning rate of the sweep (> 0). Default 1e-7 (fastai). */
  readonly minValue?: number;
  /** Last learning rate of the sweep (> minValue). Default 10 (fastai). */
  readonly maxValue?: number;
  /** Sweep steps, one batch each (an integer >= 10). Default 100 (fastai). */
  readonly steps?: number;
  /** `'exponential'` (default) or `'linear'` growth from minValue to maxValue. */
  readonly mode?: 'exponential' | 'linear';
  /** β of the loss's exponential moving average, in [0, 1). Default 0.98 (fastai). */
  readonly smoothingFactor?: number;
  /** Stop once the smoothed loss exceeds this multiple of its lowest value (> 1). Default 4 (fastai). */
  readonly divergenceFactor?: number;
  /** Stop on divergence at all. Default true. */
  readonly stopOnDivergence?: boolean;
  /** Points left out at the start when suggesting (the curve is noisy there). Default ⌊steps / 10⌋ (fastai). */
  readonly skipStartSteps?: number;
  /** Points left out at the end when suggesting (the divergence). Default 5 (fastai). */
  readonly skipEndSteps?: number;
}

export type ResolvedRangeTestOptions = Required<RangeTestOptions>;

/**
 * Why the sweep ended: `completed` (every step ran), `diverged` (smoothed loss above
 * divergenceFactor × its best), `nonFiniteLoss` (a NaN or infinite loss; that point is not in
 * the series), `dataExhausted` (the adapter ran out of batches), `interrupted` (the caller stopped).
 */
export type RangeTestStopReason =
  | 'completed'
  | 'diverged'
  | 'nonFiniteLoss'
  | 'dataExhausted'
  | 'interrupted';

export interface RangeTestSuggestions {
  /** Where the smoothed loss falls fastest per unit of log learning rate (fastai `steep`). */
  readonly steepest: Suggestion;
  /** Middle of the longest decreasing stretch (fastai `valley`, its default). */
  readonly valley: Suggestion;
  /** One tenth of the learning rate at the lowest smoothed loss (fastai `minimum`). */
  readonly minimum: Suggestion;
}

export interface RangeTestResult {
  readonly stopReason: RangeTestStopReason;
  /** Learning rate of each recorded step (the sweep's float64 value). */
  readonly learningRates: readonly number[];
  /** Raw loss of each recorded step. */
  readonly losses: readonly number[];
  /** Bias-corrected moving average of the losses (what divergence and suggestions use). */
  readonly smoothedLosses: readonly number[];
  /** Lowest smoothed loss and its learning rate; undefined when nothing was recorded. */
  readonly best: { readonly value: number; readonly loss: number; readonly index: number } | undefined;
  /** Learning rate of the last step run (the one that stopped the sweep); undefined when none ran. */
  readonly stopValue: number | undefined;
  /**
   * Where the loss ran away (`stopReason === 'diverged'`, or `'nonFiniteLoss'` after at least one
   * finite loss): the learning rate of the first step of the unbroken run of raw losses above
   * divergenceFactor × best smoothed loss that ends at the stop (a non-finite loss counts as
   * above). The smoothed loss crosses that line later than the raw loss (its moving average lags
   * about β / (1 − β) steps), so this is closer to the edge of stability than `stopValue`.
   */
  readonly divergenceValue: number | undefined;
  /** Step and learning rate of a non-finite loss (`stopReason === 'nonFiniteLoss'`). */
  readonly nonFinite: { readonly step: number; readonly value: number; readonly loss: number } | undefined;
  /**
   * Suggestions, each with an index into `learningRates`; undefined when the series cannot
   * support one (see `unavailableReason`) — never made up.
   */
  readonly suggestions: RangeTestSuggestions | undefined;
  /** Why there are no suggestions, in words; undefined when there are. */
  readonly unavailableReason: string | undefined;
  /** The options in force, defaults applied. */
  readonly options: ResolvedRangeTestOptions;
}

export interface RangeTest {
  /** The sweep as a serializable schedule (`learningRateSweep`). */
  readonly schedule: Schedule;
  readonly options: ResolvedRangeTestOptions;
  /** The learning rate for sweep step `step` (an integer in [0, steps)). */
  learningRate(step: number): number;
  /** The next step `record` expects (= steps recorded so far, including a non-finite one). */
  readonly nextStep: number;
  /** Why the test stopped, or undefined while it runs. */
  readonly stopReason: RangeTestStopReason | undefined;
  /**
   * Records the loss of the update that used `learningRate(step)`; returns `'stop'` when the
   * sweep is over (completed, diverged, non-finite loss). Steps must come in order from 0.
   */
  record(step: number, loss: number): 'continue' | 'stop';
  /** Ends a running test early (an adapter out of data, a caller giving up). No-op once stopped. */
  stop(reason: 'dataExhausted' | 'interrupted'): void;
  /** The series, the stop reason and the suggestions. Throws `RangeTestStateError` while running. */
  result(): RangeTestResult;
}

/** The options of `createRangeTest` (and of the adapters' `findLearningRate`), one description each. */
export const rangeTestOptionSpecs = {
  minValue: {
    kind: 'number',
    min: 0,
    minExclusive: true,
    default: 1e-7,
    description: 'First learning rate of the sweep (fastai default).',
  },
  maxValue: {
    kind: 'number',
    min: 0,
    minExclusive: true,
    default: 10,
    description: 'Last learning rate of the sweep, above minValue (fastai default).',
  },
  steps: {
    kind: 'number',
    integer: true,
    min: MIN_RANGE_TEST_STEPS,
    default: 100,
    description: 'Sweep steps, one batch each (fastai default).',
  },
  mode: {
    kind: 'enum',
    values: ['exponential', 'linear'],
    default: 'exponential',
    description: 'Growth from minValue to maxValue.',
  },
  smoothingFactor: {
    kind: 'number',
    min: 0,
    max: 1,
    maxExclusive: true,
    default: 0.98,
    description: "β of the loss's exponential moving average (fastai default).",
  },
  divergenceFactor: {
    kind: 'number',
    min: 1,
    minExclusive: true,
    default: 4,
    description: 'Stop once the smoothed loss exceeds this multiple of its lowest value (fastai default).',
  },
  stopOnDivergence: { kind: 'boolean', default: true, description: 'Stop on divergence at all.' },
  skipStartSteps: {
    kind: 'number',
    integer: true,
    min: 0,
    optional: true,
    description: 'Points left out at the start when suggesting (noisy there); default ⌊steps / 10⌋ (fastai).',
  },
  skipEndSteps: {
    kind: 'number',
    integer: true,
    min: 0,
    default: 5,
    description: 'Points left out at the end when suggesting (the divergence; fastai default).',
  },
} as const satisfies OptionSpecs;

function resolveOptions(input: RangeTestOptions | undefined): ResolvedRangeTestOptions {
  const issues = new IssueCollector('createRangeTest');
  if (input !== undefined && !isPlainObject(input)) {
    issues.add('', 'an options object', input);
    throw new RangeTestConfigError('createRangeTest', issues.issues);
  }
  const { options } = validateOptions(rangeTestOptionSpecs, input ?? {}, issues, {
    nullIsAbsent: 'defaulted',
  });
  const {
    minValue,
    maxValue,
    steps,
    mode,
    smoothingFactor,
    divergenceFactor,
    stopOnDivergence,
    skipEndSteps,
  } = options;
  const valid = (field: string) => !issues.issues.some((issue) => issue.path === field);
  if (valid('minValue') && valid('maxValue') && !((maxValue as number) > (minValue as number)))
    issues.addRule(
      'maxValue',
      `maxValue must be greater than minValue (${minValue})`,
      `> ${minValue}`,
      maxValue,
    );
  const stepsOk = valid('steps');
  const skipStartSteps = options.skipStartSteps ?? (stepsOk ? Math.floor((steps as number) / 10) : 0);
  const skipStartOk = valid('skipStartSteps');
  const skipEndOk = valid('skipEndSteps');
  if (stepsOk && skipStartOk && skipEndOk) {
    const room = (steps as number) - 2;
    const skipped = (skipStartSteps as number) + (skipEndSteps as number);
    if (skipped > room)
      issues.addRule(
        'skipEndSteps',
        `skipStartSteps + skipEndSteps must leave at least 2 of the ${steps} steps to suggest from (at most ${room})`,
        `<= ${room}`,
        skipped,
      );
  }
  if (!issues.ok) throw new RangeTestConfigError('createRangeTest', issues.issues);
  return Object.freeze({
    minValue: minValue as number,
    maxValue: maxValue as number,
    steps: steps as number,
    mode: mode as 'exponential' | 'linear',
    smoothingFactor: smoothingFactor as number,
    divergenceFactor: divergenceFactor as number,
    stopOnDivergence: stopOnDivergence as boolean,
    skipStartSteps: skipStartSteps as number,
    skipEndSteps: skipEndSteps as number,
  });
}

/** The sweep of a range test: `learningRateSweep` over the resolved bounds. */
function sweepSchedule(resolved: ResolvedRangeTestOptions): Schedule {
  try {
    return learningRateSweep({
      minValue: resolved.minValue,
      maxValue: resolved.maxValue,
      steps: resolved.steps,
      mode: resolved.mode,
    });
  } catch (error) {
    // resolveOptions checked the same rules; a disagreement is reported, never hidden.
    if (ScheduleConfigError.isInstance(error))
      throw new RangeTestConfigError('createRangeTest', error.issues);
    throw error;
  }
}

/**
 * Suggestions from the smoothed series without its first `skipStartSteps` and last `skipEndSteps`
 * points, or why there are none.
 */
function suggestionsFor(
  learningRates: readonly number[],
  smoothed: readonly number[],
  resolved: ResolvedRangeTestOptions,
  stopReason: RangeTestStopReason,
  nonFinite: RangeTestResult['nonFinite'],
): Pick<RangeTestResult, 'suggestions' | 'unavailableReason'> {
  const n = smoothed.length;
  if (n === 0) {
    const why = nonFinite
      ? `the loss was ${String(nonFinite.loss)} at the first step (learning rate ${nonFinite.value}): the model cannot train as set up`
      : 'no step was recorded';
    return { suggestions: undefined, unavailableReason: why };
  }
  const from = resolved.skipStartSteps;
  const to = n - resolved.skipEndSteps;
  if (to - from < 2)
    return {
      suggestions: undefined,
      unavailableReason: `only ${n} of ${resolved.steps} steps ran before the sweep stopped (${stopReason}); leaving out the first ${from} and the last ${resolved.skipEndSteps} leaves ${Math.max(0, to - from)} point(s), fewer than 2`,
    };
  const windowRates = learningRates.slice(from, to);
  const windowLosses = smoothed.slice(from, to);
  const lowest = Math.min(...windowLosses);
  if (!(lowest < (windowLosses[0] as number)))
    return {
      suggestions: undefined,
      unavailableReason: `the smoothed loss never fell below its value at the start of the window (${windowLosses[0]} at learning rate ${windowRates[0]}): the model did not train between ${windowRates[0]} and ${windowRates[windowRates.length - 1]}`,
    };
  const shift = (suggestion: Suggestion): Suggestion =>
    Object.freeze({ ...suggestion, index: suggestion.index + from });
  return {
    suggestions: Object.freeze({
      steepest: shift(suggestSteepest(windowRates, windowLosses)),
      valley: shift(suggestValley(windowRates, windowLosses)),
      minimum: shift(suggestMinimum(windowRates, windowLosses)),
    }),
    unavailableReason: undefined,
  };
}

/**
 * The recorded points of a sweep: learning rates, raw losses, and the bias-corrected moving average
 * sₖ = mₖ / (1 − β^(k+1)) with mₖ = β mₖ₋₁ + (1 − β) ℓₖ, with the index of its minimum.
 */
class LossSeries {
  readonly learningRates: number[] = [];
  readonly losses: number[] = [];
  readonly smoothed: number[] = [];
  /** Index of the lowest smoothed loss; -1 before the first point. */
  bestIndex = -1;
  private average = 0;
  private decay = 1;

  constructor(private readonly beta: number) {}

  /** Appends a point; returns its smoothed loss. */
  add(learningRate: number, loss: number): number {
    this.average = this.beta * this.average + (1 - this.beta) * loss;
    this.decay *= this.beta;
    const current = this.average / (1 - this.decay);
    this.learningRates.push(learningRate);
    this.losses.push(loss);
    this.smoothed.push(current);
    if (this.bestIndex === -1 || current < this.best) this.bestIndex = this.smoothed.length - 1;
    return current;
  }

  /** The lowest smoothed loss so far. */
  get best(): number {
    return this.smoothed[this.bestIndex] as number;
  }
}

/** The frozen result of a stopped sweep, suggestions included. */
function finalResult(
  series: LossSeries,
  resolved: ResolvedRangeTestOptions,
  stopReason: RangeTestStopReason,
  divergenceValue: number | undefined,
  nonFinite: RangeTestResult['nonFinite'],
): RangeTestResult {
  const { learningRates, losses, smoothed, bestIndex } = series;
  const { suggestions, unavailableReason } = suggestionsFor(
    learningRates,
    smoothed,
    resolved,
    stopReason,
    nonFinite,
  );
  return Object.freeze({
    stopReason,
    learningRates: Object.freeze([...learningRates]),
    losses: Object.freeze([...losses]),
    smoothedLosses: Object.freeze([...smoothed]),
    best:
      bestIndex === -1
        ? undefined
        : Object.freeze({ value: learningRates[bestIndex] as number, loss: series.best, index: bestIndex }),
    stopValue: nonFinite ? nonFinite.value : learningRates[learningRates.length - 1],
    divergenceValue,
    nonFinite,
    suggestions,
    unavailableReason,
    options: resolved,
  });
}

/**
 * Creates a range test. Each `record(k, loss)` updates the smoothed loss
 * sₖ = mₖ / (1 − β^(k+1)) with mₖ = β mₖ₋₁ + (1 − β) ℓₖ (see `smoothLosses`) and its running
 * minimum b, and stops the sweep when
 *
 * - ℓₖ is NaN or ±Infinity (`nonFiniteLoss`; the point is not added to the series);
 * - `stopOnDivergence` and sₖ > divergenceFactor · b with b >= 0 (`diverged`, fastai's rule; a
 *   negative best loss disables it, as the ratio means nothing there);
 * - k = steps − 1 (`completed`).
 *
 * `result()` computes the suggestions on the smoothed series without its first `skipStartSteps`
 * and last `skipEndSteps` recorded points (fastai slices `[num_it // 10 : -5]`). It gives none,
 * with `unavailableReason`, when fewer than 2 points remain or when the smoothed loss never falls
 * below its first value in that window (the model did not train in this range).
 *
 * Throws `RangeTestConfigError` listing every invalid option.
 */
export function createRangeTest(options?: RangeTestOptions): RangeTest {
  const resolved = resolveOptions(options);
  const schedule = sweepSchedule(resolved);
  const series = new LossSeries(resolved.smoothingFactor);
  const { learningRates, losses } = series;
  let nextStep = 0;
  let stopReason: RangeTestStopReason | undefined;
  let divergenceValue: number | undefined;
  let nonFinite: RangeTestResult['nonFinite'];
  let cached: RangeTestResult | undefined;

  const learningRate = (step: number): number => {
    if (!(Number.isSafeInteger(step) && step >= 0 && step < resolved.steps))
      throw new RangeTestStateError(
        `rangeTest.learningRate: step must be an integer in [0, ${resolved.steps - 1}]; received ${String(step)}.`,
      );
    return schedule(step);
  };

  /**
   * The learning rate where the final unbroken run of raw losses above divergenceFactor × best
   * smoothed loss starts, walking back from index `last` (whose own value is `lastValue`).
   */
  const onsetValue = (last: number, lastValue: number): number => {
    const line = resolved.divergenceFactor * series.best;
    let onset = last;
    while (onset > 0 && (losses[onset - 1] as number) > line) onset--;
    return onset === last ? lastValue : (learningRates[onset] as number);
  };

  const record = (step: number, loss: number): 'continue' | 'stop' => {
    if (stopReason !== undefined)
      throw new RangeTestStateError(
        `rangeTest.record: the test already stopped (${stopReason}) after ${nextStep} steps; received step ${String(step)}.`,
      );
    if (step !== nextStep)
      throw new RangeTestStateError(
        `rangeTest.record: steps must be recorded in order; expected step ${nextStep}, received ${String(step)}.`,
      );
    if (typeof loss !== 'number')
      throw new RangeTestStateError(`rangeTest.record: loss must be a number; received ${typeof loss}.`);
    const value = schedule(step);
    nextStep = step + 1;
    if (!Number.isFinite(loss)) {
      nonFinite = Object.freeze({ step, value, loss });
      stopReason = 'nonFiniteLoss';
      // A loss that overflows after finite ones is the end of a divergence: its onset is found
      // as for the divergence stop, the non-finite step counting as above the line.
      if (series.bestIndex !== -1) divergenceValue = onsetValue(losses.length, value);
      return 'stop';
    }
    const current = series.add(value, loss);
    const best = series.best;
    if (resolved.stopOnDivergence && best >= 0 && current > resolved.divergenceFactor * best) {
      divergenceValue = onsetValue(losses.length - 1, value);
      stopReason = 'diverged';
      return 'stop';
    }
    if (step === resolved.steps - 1) {
      stopReason = 'completed';
      return 'stop';
    }
    return 'continue';
  };

  const stop = (reason: 'dataExhausted' | 'interrupted'): void => {
    if (reason !== 'dataExhausted' && reason !== 'interrupted')
      throw new RangeTestStateError(
        `rangeTest.stop: reason must be "dataExhausted" or "interrupted"; received ${JSON.stringify(reason)}.`,
      );
    if (stopReason === undefined) stopReason = reason;
  };

  const result = (): RangeTestResult => {
    if (stopReason === undefined)
      throw new RangeTestStateError(
        `rangeTest.result: the test is still running (${nextStep} of ${resolved.steps} steps recorded); record until it returns 'stop' or call stop().`,
      );
    if (cached) return cached;
    cached = finalResult(series, resolved, stopReason, divergenceValue, nonFinite);
    return cached;
  };

  return {
    schedule,
    options: resolved,
    learningRate,
    get nextStep() {
      return nextStep;
    },
    get stopReason() {
      return stopReason;
    },
    record,
    stop,
    result,
  };
}
