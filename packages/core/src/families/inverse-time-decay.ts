import { defineFamily } from '../family';

export interface InverseTimeDecayOptions {
  /** Learning rate at step 0. */
  readonly initialValue: number;
  /** Steps that make one unit of decay time. */
  readonly decaySteps: number;
  /** Coefficient of the decay time in the denominator. */
  readonly decayRate: number;
  /** Use whole units of decaySteps (a staircase). Default false. */
  readonly staircase?: boolean;
}

/**
 * Inverse-time decay, as Keras `InverseTimeDecay`.
 *
 * With a = initialValue, r = decayRate, D = decaySteps and t the step:
 *
 *   p = t / D   (continuous)   or   p = ⌊t / D⌋   (staircase)
 *   lr = a / (1 + r · p)
 *
 * Worked example: `inverseTimeDecay({ initialValue: 0.1, decaySteps: 5, decayRate: 0.5 })(10)`
 * = 0.1 / (1 + 0.5 · 2) = 0.05.
 *
 * Elsewhere: Keras `InverseTimeDecay(initial_learning_rate, decay_steps, decay_rate, staircase)`;
 * tfjs/Keras 2 `decay` argument (D = 1).
 *
 * Throws `ScheduleConfigError` for negative or non-finite values, `decaySteps` <= 0 or a
 * negative `decayRate`.
 */
export const inverseTimeDecay = defineFamily<InverseTimeDecayOptions, Required<InverseTimeDecayOptions>>({
  type: 'inverseTimeDecay',
  summary: 'initialValue / (1 + decayRate · t / decaySteps), continuous or staircase.',
  options: {
    initialValue: { kind: 'number', min: 0, description: 'Learning rate at step 0.' },
    decaySteps: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      description: 'Steps that make one unit of decay time.',
    },
    decayRate: { kind: 'number', min: 0, description: 'Coefficient of the decay time in the denominator.' },
    staircase: {
      kind: 'boolean',
      default: false,
      description: 'Use whole units of decaySteps (a staircase).',
    },
  },
  build: ({ initialValue, decaySteps, decayRate, staircase }) => {
    // r = 0 is a constant (t / D can overflow to Infinity, and 0 · Infinity is NaN).
    if (decayRate === 0) return () => initialValue;
    return staircase
      ? (t) => initialValue / (1 + decayRate * Math.floor(t / decaySteps))
      : (t) => initialValue / (1 + decayRate * (t / decaySteps));
  },
  phases: () => [{ name: 'decay', start: 0, end: Number.POSITIVE_INFINITY }],
});
