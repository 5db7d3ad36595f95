import { defineFamily } from '../family';
import { interpolationSpan } from './shared';

export interface PolynomialOptions {
  /** Learning rate up to and at step transitionBeginSteps. */
  readonly initialValue: number;
  /** Learning rate reached after decaySteps (and kept after, unless cycle). Default 0. */
  readonly finalValue?: number;
  /** Length of the polynomial decay, in steps. */
  readonly decaySteps: number;
  /** Exponent of the decay (1: a straight line). Default 1. */
  readonly power?: number;
  /** Restart the decay each time it ends, its span grown by decaySteps (Keras cycle=True). Default false. */
  readonly cycle?: boolean;
  /** Steps held at initialValue before the decay starts. Default 0. */
  readonly transitionBeginSteps?: number;
}

/**
 * Polynomial decay from `initialValue` to `finalValue`, as Keras `PolynomialDecay` and optax
 * `polynomial_schedule`.
 *
 * With a = initialValue, b = finalValue, D = decaySteps, p = power, B = transitionBeginSteps,
 * t the step and s = max(0, t − B):
 *
 * - without cycle:  lr = b + (a − b) · (1 − min(s, D) / D)^p
 * - with cycle:     lr = b + (a − b) · (1 − s / D′)^p,  D′ = D · max(1, ⌈s / D⌉)
 *
 * With `cycle`, each time s passes a multiple of D the span D′ grows by D, so the curve jumps
 * back up (to b + (a − b)(1/2)^p after the first span) and decays again to b at s = D′.
 *
 * Worked example: `polynomial({ initialValue: 1, finalValue: 0.01, decaySteps: 100, power: 2 })(50)`
 * = 0.01 + 0.99 · 0.5² = 0.2575.
 *
 * Elsewhere: Keras `PolynomialDecay(initial_learning_rate, decay_steps, end_learning_rate, power,
 * cycle)`; optax `polynomial_schedule(init_value, end_value, power, transition_steps,
 * transition_begin)`; PyTorch `PolynomialLR(total_iters, power)` (b = 0).
 *
 * Throws `ScheduleConfigError` for negative or non-finite values, `decaySteps` <= 0 or
 * `power` <= 0.
 */
export const polynomial = defineFamily<PolynomialOptions, Required<PolynomialOptions>>({
  type: 'polynomial',
  summary: 'Polynomial decay (1 − s/D)^power from initialValue to finalValue, optionally cycling.',
  options: {
    initialValue: {
      kind: 'number',
      min: 0,
      description: 'Learning rate up to and at step transitionBeginSteps.',
    },
    finalValue: {
      kind: 'number',
      min: 0,
      default: 0,
      description: 'Learning rate reached after decaySteps (and kept after, unless cycle).',
    },
    decaySteps: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      description: 'Length of the polynomial decay, in steps.',
    },
    power: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      default: 1,
      description: 'Exponent of the decay (1: a straight line).',
    },
    cycle: {
      kind: 'boolean',
      default: false,
      description: 'Restart the decay each time it ends, its span grown by decaySteps (Keras cycle=True).',
    },
    transitionBeginSteps: {
      kind: 'number',
      min: 0,
      default: 0,
      description: 'Steps held at initialValue before the decay starts.',
    },
  },
  build: ({ initialValue, finalValue, decaySteps, power, cycle, transitionBeginSteps }) => {
    const delta = interpolationSpan(finalValue, initialValue);
    if (cycle) {
      return (t) => {
        const s = t - transitionBeginSteps;
        if (s <= 0) return initialValue;
        // 1 − s / D′ with D′ = D · ⌈s / D⌉ equals (D − r) / (s − r + D), r = s mod D (exact in floating
        // point). This form is in [0, 1] for every s, even where s / D is beyond 2^53.
        const r = s % decaySteps;
        if (r === 0) return finalValue;
        return finalValue + delta * ((decaySteps - r) / (s - r + decaySteps)) ** power;
      };
    }
    return (t) => {
      const s = t - transitionBeginSteps;
      if (s <= 0) return initialValue;
      const f = s / decaySteps;
      if (f >= 1) return finalValue;
      return finalValue + delta * (1 - f) ** power;
    };
  },
  phases: ({ transitionBeginSteps, decaySteps, cycle }) =>
    [
      { name: 'initial', start: 0, end: transitionBeginSteps },
      {
        name: 'decay',
        start: transitionBeginSteps,
        end: cycle ? Number.POSITIVE_INFINITY : transitionBeginSteps + decaySteps,
      },
      ...(cycle
        ? []
        : [{ name: 'final', start: transitionBeginSteps + decaySteps, end: Number.POSITIVE_INFINITY }]),
    ].filter((phase) => phase.end > phase.start),
});
