import { defineFamily } from '../schedule';
import { requireAtMost } from './shared';

export interface CosineDecayOptions {
  /** Learning rate at step 0. */
  readonly initialValue: number;
  /** Length of the half cosine, in steps (> 0); `finalValue` is reached at this step and kept after. */
  readonly decaySteps: number;
  /** Floor reached at `decaySteps` (<= `initialValue`). Default 0. */
  readonly finalValue?: number;
  /** Exponent applied to the cosine weight (> 0). Default 1. */
  readonly exponent?: number;
}

/**
 * Half-cosine decay from `initialValue` to `finalValue` over `decaySteps`, then flat.
 *
 * With a = initialValue, b = finalValue, D = decaySteps, e = exponent and t the step:
 *
 * - t < D:    lr = b + (a − b) · ((1 + cos(π t / D)) / 2)^e
 * - t >= D:   lr = b
 *
 * Worked example: `cosineDecay({ initialValue: 0.1, decaySteps: 50, finalValue: 0.01 })(25)`
 * = 0.01 + 0.09 · 0.5 = 0.055.
 *
 * Elsewhere: optax `cosine_decay_schedule(init_value, decay_steps, alpha, exponent)` with
 * b = alpha · a; Keras `CosineDecay(initial_learning_rate, decay_steps, alpha)` (no warm-up);
 * PyTorch `CosineAnnealingLR(T_max, eta_min)` up to T_max (PyTorch then climbs back up; this stays
 * at the floor).
 *
 * Throws `ScheduleConfigError` for negative or non-finite values, `decaySteps` <= 0,
 * `exponent` <= 0, or `finalValue` above `initialValue`.
 */
export const cosineDecay = defineFamily<CosineDecayOptions, Required<CosineDecayOptions>>({
  type: 'cosineDecay',
  summary:
    'Half cosine from initialValue down to finalValue over decaySteps (optionally raised to a power), then flat.',
  options: {
    initialValue: { kind: 'number', min: 0, description: 'Learning rate at step 0.' },
    decaySteps: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      description: 'Length of the half cosine; finalValue from this step on.',
    },
    finalValue: {
      kind: 'number',
      min: 0,
      default: 0,
      description: 'Floor reached at decaySteps and kept after.',
    },
    exponent: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      default: 1,
      description: 'Exponent applied to the cosine weight.',
    },
  },
  check: (o, issues) => requireAtMost(issues, 'finalValue', o.finalValue, 'initialValue', o.initialValue),
  build: ({ initialValue, decaySteps, finalValue, exponent }) => {
    const amplitude = initialValue - finalValue;
    // t / D is computed first: π / D overflows for a subnormal D (and Infinity · 0 is NaN).
    if (exponent === 1) {
      return (t) =>
        t >= decaySteps
          ? finalValue
          : finalValue + amplitude * (0.5 * (1 + Math.cos(Math.PI * (t / decaySteps))));
    }
    return (t) =>
      t >= decaySteps
        ? finalValue
        : finalValue + amplitude * (0.5 * (1 + Math.cos(Math.PI * (t / decaySteps)))) ** exponent;
  },
  phases: ({ decaySteps }) => [
    { name: 'decay', start: 0, end: decaySteps },
    { name: 'final', start: decaySteps, end: Number.POSITIVE_INFINITY },
  ],
});
