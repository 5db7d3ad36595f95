import { defineFamily } from '../family';
import { Powers } from './shared';

export interface StepDecayOptions {
  /** Learning rate before the first decay. */
  readonly initialValue: number;
  /** Steps between two decays (fractional allowed). */
  readonly intervalSteps: number;
  /** Multiplier applied at each decay. */
  readonly decayFactor: number;
}

/**
 * Multiplies the learning rate by `decayFactor` every `intervalSteps` steps.
 *
 * With a = initialValue, γ = decayFactor, N = intervalSteps and t the step:
 *
 *   lr = a · γ^⌊t / N⌋
 *
 * The first decay happens at t = N (step N uses a · γ).
 *
 * Worked example: `stepDecay({ initialValue: 0.1, intervalSteps: 3, decayFactor: 0.5 })(7)`
 * = 0.1 · 0.5² = 0.025.
 *
 * Elsewhere: PyTorch `StepLR(step_size, gamma)`; timm `StepLRScheduler(decay_t, decay_rate)`;
 * Keras `ExponentialDecay(staircase=True)`; optax `exponential_decay(staircase=True)`.
 *
 * Throws `ScheduleConfigError` for a negative or non-finite `initialValue`, `intervalSteps` <= 0,
 * or `decayFactor` outside [0, 1].
 */
export const stepDecay = defineFamily<StepDecayOptions>({
  type: 'stepDecay',
  summary: 'initialValue · decayFactor^⌊t / intervalSteps⌋: a decay every intervalSteps steps.',
  options: {
    initialValue: { kind: 'number', min: 0, description: 'Learning rate before the first decay.' },
    intervalSteps: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      description: 'Steps between two decays (fractional allowed).',
    },
    decayFactor: { kind: 'number', min: 0, max: 1, description: 'Multiplier applied at each decay.' },
  },
  build: ({ initialValue, intervalSteps, decayFactor }) => {
    // 1^Infinity is NaN in JavaScript (t / N overflows for huge steps), so γ = 1 is a constant.
    if (decayFactor === 1) return () => initialValue;
    // 0^0 is 1, so γ = 0 gives a, then 0.
    // γ ** n from a table (bit for bit), not Math.pow on every call.
    const powers = new Powers(decayFactor);
    return (t) => initialValue * powers.whole(Math.floor(t / intervalSteps));
  },
  phases: () => [{ name: 'decay', start: 0, end: Number.POSITIVE_INFINITY }],
});
