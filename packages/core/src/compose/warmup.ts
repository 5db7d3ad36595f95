import { fromConfig } from '../config';
import { defineFamily } from '../family';
import { evaluatorOf, type Schedule, type ScheduleLike } from '../schedule';
import { shiftPhases } from './phases';

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
    const span = target - initialValue;
    if (w === 0) return inner;
    if (shape === 'linear') {
      const slope = span / w;
      return (t) => (t < w ? initialValue + slope * t : inner(t - w));
    }
    if (shape === 'cosine') {
      const omega = Math.PI / w;
      const half = span / 2;
      return (t) => (t < w ? initialValue + half * (1 - Math.cos(omega * t)) : inner(t - w));
    }
    const logRatio = Math.log(target / initialValue) / w;
    return (t) => (t < w ? initialValue * Math.exp(logRatio * t) : inner(t - w));
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
