import { defineFamily } from '../schedule';

export interface WarmupCosineDecayOptions {
  /** Learning rate at the top of the warm-up and during the hold. */
  readonly peakValue: number;
  /** Step at which the cosine reaches `finalValue` (the whole run, warm-up and hold included). */
  readonly totalSteps: number;
  /** Length of the linear warm-up; the peak is reached exactly at step `warmupSteps`. Default 0. */
  readonly warmupSteps?: number;
  /** Steps held at the peak after the warm-up. Default 0. */
  readonly holdSteps?: number;
  /** Learning rate at step 0 (start of the warm-up). Default 0. */
  readonly initialValue?: number;
  /** Floor reached at `totalSteps` and kept after. Default 0. */
  readonly finalValue?: number;
}

/**
 * The headline recipe: linear warm-up, hold at the peak, cosine down to a floor.
 *
 * With w = warmupSteps, h = holdSteps, T = totalSteps, d = T − w − h:
 *
 * - t < w:            lr = initialValue + (peakValue − initialValue) · t / w
 * - w ≤ t < w + h:    lr = peakValue
 * - w + h ≤ t < T:    lr = finalValue + (peakValue − finalValue) · (1 + cos(π (t − w − h) / d)) / 2
 * - t ≥ T:            lr = finalValue
 *
 * @example warmupCosineDecay({ peakValue: 1e-3, totalSteps: 1000, warmupSteps: 100 })(100) === 1e-3
 */
export const warmupCosineDecay = defineFamily<WarmupCosineDecayOptions, Required<WarmupCosineDecayOptions>>({
  type: 'warmupCosineDecay',
  summary: 'Linear warm-up from initialValue to peakValue, hold at the peak, cosine down to finalValue at totalSteps.',
  options: {
    peakValue: { kind: 'number', min: 0, description: 'Learning rate at the end of the warm-up and during the hold.' },
    totalSteps: { kind: 'number', min: 0, minExclusive: true, description: 'Step at which finalValue is reached (whole run).' },
    warmupSteps: { kind: 'number', min: 0, default: 0, description: 'Length of the linear warm-up, in steps.' },
    holdSteps: { kind: 'number', min: 0, default: 0, description: 'Steps held at peakValue after the warm-up.' },
    initialValue: { kind: 'number', min: 0, default: 0, description: 'Learning rate at step 0.' },
    finalValue: { kind: 'number', min: 0, default: 0, description: 'Floor reached at totalSteps and kept after.' },
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
      issues.addRule('finalValue', `finalValue must not exceed peakValue (${o.peakValue})`, `<= ${o.peakValue}`, o.finalValue);
    }
  },
  build: ({ peakValue, totalSteps, warmupSteps, holdSteps, initialValue, finalValue }) => {
    const decayStart = warmupSteps + holdSteps;
    const decaySteps = totalSteps - decayStart;
    const warmupSlope = warmupSteps > 0 ? (peakValue - initialValue) / warmupSteps : 0;
    const amplitude = (peakValue - finalValue) / 2;
    const omega = decaySteps > 0 ? Math.PI / decaySteps : 0;
    return (t) => {
      if (t < warmupSteps) return initialValue + warmupSlope * t;
      if (t < decayStart) return peakValue;
      if (t >= totalSteps) return finalValue;
      return finalValue + amplitude * (1 + Math.cos(omega * (t - decayStart)));
    };
  },
  phases: ({ warmupSteps, holdSteps, totalSteps }) =>
    [
      { name: 'warmup', start: 0, end: warmupSteps },
      { name: 'hold', start: warmupSteps, end: warmupSteps + holdSteps },
      { name: 'decay', start: warmupSteps + holdSteps, end: totalSteps },
      { name: 'final', start: totalSteps, end: Number.POSITIVE_INFINITY },
    ].filter((phase) => phase.end > phase.start),
});
