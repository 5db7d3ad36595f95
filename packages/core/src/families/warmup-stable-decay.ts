import { defineFamily } from '../family';
import { cosineWeight, interpolationSpan, requireAtMost } from './shared';

/** Curve of a warm-up or a decay. */
export type WsdShape = 'linear' | 'cosine' | '1-sqrt';

export interface WarmupStableDecayOptions {
  /** Learning rate of the stable phase (reached exactly at step warmupSteps). */
  readonly peakValue: number;
  /** The whole run: the decay ends here and finalValue is kept after. */
  readonly totalSteps: number;
  /** Length of the final decay (the stable phase is what is left). */
  readonly decaySteps: number;
  /** Length of the warm-up, in steps. Default 0. */
  readonly warmupSteps?: number;
  /** Learning rate at step 0. Default 0. */
  readonly initialValue?: number;
  /** Learning rate at the end of the decay and after (at most peakValue). Default 0. */
  readonly finalValue?: number;
  /** Warm-up curve. Default `'linear'`. */
  readonly warmupShape?: WsdShape;
  /** Decay curve. Default `'cosine'`. */
  readonly decayShape?: WsdShape;
}

/**
 * Warm-up, stable, decay (WSD, "trapezoidal"), as transformers `get_wsd_schedule`.
 *
 * With a = initialValue, P = peakValue, b = finalValue, w = warmupSteps, D = decaySteps,
 * T = totalSteps, S = T − w − D (stable steps) and t the step:
 *
 * - t < w:              p = t / w,            lr = a + (P − a) · up(p)
 * - w <= t < w + S:     lr = P
 * - w + S <= t < T:     p = (t − w − S) / D,  lr = b + (P − b) · down(p)
 * - t >= T:             lr = b
 *
 * Shapes (p in [0, 1]):
 *
 * | shape    | up(p)               | down(p)             |
 * | -------- | ------------------- | ------------------- |
 * | linear   | p                   | 1 − p               |
 * | cosine   | (1 − cos(π p)) / 2  | (1 + cos(π p)) / 2  |
 * | 1-sqrt   | 1 − √(1 − p)        | 1 − √p              |
 *
 * Worked example: `warmupStableDecay({ peakValue: 0.1, totalSteps: 100, warmupSteps: 10,
 * decaySteps: 20, decayShape: '1-sqrt' })(95)`: p = (95 − 80) / 20 = 0.75, lr = 0.1 · (1 − √0.75)
 * ≈ 0.0133975.
 *
 * Elsewhere: transformers `get_wsd_schedule(num_warmup_steps, num_decay_steps, num_training_steps,
 * min_lr_ratio, warmup_type, decay_type)` with a = b = min_lr_ratio · lr and P = lr (its cosine
 * decay is `num_cycles` = 0.5); no PyTorch, Keras or optax built-in.
 *
 * Throws `ScheduleConfigError` for negative or non-finite values or durations, `totalSteps` <= 0,
 * `warmupSteps + decaySteps` above `totalSteps`, or `finalValue` above `peakValue`.
 */
export const warmupStableDecay = defineFamily<WarmupStableDecayOptions, Required<WarmupStableDecayOptions>>({
  type: 'warmupStableDecay',
  summary: 'Warm-up to peakValue, hold it (stable), then decay to finalValue over the last decaySteps.',
  options: {
    peakValue: {
      kind: 'number',
      min: 0,
      description: 'Learning rate of the stable phase (reached exactly at step warmupSteps).',
    },
    totalSteps: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      description: 'The whole run: the decay ends here and finalValue is kept after.',
    },
    decaySteps: {
      kind: 'number',
      min: 0,
      description: 'Length of the final decay (the stable phase is what is left).',
    },
    warmupSteps: { kind: 'number', min: 0, default: 0, description: 'Length of the warm-up, in steps.' },
    initialValue: { kind: 'number', min: 0, default: 0, description: 'Learning rate at step 0.' },
    finalValue: {
      kind: 'number',
      min: 0,
      default: 0,
      description: 'Learning rate at the end of the decay and after (at most peakValue).',
    },
    warmupShape: {
      kind: 'enum',
      values: ['linear', 'cosine', '1-sqrt'],
      default: 'linear',
      description: 'Warm-up curve.',
    },
    decayShape: {
      kind: 'enum',
      values: ['linear', 'cosine', '1-sqrt'],
      default: 'cosine',
      description: 'Decay curve.',
    },
  },
  check: (o, issues) => {
    if (o.warmupSteps + o.decaySteps > o.totalSteps) {
      issues.addRule(
        'decaySteps',
        `warmupSteps + decaySteps must not exceed totalSteps (${o.totalSteps})`,
        `<= ${o.totalSteps}`,
        o.warmupSteps + o.decaySteps,
      );
    }
    requireAtMost(issues, 'finalValue', o.finalValue, 'peakValue', o.peakValue);
  },
  build: ({
    peakValue,
    totalSteps,
    decaySteps,
    warmupSteps,
    initialValue,
    finalValue,
    warmupShape,
    decayShape,
  }) => {
    const decayStart = totalSteps - decaySteps;
    const rise = interpolationSpan(initialValue, peakValue);
    const fall = interpolationSpan(finalValue, peakValue);
    const up =
      warmupShape === 'linear'
        ? (p: number) => p
        : warmupShape === 'cosine'
          ? (p: number) => 0.5 * (1 - Math.cos(Math.PI * p))
          : (p: number) => 1 - Math.sqrt(1 - p);
    const down =
      decayShape === 'linear'
        ? (p: number) => 1 - p
        : decayShape === 'cosine'
          ? cosineWeight
          : (p: number) => 1 - Math.sqrt(p);
    return (t) => {
      if (t < warmupSteps) return initialValue + rise * up(t / warmupSteps);
      if (t < decayStart) return peakValue;
      // t < T = decayStart + D up to rounding; p is compared with 1 so the weight never drops below 0.
      const p = (t - decayStart) / decaySteps;
      if (p >= 1 || t >= totalSteps) return finalValue;
      return finalValue + fall * down(p);
    };
  },
  phases: ({ warmupSteps, totalSteps, decaySteps }) =>
    [
      { name: 'warmup', start: 0, end: warmupSteps },
      { name: 'stable', start: warmupSteps, end: totalSteps - decaySteps },
      { name: 'decay', start: totalSteps - decaySteps, end: totalSteps },
      { name: 'final', start: totalSteps, end: Number.POSITIVE_INFINITY },
    ].filter((phase) => phase.end > phase.start),
});
