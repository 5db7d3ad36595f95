import { fromConfig } from '../config';
import { interpolationSpan } from '../families/shared';
import { defineFamily } from '../family';
import { evaluatorOf, type Schedule, type ScheduleLike } from '../schedule';
import { shiftPhases } from './phases';

/** The smallest normal double: below it a ratio has lost precision (and its logarithm with it). */
const MIN_NORMAL = 2 ** -1022;

export interface WarmupOptions {
  /** Schedule that follows the warm-up; it sees a local step that starts at 0 when the warm-up ends. */
  readonly schedule: ScheduleLike;
  /** Length of the warm-up, in steps (0: the schedule itself). */
  readonly warmupSteps: number;
  /** Learning rate at step 0 (> 0 for the exponential shape). Default 0. */
  readonly initialValue?: number;
  /**
   * Shape of the ramp from initialValue to schedule(0): linear, cosine or exponential (geometric). Default
   * `'linear'`.
   */
  readonly shape?: 'linear' | 'cosine' | 'exponential';
}

interface WarmupResolved {
  readonly schedule: Schedule;
  readonly warmupSteps: number;
  readonly initialValue: number;
  readonly shape: 'linear' | 'cosine' | 'exponential';
}

/**
 * Puts a warm-up phase in front of any schedule. The ramp goes from `initialValue` at step 0 to
 * the wrapped schedule's first value `s(0)` at step `w`; from then on the wrapped schedule runs on
 * a local step (as optax `join_schedules` does), so its own step 0 is the first step after the warm-up.
 *
 * With w = warmupSteps, v₀ = initialValue, v₁ = s(0) and p = t / w:
 *
 * - t < w, linear:       lr = v₀ + (v₁ − v₀) · p
 * - t < w, cosine:       lr = v₀ + (v₁ − v₀) · (1 − cos(π p)) / 2
 * - t < w, exponential:  lr = v₀ · (v₁ / v₀)^p            (needs v₀ > 0 and v₁ > 0)
 * - t ≥ w:               lr = s(t − w)
 *
 * p = t / w is computed first, so a tiny w (down to Number.MIN_VALUE) is a ramp like any other: a
 * rate (v₁ − v₀) / w or π / w would overflow, and Infinity · 0 is NaN. The ramp is v₀ + (v₁ − v₀) · u
 * with a weight u in [0, 1], so it never leaves [min(v₀, v₁), max(v₀, v₁)] by more than rounding and
 * never goes below 0. The exponential ramp is e^(p ln(v₁ / v₀)) with ln(v₁ / v₀) = ln v₁ − ln v₀ where
 * the ratio over- or underflows, computed from the nearer end: v₀ · e^(p ln(v₁ / v₀)) for p < ½ and
 * v₁ · e^((p − 1) ln(v₁ / v₀)) after, so that neither exponential leaves the range between the ends
 * (from v₀ alone, a ramp from 1e-300 up to Number.MAX_VALUE rounded to Infinity near its end, and
 * one from 1e300 down to 1e-300 underflowed to 0).
 *
 * @example warmup({ schedule: constant({ value: 0.1 }), warmupSteps: 10 })(5) === 0.05
 */
export const warmup = defineFamily<WarmupOptions, WarmupResolved>({
  type: 'warmup',
  readConfig: (json) => fromConfig(json),
  summary:
    'A warm-up ramp (linear, cosine or exponential) from initialValue to the first value of any schedule, which then runs on a local step.',
  options: {
    schedule: {
      kind: 'schedule',
      description:
        'Schedule that follows the warm-up; it sees a local step that starts at 0 when the warm-up ends.',
    },
    warmupSteps: {
      kind: 'number',
      min: 0,
      description: 'Length of the warm-up, in steps (0: the schedule itself).',
    },
    initialValue: {
      kind: 'number',
      min: 0,
      default: 0,
      description: 'Learning rate at step 0 (> 0 for the exponential shape).',
    },
    shape: {
      kind: 'enum',
      values: ['linear', 'cosine', 'exponential'],
      default: 'linear',
      description:
        'Shape of the ramp from initialValue to schedule(0): linear, cosine or exponential (geometric).',
    },
  },
  check: (o, issues) => {
    if (o.shape !== 'exponential') return;
    if (!(o.initialValue > 0)) {
      issues.addRule(
        'initialValue',
        'initialValue must be > 0 when shape is "exponential" (a geometric ramp cannot start at 0)',
        '> 0',
        o.initialValue,
      );
    }
    const target = o.schedule(0);
    if (!(target > 0)) {
      issues.addRule(
        'schedule',
        'schedule(0) must be > 0 when shape is "exponential" (a geometric ramp cannot end at 0)',
        '> 0',
        target,
      );
    }
  },
  build: ({ schedule, warmupSteps, initialValue, shape }) => {
    const inner = evaluatorOf(schedule);
    const target = inner(0);
    const w = warmupSteps;
    const span = interpolationSpan(initialValue, target);
    if (w === 0) return inner;
    if (shape === 'linear') return (t) => (t < w ? initialValue + span * (t / w) : inner(t - w));
    if (shape === 'cosine') {
      return (t) => (t < w ? initialValue + span * (0.5 * (1 - Math.cos(Math.PI * (t / w)))) : inner(t - w));
    }
    const ratio = target / initialValue;
    const logRatio =
      ratio >= MIN_NORMAL && ratio < Number.POSITIVE_INFINITY
        ? Math.log(ratio)
        : Math.log(target) - Math.log(initialValue);
    return (t) => {
      if (!(t < w)) return inner(t - w);
      const p = t / w;
      return p < 0.5 ? initialValue * Math.exp(logRatio * p) : target * Math.exp(logRatio * (p - 1));
    };
  },
  phases: ({ schedule, warmupSteps }) => [
    ...(warmupSteps > 0 ? [{ name: 'warmup', start: 0, end: warmupSteps }] : []),
    ...shiftPhases(
      schedule.phases,
      warmupSteps,
      Number.POSITIVE_INFINITY,
      schedule.config?.type ?? 'schedule',
    ),
  ],
});
