import { defineFamily } from '../family';
import { numpyCosFloat32 } from './python-math';
import { warmupHoldDecayPhases } from './warmup-cosine-decay';

export interface Float32WarmupCosineDecayOptions {
  /** Learning rate after the warm-up and during the hold. */
  readonly peakValue: number;
  /** Step at which the cosine reaches 0; 0 after it. */
  readonly totalSteps: number;
  /** Length of the linear warm-up. Default 0. */
  readonly warmupSteps?: number;
  /**
   * Steps held at peakValue after the warm-up, inclusive: the peak lasts up to step warmupSteps + holdSteps.
   * Default 0.
   */
  readonly holdSteps?: number;
  /** Learning rate at step 0 (start of the warm-up). Default 0. */
  readonly initialValue?: number;
}

/**
 * Warm-up, hold, cosine to 0, evaluated in float32 arithmetic operation by operation, in the order
 * TensorFlow's object-detection `cosine_decay_with_warmup` evaluates it (its float32 tensors), with
 * the cosine rounded as NumPy's and TensorFlow's vectorized float32 kernels round it. Use it to
 * reproduce that function's values bit for bit; for float64 work use `warmupCosineDecay`.
 *
 * With P = peakValue, T = totalSteps, w = warmupSteps, h = holdSteps, a = initialValue, t the step
 * and every operation rounded to float32 (f = Math.fround):
 *
 * - t < w:                lr = f(f(f((P − a) / w) · f(t)) + f(a))
 * - w ≤ t ≤ w + h (h > 0): lr = f(P)
 * - w + h < t ≤ T:        lr = f(f(P / 2) · f(1 + cos₃₂(f(f(f(π) · f(f(f(t) − w) − h)) / f(T − w − h)))))
 * - t > T:                lr = 0
 *
 * Worked example: `float32WarmupCosineDecay({ peakValue: 0.1, totalSteps: 100, warmupSteps: 10,
 * holdSteps: 20, initialValue: 0.01 })(1)` = 0.01899999938905239 (float64: 0.019).
 *
 * Throws `ScheduleConfigError` for negative or non-finite values, `totalSteps` <= 0, or
 * `warmupSteps + holdSteps` >= `totalSteps` (the cosine would divide by zero or run backwards).
 */
export const float32WarmupCosineDecay = defineFamily<
  Float32WarmupCosineDecayOptions,
  Required<Float32WarmupCosineDecayOptions>
>({
  type: 'float32WarmupCosineDecay',
  summary:
    'Warm-up, inclusive hold, cosine to 0 at totalSteps, computed op by op in float32 as TensorFlow does.',
  options: {
    peakValue: {
      kind: 'number',
      min: 0,
      description: 'Learning rate after the warm-up and during the hold.',
    },
    totalSteps: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      description: 'Step at which the cosine reaches 0; 0 after it.',
    },
    warmupSteps: { kind: 'number', min: 0, default: 0, description: 'Length of the linear warm-up.' },
    holdSteps: {
      kind: 'number',
      min: 0,
      default: 0,
      description:
        'Steps held at peakValue after the warm-up, inclusive: the peak lasts up to step warmupSteps + holdSteps.',
    },
    initialValue: {
      kind: 'number',
      min: 0,
      default: 0,
      description: 'Learning rate at step 0 (start of the warm-up).',
    },
  },
  check: (o, issues) => {
    if (!(o.warmupSteps + o.holdSteps < o.totalSteps)) {
      issues.addRule(
        'holdSteps',
        `warmupSteps + holdSteps must be less than totalSteps (${o.totalSteps})`,
        `< ${o.totalSteps}`,
        o.warmupSteps + o.holdSteps,
      );
    }
  },
  build: ({ peakValue, totalSteps, warmupSteps, holdSteps, initialValue }) => {
    const f = Math.fround;
    const pi = f(Math.PI);
    const half = f(0.5 * peakValue);
    const span = f(totalSteps - warmupSteps - holdSteps);
    const slope = warmupSteps > 0 ? f((peakValue - initialValue) / warmupSteps) : 0;
    const start = f(initialValue);
    const peak = f(peakValue);
    return (t) => {
      if (t > totalSteps) return 0;
      const step = f(t);
      if (warmupSteps > 0 && t < warmupSteps) return f(f(slope * step) + start);
      if (holdSteps > 0 && !(t > warmupSteps + holdSteps)) return peak;
      const angle = f(f(pi * f(f(step - warmupSteps) - holdSteps)) / span);
      return f(half * f(1 + numpyCosFloat32(angle)));
    };
  },
  phases: warmupHoldDecayPhases,
});
