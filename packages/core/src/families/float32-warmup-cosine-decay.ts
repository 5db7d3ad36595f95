import { defineFamily } from '../family';
import type { IssueCollector } from '../validate';
import { CODY_WAITE_LIMIT, libraryCosFloat32, numpyCosFloat32 } from './python-math';
import { FLOAT32_MAX, FLOAT32_MIN } from './shared';
import { warmupHoldDecayPhases } from './warmup-cosine-decay';

/** Largest peakValue: 2^127, half the largest float32 (see `checkFloat32Range`). */
const PEAK_LIMIT = 2 ** 127;
/** Largest totalSteps: 2^126, so that π · (t − w − h) stays a float32 (it overflows past 1.08e38). */
const TOTAL_STEPS_LIMIT = 2 ** 126;

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
 * Every value is finite and >= 0 (float32 arithmetic overflows far sooner than float64, so the
 * rules below keep every intermediate a float32). Past the NumPy kernel's fast range (an angle
 * above 71476.0625, where the float32 rounding of the step is coarse beside the decay's length) the
 * cosine is the C library's, as in NumPy.
 *
 * Throws `ScheduleConfigError` for negative or non-finite values, `totalSteps` <= 0,
 * `warmupSteps + holdSteps` >= `totalSteps` (the cosine would divide by zero or run backwards),
 * `initialValue` above `peakValue` with a warm-up (TensorFlow raises the same: a falling float32
 * warm-up can round below 0), `peakValue` above 2^127 (half the largest float32: the warm-up may
 * round past the largest float32 to Infinity), `totalSteps` above 2^126 (π · (t − w − h) overflows
 * float32), `totalSteps − warmupSteps − holdSteps` below the smallest float32 2^-149 (it rounds to 0
 * in float32, and the cosine divides by it) or a warm-up slope (peakValue − initialValue) /
 * warmupSteps above the largest float32 (it is a float32: Infinity).
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
    } else {
      checkFloat32Range(o, issues);
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
      // Past the kernel's range (float32 steps coarse beside a short decay) NumPy calls cosf.
      const cosine =
        angle <= CODY_WAITE_LIMIT && angle >= -CODY_WAITE_LIMIT
          ? numpyCosFloat32(angle)
          : libraryCosFloat32(angle);
      return f(half * f(1 + cosine));
    };
  },
  phases: warmupHoldDecayPhases,
});

/**
 * The rules that keep every float32 intermediate finite and the value >= 0 (each names the bound and
 * why): the peak, the run's length, the decay's length and the warm-up's slope and direction.
 */
function checkFloat32Range(o: Required<Float32WarmupCosineDecayOptions>, issues: IssueCollector): void {
  const { peakValue, totalSteps, warmupSteps, holdSteps, initialValue } = o;
  if (peakValue > PEAK_LIMIT) {
    issues.addRule(
      'peakValue',
      `peakValue must not exceed 2^127 (${PEAK_LIMIT}), half the largest float32: above it the float32 warm-up can round to Infinity`,
      `<= ${PEAK_LIMIT}`,
      peakValue,
    );
  }
  if (totalSteps > TOTAL_STEPS_LIMIT) {
    issues.addRule(
      'totalSteps',
      `totalSteps must not exceed 2^126 (${TOTAL_STEPS_LIMIT}): the cosine's angle π · (t − warmupSteps − holdSteps) is a float32, which overflows past 1.08e38`,
      `<= ${TOTAL_STEPS_LIMIT}`,
      totalSteps,
    );
  }
  const span = totalSteps - warmupSteps - holdSteps;
  if (!(span >= FLOAT32_MIN)) {
    issues.addRule(
      'holdSteps',
      `totalSteps − warmupSteps − holdSteps must be at least the smallest float32 (${FLOAT32_MIN}): the cosine divides by it in float32, where it would round to 0`,
      `>= ${FLOAT32_MIN}`,
      span,
    );
  }
  if (!(warmupSteps > 0)) return;
  if (initialValue > peakValue) {
    issues.addRule(
      'initialValue',
      `initialValue must not exceed peakValue (${peakValue}) when warmupSteps > 0, as TensorFlow requires (learning_rate_base >= warmup_learning_rate): a falling float32 warm-up can round below 0`,
      `<= ${peakValue}`,
      initialValue,
    );
  }
  const slope = Math.abs(peakValue - initialValue) / warmupSteps;
  if (!(slope <= FLOAT32_MAX)) {
    issues.addRule(
      'warmupSteps',
      `(peakValue − initialValue) / warmupSteps must not exceed the largest float32 (${FLOAT32_MAX}): the warm-up's slope is a float32, which would overflow to Infinity`,
      `<= ${FLOAT32_MAX}`,
      slope,
    );
  }
}

/**
 * The largest value a valid config takes, from its own float32 formula: the hold's f(P), the
 * cosine's top f(f(P / 2) · 2) (which rounding can put above f(P) in the subnormal range), and the
 * warm-up at the largest float32 step it sees, f(w) (the warm-up rises, and each float32 operation is
 * monotone).
 */
export function float32WarmupCosineDecaySupremum(o: Required<Float32WarmupCosineDecayOptions>): number {
  const f = Math.fround;
  const top = Math.max(f(o.peakValue), f(f(0.5 * o.peakValue) * 2));
  if (!(o.warmupSteps > 0)) return top;
  const slope = f((o.peakValue - o.initialValue) / o.warmupSteps);
  return Math.max(top, f(f(slope * f(o.warmupSteps)) + f(o.initialValue)));
}
