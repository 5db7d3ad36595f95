import { defineFamily } from '../family';
import type { Phase } from '../schedule';
import { interpolationSpan } from './shared';

export interface WarmupCosineDecayOptions {
  /** Learning rate at the end of the warm-up (step warmupSteps) and during the hold. */
  readonly peakValue: number;
  /** Step at which the cosine reaches finalValue (the whole run, warm-up and hold included). */
  readonly totalSteps: number;
  /** Length of the linear warm-up, in steps. Default 0. */
  readonly warmupSteps?: number;
  /** Steps held at peakValue after the warm-up. Default 0. */
  readonly holdSteps?: number;
  /** Learning rate at step 0 (start of the warm-up). Default 0. */
  readonly initialValue?: number;
  /** Floor reached at totalSteps and kept after (at most peakValue). Default 0. */
  readonly finalValue?: number;
}

/**
 * The headline recipe: linear warm-up, hold at the peak, cosine down to a floor.
 *
 * With a = initialValue, P = peakValue, b = finalValue, w = warmupSteps, h = holdSteps,
 * T = totalSteps, d = T − w − h (the cosine's length) and t the step:
 *
 * - t < w:            lr = a + (P − a) · t / w
 * - w ≤ t < w + h:    lr = P
 * - w + h ≤ t < T:    lr = b + (P − b) · (1 + cos(π (t − w − h) / d)) / 2
 * - t ≥ T:            lr = b
 *
 * The peak is reached exactly at step w and `finalValue` exactly at step T.
 *
 * Worked example: `warmupCosineDecay({ peakValue: 1e-3, totalSteps: 1000, warmupSteps: 100 })`
 * gives 5e-4 at step 50, 1e-3 at step 100, 5e-4 at step 550 (halfway down the cosine) and 0 from
 * step 1000 on.
 *
 * Elsewhere: optax `warmup_cosine_decay_schedule(init_value, peak_value, warmup_steps,
 * decay_steps, end_value)` with decay_steps = T and h = 0; Keras `CosineDecay(warmup_target,
 * warmup_steps, decay_steps)` with decay_steps = T − w; transformers
 * `get_cosine_schedule_with_warmup` (a = b = 0); PyTorch `SequentialLR(LinearLR,
 * CosineAnnealingLR)`; the Keras `cosine_decay_with_warmup` function (its hold is one step longer).
 *
 * Throws `ScheduleConfigError` for negative or non-finite values, `totalSteps` <= 0,
 * `warmupSteps + holdSteps` above `totalSteps`, or `finalValue` above `peakValue`.
 */
export const warmupCosineDecay = defineFamily<WarmupCosineDecayOptions, Required<WarmupCosineDecayOptions>>({
  type: 'warmupCosineDecay',
  summary:
    'Linear warm-up from initialValue to peakValue, hold at the peak, cosine down to finalValue at totalSteps.',
  options: {
    peakValue: {
      kind: 'number',
      min: 0,
      description: 'Learning rate at the end of the warm-up (step warmupSteps) and during the hold.',
    },
    totalSteps: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      description: 'Step at which the cosine reaches finalValue (the whole run, warm-up and hold included).',
    },
    warmupSteps: {
      kind: 'number',
      min: 0,
      default: 0,
      description: 'Length of the linear warm-up, in steps.',
    },
    holdSteps: {
      kind: 'number',
      min: 0,
      default: 0,
      description: 'Steps held at peakValue after the warm-up.',
    },
    initialValue: {
      kind: 'number',
      min: 0,
      default: 0,
      description: 'Learning rate at step 0 (start of the warm-up).',
    },
    finalValue: {
      kind: 'number',
      min: 0,
      default: 0,
      description: 'Floor reached at totalSteps and kept after (at most peakValue).',
    },
  },
  check: (o, issues) => {
    if (o.warmupSteps + o.holdSteps > o.totalSteps) {
      issues.addRule(
        'warmupSteps',
        `warmupSteps + holdSteps must not exceed totalSteps (${o.totalSteps})`,
        `<= ${o.totalSteps}`,
        o.warmupSteps + o.holdSteps,
      );
    }
    if (o.finalValue > o.peakValue) {
      issues.addRule(
        'finalValue',
        `finalValue must not exceed peakValue (${o.peakValue})`,
        `<= ${o.peakValue}`,
        o.finalValue,
      );
    }
  },
  build: ({ peakValue, totalSteps, warmupSteps, holdSteps, initialValue, finalValue }) => {
    const decayStart = warmupSteps + holdSteps;
    const decaySteps = totalSteps - decayStart;
    const rise = interpolationSpan(initialValue, peakValue);
    const fall = interpolationSpan(finalValue, peakValue);
    return (t) => {
      // t / w < 1 here, so the warm-up stays between initialValue and peakValue (see shared.ts).
      if (t < warmupSteps) return initialValue + rise * (t / warmupSteps);
      if (t < decayStart) return peakValue;
      if (t >= totalSteps) return finalValue;
      // Here decaySteps > 0 (t < T). The progress is divided first (π / d overflows for a subnormal
      // d) and the weight (1 + cos)/2 stays in [0, 1], so the value stays in [finalValue, peakValue].
      // cosineWeight written out (the same operations): the headline family is the one most often
      // wrapped, and the extra call level pushed noise-on-warmupCosineDecay past V8's inlining budget
      // (4.3× Math.cos and 32 bytes per evaluation instead of 2.4× and 0; docs/benchmarks/core.md).
      return finalValue + fall * (0.5 * (1 + Math.cos(Math.PI * ((t - decayStart) / decaySteps))));
    };
  },
  phases: warmupHoldDecayPhases,
});

/** warmup, hold, decay, final (the empty ones left out): the phases of a warm-up, hold and decay to totalSteps. */
export function warmupHoldDecayPhases(o: {
  readonly warmupSteps: number;
  readonly holdSteps: number;
  readonly totalSteps: number;
}): Phase[] {
  const { warmupSteps, holdSteps, totalSteps } = o;
  return [
    { name: 'warmup', start: 0, end: warmupSteps },
    { name: 'hold', start: warmupSteps, end: warmupSteps + holdSteps },
    { name: 'decay', start: warmupSteps + holdSteps, end: totalSteps },
    { name: 'final', start: totalSteps, end: Number.POSITIVE_INFINITY },
  ].filter((phase) => phase.end > phase.start);
}
