import { defineFamily } from '../family';
import { Powers, requireAtLeast, requireAtMost } from './shared';

export interface ExponentialDecayOptions {
  /** Learning rate up to and at step transitionBeginSteps. */
  readonly initialValue: number;
  /** Steps over which the learning rate is multiplied by decayFactor once. */
  readonly decaySteps: number;
  /** Multiplier applied per decaySteps (< 1 decays, > 1 grows and then needs endValue). */
  readonly decayFactor: number;
  /** Multiply in whole steps of decaySteps (a staircase) instead of continuously. Default false. */
  readonly staircase?: boolean;
  /** Steps held at initialValue before the decay starts. Default 0. */
  readonly transitionBeginSteps?: number;
  /**
   * Bound: a floor when decaying (decayFactor < 1), a ceiling when growing (decayFactor > 1, where it is
   * required).
   */
  readonly endValue?: number;
}

type Resolved = Required<Omit<ExponentialDecayOptions, 'endValue'>> & { readonly endValue?: number };

/**
 * Exponential decay (or growth) by `decayFactor` every `decaySteps`, as optax `exponential_decay`.
 *
 * With a = initialValue, γ = decayFactor, D = decaySteps, B = transitionBeginSteps, e = endValue,
 * t the step and s = max(0, t − B):
 *
 *   p = s / D            (continuous)      or   p = ⌊s / D⌋   (staircase)
 *   v = a · γ^p
 *   lr = max(v, e) when γ < 1,  min(v, e) when γ > 1,  v when e is not set or γ = 1
 *
 * γ^p is γ^⌊p⌋ from a table of `γ ** n` (so a whole p, and every staircase value, is exactly what
 * `**` gives) times e^((p − ⌊p⌋) ln γ), at a quarter of the cost of `**`: within 2 (2 + |ln γ|)
 * ulps of `γ ** p` (3 ulps for γ in [0.5, 1]). Past p = 4096 it is e^(p ln γ), within
 * 2 (2 + |p ln γ|) ulps (a relative 4e-13 at most, wherever it does not underflow).
 *
 * Worked example: `exponentialDecay({ initialValue: 0.1, decaySteps: 10, decayFactor: 0.5 })(15)`
 * = 0.1 · 0.5^1.5 ≈ 0.0353553; with `staircase: true` it is 0.1 · 0.5^1 = 0.05.
 *
 * Elsewhere: optax `exponential_decay(init_value, transition_steps, decay_rate, transition_begin,
 * staircase, end_value)`; Keras `ExponentialDecay(initial_learning_rate, decay_steps, decay_rate,
 * staircase)`; PyTorch `ExponentialLR(gamma)` is D = 1.
 *
 * Throws `ScheduleConfigError` for negative or non-finite values, `decaySteps` <= 0,
 * `decayFactor` <= 0, a growing schedule (`decayFactor` > 1) without `endValue` (it would
 * overflow), `endValue` above `initialValue` when decaying or below it when growing.
 */
export const exponentialDecay = defineFamily<ExponentialDecayOptions, Resolved>({
  type: 'exponentialDecay',
  summary:
    'initialValue · decayFactor^(s / decaySteps), continuous or staircase, optionally delayed and bounded.',
  options: {
    initialValue: {
      kind: 'number',
      min: 0,
      description: 'Learning rate up to and at step transitionBeginSteps.',
    },
    decaySteps: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      description: 'Steps over which the learning rate is multiplied by decayFactor once.',
    },
    decayFactor: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      description: 'Multiplier applied per decaySteps (< 1 decays, > 1 grows and then needs endValue).',
    },
    staircase: {
      kind: 'boolean',
      default: false,
      description: 'Multiply in whole steps of decaySteps (a staircase) instead of continuously.',
    },
    transitionBeginSteps: {
      kind: 'number',
      min: 0,
      default: 0,
      description: 'Steps held at initialValue before the decay starts.',
    },
    endValue: {
      kind: 'number',
      min: 0,
      optional: true,
      description:
        'Bound: a floor when decaying (decayFactor < 1), a ceiling when growing (decayFactor > 1, where it is required).',
    },
  },
  check: (o, issues) => {
    if (o.decayFactor > 1) {
      if (o.endValue === undefined) {
        issues.addRule(
          'endValue',
          `endValue is required when decayFactor > 1 (a growing schedule would overflow); decayFactor is ${o.decayFactor}`,
          'a finite number >= initialValue',
          undefined,
        );
      } else {
        requireAtLeast(issues, 'endValue', o.endValue, 'initialValue when decayFactor > 1', o.initialValue);
      }
    } else if (o.decayFactor < 1 && o.endValue !== undefined) {
      requireAtMost(issues, 'endValue', o.endValue, 'initialValue when decayFactor < 1', o.initialValue);
    }
  },
  build: ({ initialValue, decaySteps, decayFactor, staircase, transitionBeginSteps, endValue }) => {
    // a = 0 stays 0 (γ^p may overflow to Infinity when growing, and 0 · Infinity is NaN).
    if (initialValue === 0) return () => 0;
    // γ = 1 is a constant (and 1^Infinity is NaN in JavaScript when s / D overflows).
    if (decayFactor === 1) return () => initialValue;
    const growing = decayFactor > 1;
    const bounded = endValue !== undefined;
    const bound = endValue ?? 0;
    // γ^p without Math.pow on every call: γ^⌊p⌋ from a table (exactly γ ** n), times e^(frac · ln γ).
    const powers = new Powers(decayFactor);
    return (t) => {
      const s = t - transitionBeginSteps;
      if (s <= 0) return initialValue;
      const p = s / decaySteps;
      const v = initialValue * (staircase ? powers.whole(Math.floor(p)) : powers.real(p));
      if (!bounded) return v;
      // v is never NaN (a > 0); an overflow to Infinity lands on the ceiling.
      return growing ? Math.min(v, bound) : Math.max(v, bound);
    };
  },
  phases: ({ transitionBeginSteps }) =>
    [
      { name: 'initial', start: 0, end: transitionBeginSteps },
      { name: 'decay', start: transitionBeginSteps, end: Number.POSITIVE_INFINITY },
    ].filter((phase) => phase.end > phase.start),
});
