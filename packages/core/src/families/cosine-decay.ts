import { defineFamily } from '../family';
import { cosineWeight, interpolationSpan, requireAtMost } from './shared';

/**
 * Below this many half periods the periodic angle is π · t / D as the libraries compute it; from
 * here on t is reduced modulo 2D first (the unreduced angle would carry an error near 2^40 · 2^-52 · π).
 */
const LIBRARY_ANGLE_LIMIT = 2 ** 40;

export interface CosineDecayOptions {
  /** Learning rate at step 0. */
  readonly initialValue: number;
  /** Length of the half cosine, in steps; finalValue is reached at this step. */
  readonly decaySteps: number;
  /** Floor reached at decaySteps (at most initialValue). Default 0. */
  readonly finalValue?: number;
  /** Exponent applied to the cosine weight. Default 1. */
  readonly exponent?: number;
  /**
   * Keep following the cosine after decaySteps (back up to initialValue at 2 · decaySteps, and so on) instead
   * of holding the floor. Default false.
   */
  readonly periodic?: boolean;
}

/**
 * Half-cosine decay from `initialValue` to `finalValue` over `decaySteps`, then flat (or, with
 * `periodic`, the full cosine wave).
 *
 * With a = initialValue, b = finalValue, D = decaySteps, e = exponent and t the step:
 *
 * - t < D:    lr = b + (a − b) · ((1 + cos(π t / D)) / 2)^e
 * - t >= D:   lr = b                                           (default)
 * - periodic: lr = b + (a − b) · ((1 + cos(π t / D)) / 2)^e            for every t
 *
 * The periodic angle is computed as π · t / D, in that order, as PyTorch and transformers compute
 * it, so their values are matched to the last bit or two. Far out (t / D ≥ 2^40), where π · t / D
 * would have lost most of its fractional digits, the step is first reduced modulo 2D (exact in
 * floating point), so the wave keeps its shape and stays finite at any step.
 *
 * Worked example: `cosineDecay({ initialValue: 0.1, decaySteps: 50, finalValue: 0.01 })(25)`
 * = 0.01 + 0.09 · 0.5 = 0.055; with `periodic: true` the value at step 75 is 0.055 too, on the way
 * back up to 0.1 at step 100.
 *
 * Elsewhere: optax `cosine_decay_schedule(init_value, decay_steps, alpha, exponent)` with
 * b = alpha · a; Keras `CosineDecay(initial_learning_rate, decay_steps, alpha)` (no warm-up);
 * PyTorch `CosineAnnealingLR(T_max, eta_min)` is the `periodic` form (it climbs back after T_max);
 * transformers' cosine schedules after their warm-up are the `periodic` form with
 * D = (num_training_steps − num_warmup_steps) / (2 · num_cycles), b = 0.
 *
 * Throws `ScheduleConfigError` for negative or non-finite values, `decaySteps` <= 0,
 * `exponent` <= 0, or `finalValue` above `initialValue`.
 */
export const cosineDecay = defineFamily<CosineDecayOptions, Required<CosineDecayOptions>>({
  type: 'cosineDecay',
  summary:
    'Half cosine from initialValue down to finalValue over decaySteps (optionally raised to a power), then flat or periodic.',
  options: {
    initialValue: { kind: 'number', min: 0, description: 'Learning rate at step 0.' },
    decaySteps: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      description: 'Length of the half cosine, in steps; finalValue is reached at this step.',
    },
    finalValue: {
      kind: 'number',
      min: 0,
      default: 0,
      description: 'Floor reached at decaySteps (at most initialValue).',
    },
    exponent: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      default: 1,
      description: 'Exponent applied to the cosine weight.',
    },
    periodic: {
      kind: 'boolean',
      default: false,
      description:
        'Keep following the cosine after decaySteps (back up to initialValue at 2 · decaySteps, and so on) instead of holding the floor.',
    },
  },
  check: (o, issues) => requireAtMost(issues, 'finalValue', o.finalValue, 'initialValue', o.initialValue),
  build: ({ initialValue, decaySteps, finalValue, exponent, periodic }) => {
    const amplitude = interpolationSpan(finalValue, initialValue);
    // t / D is computed first: π / D overflows for a subnormal D (and Infinity · 0 is NaN).
    if (periodic) {
      // 2D may overflow to Infinity for D near Number.MAX_VALUE; then t / D < 2 and t is never reduced.
      const period = 2 * decaySteps;
      return (t) => {
        const ratio = t / decaySteps;
        let angle: number;
        if (ratio < LIBRARY_ANGLE_LIMIT) {
          // π · t / D as the libraries write it; π · t overflows only for t near Number.MAX_VALUE.
          const product = Math.PI * t;
          angle = product < Number.POSITIVE_INFINITY ? product / decaySteps : Math.PI * ratio;
        } else {
          angle = Math.PI * ((t % period) / decaySteps);
        }
        return finalValue + amplitude * (0.5 * (1 + Math.cos(angle))) ** exponent;
      };
    }
    if (exponent === 1) {
      return (t) => (t >= decaySteps ? finalValue : finalValue + amplitude * cosineWeight(t / decaySteps));
    }
    return (t) =>
      t >= decaySteps ? finalValue : finalValue + amplitude * cosineWeight(t / decaySteps) ** exponent;
  },
  phases: ({ decaySteps, periodic }) =>
    periodic
      ? [
          { name: 'decay', start: 0, end: decaySteps },
          { name: 'rise', start: decaySteps, end: 2 * decaySteps },
          { name: 'more cycles', start: 2 * decaySteps, end: Number.POSITIVE_INFINITY },
        ]
      : [
          { name: 'decay', start: 0, end: decaySteps },
          { name: 'final', start: decaySteps, end: Number.POSITIVE_INFINITY },
        ],
});
