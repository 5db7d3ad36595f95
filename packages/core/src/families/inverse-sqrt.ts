import { defineFamily } from '../family';
import { interpolationSpan } from './shared';

export interface InverseSqrtOptions {
  /** Learning rate at the end of the warm-up (step warmupSteps). */
  readonly peakValue: number;
  /** Length of the linear warm-up from initialValue to peakValue. Default 0. */
  readonly warmupSteps?: number;
  /** Time scale τ of the decay (absent: warmupSteps, which must then be > 0). */
  readonly timescaleSteps?: number;
  /** Learning rate at step 0 (start of the warm-up). Default 0. */
  readonly initialValue?: number;
}

type Resolved = Required<Omit<InverseSqrtOptions, 'timescaleSteps'>> & { readonly timescaleSteps?: number };

/**
 * Linear warm-up, then decay proportional to 1/√step, as transformers `get_inverse_sqrt_schedule`
 * (and the "rsqrt" schedule of T5 and the original Transformer).
 *
 * With a = initialValue, P = peakValue, w = warmupSteps, τ = timescaleSteps (default w) and t the step:
 *
 * - t < w:    lr = a + (P − a) · t / w
 * - t >= w:   lr = P · √(τ / (t − w + τ))
 *
 * The peak is reached exactly at t = w. With τ = w the decay is P · √(w / t): the rsqrt rule.
 * Setting `initialValue` = `peakValue` gives "constant for w steps, then 1/√t".
 *
 * Worked example: `inverseSqrt({ peakValue: 0.1, warmupSteps: 10 })(40)` = 0.1 · √(10/40) = 0.05.
 *
 * Elsewhere: transformers `get_inverse_sqrt_schedule(num_warmup_steps, timescale)` (a = 0, peak =
 * the optimizer's lr); optax has no built-in (compose `join`); PyTorch via `LambdaLR`.
 *
 * Throws `ScheduleConfigError` for negative or non-finite values or durations, and when
 * `timescaleSteps` is missing while `warmupSteps` is 0.
 */
export const inverseSqrt = defineFamily<InverseSqrtOptions, Resolved>({
  type: 'inverseSqrt',
  summary: 'Linear warm-up to peakValue, then peakValue · √(τ / (t − warmupSteps + τ)).',
  options: {
    peakValue: {
      kind: 'number',
      min: 0,
      description: 'Learning rate at the end of the warm-up (step warmupSteps).',
    },
    warmupSteps: {
      kind: 'number',
      min: 0,
      default: 0,
      description: 'Length of the linear warm-up from initialValue to peakValue.',
    },
    timescaleSteps: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      optional: true,
      description: 'Time scale τ of the decay (absent: warmupSteps, which must then be > 0).',
    },
    initialValue: {
      kind: 'number',
      min: 0,
      default: 0,
      description: 'Learning rate at step 0 (start of the warm-up).',
    },
  },
  check: (o, issues) => {
    if (o.timescaleSteps === undefined && o.warmupSteps === 0) {
      issues.addRule(
        'timescaleSteps',
        'timescaleSteps is required when warmupSteps is 0 (it defaults to warmupSteps)',
        'a finite number > 0',
        undefined,
      );
    }
  },
  build: ({ peakValue, warmupSteps, timescaleSteps, initialValue }) => {
    const tau = timescaleSteps ?? warmupSteps;
    const rise = interpolationSpan(initialValue, peakValue);
    return (t) => {
      if (t < warmupSteps) return initialValue + rise * (t / warmupSteps);
      // (t − w) + τ is exactly τ at t = w, so the peak is exact there.
      return peakValue * Math.sqrt(tau / (t - warmupSteps + tau));
    };
  },
  phases: ({ warmupSteps }) =>
    [
      { name: 'warmup', start: 0, end: warmupSteps },
      { name: 'decay', start: warmupSteps, end: Number.POSITIVE_INFINITY },
    ].filter((phase) => phase.end > phase.start),
});
