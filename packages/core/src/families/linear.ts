import { defineFamily } from '../family';
import { interpolationSpan } from './shared';

export interface LinearOptions {
  /** Learning rate up to and at step transitionBeginSteps. */
  readonly initialValue: number;
  /** Learning rate reached at step transitionBeginSteps + transitionSteps and kept after. */
  readonly finalValue: number;
  /** Length of the straight line, in steps (0: a jump to finalValue at transitionBeginSteps). */
  readonly transitionSteps: number;
  /** Steps held at initialValue before the line starts. Default 0. */
  readonly transitionBeginSteps?: number;
}

/**
 * A straight line from `initialValue` to `finalValue` (either direction), held flat before and after.
 *
 * With a = initialValue, b = finalValue, B = transitionBeginSteps, T = transitionSteps and t the step:
 *
 * - t <= B:          lr = a   (t < B when T = 0)
 * - B < t < B + T:   lr = b + (a − b) · (1 − (t − B) / T)
 * - t >= B + T:      lr = b
 *
 * Worked example: `linear({ initialValue: 0.1, finalValue: 0.001, transitionSteps: 20 })(5)`
 * = 0.001 + 0.099 · (1 − 5/20) = 0.07525.
 *
 * Elsewhere: optax `linear_schedule(init_value, end_value, transition_steps, transition_begin)`;
 * PyTorch `LinearLR(start_factor, end_factor, total_iters)` (factors × base lr); Keras
 * `PolynomialDecay(power=1)`.
 *
 * Throws `ScheduleConfigError` for negative or non-finite values or durations.
 */
export const linear = defineFamily<LinearOptions, Required<LinearOptions>>({
  type: 'linear',
  summary: 'A straight line from initialValue to finalValue over transitionSteps, flat before and after.',
  options: {
    initialValue: {
      kind: 'number',
      min: 0,
      description: 'Learning rate up to and at step transitionBeginSteps.',
    },
    finalValue: {
      kind: 'number',
      min: 0,
      description: 'Learning rate reached at step transitionBeginSteps + transitionSteps and kept after.',
    },
    transitionSteps: {
      kind: 'number',
      min: 0,
      description: 'Length of the straight line, in steps (0: a jump to finalValue at transitionBeginSteps).',
    },
    transitionBeginSteps: {
      kind: 'number',
      min: 0,
      default: 0,
      description: 'Steps held at initialValue before the line starts.',
    },
  },
  build: ({ initialValue, finalValue, transitionSteps, transitionBeginSteps }) => {
    const delta = interpolationSpan(finalValue, initialValue);
    return (t) => {
      if (t < transitionBeginSteps) return initialValue;
      if (t === transitionBeginSteps) return transitionSteps > 0 ? initialValue : finalValue;
      // The progress is compared with 1 (rather than t with a precomputed end step) so that rounding
      // can never push the weight 1 − f below 0. With transitionSteps = 0, f = +Infinity.
      const f = (t - transitionBeginSteps) / transitionSteps;
      if (f >= 1) return finalValue;
      return finalValue + delta * (1 - f);
    };
  },
  phases: ({ transitionBeginSteps, transitionSteps }) =>
    [
      { name: 'initial', start: 0, end: transitionBeginSteps },
      { name: 'transition', start: transitionBeginSteps, end: transitionBeginSteps + transitionSteps },
      { name: 'final', start: transitionBeginSteps + transitionSteps, end: Number.POSITIVE_INFINITY },
    ].filter((phase) => phase.end > phase.start),
});
