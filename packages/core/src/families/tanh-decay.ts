import { defineFamily } from '../family';
import { interpolationSpan, requireAtMost } from './shared';

export interface TanhDecayOptions {
  /** Upper level of the curve (approached at step 0). */
  readonly initialValue: number;
  /** Length of the decay, in steps; finalValue from this step on. */
  readonly decaySteps: number;
  /** Lower level, approached at decaySteps and used from it on (at most initialValue). Default 0. */
  readonly finalValue?: number;
  /** Argument of tanh at step 0 (timm's lb). Default -7. */
  readonly lowerBound?: number;
  /** Argument of tanh at decaySteps (timm's ub); must exceed lowerBound. Default 3. */
  readonly upperBound?: number;
}

/**
 * Hyperbolic-tangent decay, the shape of timm's `TanhLRScheduler` (one cycle, no warm-up).
 *
 * With a = initialValue, b = finalValue, D = decaySteps, l = lowerBound, u = upperBound and t the step:
 *
 * - t < D:    r = t / D,  lr = b + (a − b) · (1 − tanh(l · (1 − r) + u · r)) / 2
 * - t >= D:   lr = b
 *
 * At t = 0 the weight is (1 − tanh(l)) / 2 (0.99999917 for l = −7), so the curve starts a hair
 * below `initialValue`; it ends at weight (1 − tanh(u)) / 2 (0.00247 for u = 3) just before D and
 * then steps to `finalValue`, as timm does.
 *
 * Worked example: `tanhDecay({ initialValue: 0.1, decaySteps: 40 })(28)`: r = 0.7, argument
 * −7 · 0.3 + 3 · 0.7 = 0, so lr = 0.1 · 0.5 = 0.05.
 *
 * Elsewhere: timm `TanhLRScheduler(t_initial, lr_min, lb, ub)` (cycles and warm-up through
 * `join`/`cosineRestarts`-style composition); no PyTorch, Keras or optax built-in.
 *
 * Throws `ScheduleConfigError` for negative or non-finite values, `decaySteps` <= 0, `finalValue`
 * above `initialValue`, or `upperBound` <= `lowerBound`.
 */
export const tanhDecay = defineFamily<TanhDecayOptions, Required<TanhDecayOptions>>({
  type: 'tanhDecay',
  summary:
    'finalValue + (initialValue − finalValue) · (1 − tanh(lowerBound·(1 − t/D) + upperBound·t/D)) / 2.',
  options: {
    initialValue: { kind: 'number', min: 0, description: 'Upper level of the curve (approached at step 0).' },
    decaySteps: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      description: 'Length of the decay, in steps; finalValue from this step on.',
    },
    finalValue: {
      kind: 'number',
      min: 0,
      default: 0,
      description: 'Lower level, approached at decaySteps and used from it on (at most initialValue).',
    },
    lowerBound: { kind: 'number', default: -7, description: "Argument of tanh at step 0 (timm's lb)." },
    upperBound: {
      kind: 'number',
      default: 3,
      description: "Argument of tanh at decaySteps (timm's ub); must exceed lowerBound.",
    },
  },
  check: (o, issues) => {
    requireAtMost(issues, 'finalValue', o.finalValue, 'initialValue', o.initialValue);
    if (!(o.upperBound > o.lowerBound)) {
      issues.addRule(
        'upperBound',
        `upperBound must be greater than lowerBound (${o.lowerBound})`,
        `> ${o.lowerBound}`,
        o.upperBound,
      );
    }
  },
  build: ({ initialValue, decaySteps, finalValue, lowerBound, upperBound }) => {
    const amplitude = interpolationSpan(finalValue, initialValue);
    return (t) => {
      if (t >= decaySteps) return finalValue;
      const r = t / decaySteps;
      // 1 − tanh(x) is in [0, 2] because Math.tanh never leaves [−1, 1].
      return finalValue + amplitude * (0.5 * (1 - Math.tanh(lowerBound * (1 - r) + upperBound * r)));
    };
  },
  phases: ({ decaySteps }) => [
    { name: 'decay', start: 0, end: decaySteps },
    { name: 'final', start: decaySteps, end: Number.POSITIVE_INFINITY },
  ],
});
