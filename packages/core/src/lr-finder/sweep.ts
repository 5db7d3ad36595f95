import { defineFamily } from '../family';

export interface LearningRateSweepOptions {
  /** Learning rate at step 0. */
  readonly minValue: number;
  /** Learning rate at step steps − 1 and after (above minValue). */
  readonly maxValue: number;
  /** Number of sweep steps: step 0 uses minValue, step steps − 1 uses maxValue. */
  readonly steps: number;
  /**
   * exponential: equal ratios per step (what the range test wants); linear: equal increments. Default
   * `'exponential'`.
   */
  readonly mode?: 'exponential' | 'linear';
}

type Resolved = Required<LearningRateSweepOptions>;

/**
 * The learning-rate range test's sweep: from `minValue` at step 0 to `maxValue` at step
 * `steps − 1`, then held at `maxValue`.
 *
 * With a = minValue, b = maxValue, S = steps, t the step and p = min(t, S − 1) / (S − 1):
 *
 *   exponential:  lr = a · (b / a)^p        (each step multiplies by (b / a)^(1 / (S − 1)))
 *   linear:       lr = a + (b − a) · p
 *
 * with lr = a exactly at t = 0 and lr = b exactly once t >= S − 1.
 *
 * Worked example: `learningRateSweep({ minValue: 1e-4, maxValue: 1, steps: 5 })(2)` = 1e-4 · (1e4)^(2/4)
 * ≈ 0.01; with `mode: 'linear'` it is 1e-4 + (1 − 1e-4) · 0.5 = 0.50005.
 *
 * Elsewhere: fastai `LRFinder(start_lr, end_lr, num_it)` uses p = t / num_it (it never reaches
 * `end_lr`); torch-lr-finder's `ExponentialLR`/`LinearLR` use p = t / (num_iter − 1) as here.
 *
 * Throws `ScheduleConfigError` for a `minValue` <= 0, a `maxValue` not above `minValue`, or
 * `steps` that is not an integer >= 2.
 */
export const learningRateSweep = defineFamily<LearningRateSweepOptions, Resolved>({
  type: 'learningRateSweep',
  summary:
    'The range-test sweep: minValue · (maxValue / minValue)^(t / (steps − 1)) (or linear), held at maxValue after.',
  options: {
    minValue: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      description: 'Learning rate at step 0.',
    },
    maxValue: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      description: 'Learning rate at step steps − 1 and after (above minValue).',
    },
    steps: {
      kind: 'number',
      integer: true,
      min: 2,
      description: 'Number of sweep steps: step 0 uses minValue, step steps − 1 uses maxValue.',
    },
    mode: {
      kind: 'enum',
      values: ['exponential', 'linear'],
      default: 'exponential',
      description:
        'exponential: equal ratios per step (what the range test wants); linear: equal increments.',
    },
  },
  check: (o, issues) => {
    if (!(o.maxValue > o.minValue))
      issues.addRule(
        'maxValue',
        `maxValue must be greater than minValue (${o.minValue})`,
        `> ${o.minValue}`,
        o.maxValue,
      );
  },
  build: ({ minValue, maxValue, steps, mode }) => {
    const last = steps - 1;
    if (mode === 'linear') {
      const delta = maxValue - minValue;
      return (t) => (t >= last ? maxValue : minValue + delta * (t / last));
    }
    // Log-space interpolation: exp(ln a + (ln b − ln a) · p) equals a · (b / a)^p and stays finite
    // for any positive finite bounds (b / a, or a · exp(...) with a subnormal a, may overflow).
    const logMin = Math.log(minValue);
    const logSpan = Math.log(maxValue) - logMin;
    return (t) => {
      if (t >= last) return maxValue;
      if (t === 0) return minValue;
      return Math.exp(logMin + logSpan * (t / last));
    };
  },
  phases: ({ steps }) => [
    { name: 'sweep', start: 0, end: steps - 1 },
    { name: 'held', start: steps - 1, end: Number.POSITIVE_INFINITY },
  ],
});
