import { defineFamily } from '../family';
import { countAtOrBelow, requireSorted } from './shared';

export interface MultiStepDecayOptions {
  /** Learning rate before the first milestone. */
  readonly initialValue: number;
  /** Steps at which the learning rate is multiplied by decayFactor, in non-decreasing order. */
  readonly milestones: readonly number[];
  /** Multiplier applied at each milestone. */
  readonly decayFactor: number;
}

/**
 * Multiplies the learning rate by `decayFactor` at each milestone.
 *
 * With a = initialValue, γ = decayFactor, m₁ <= m₂ <= … the milestones and t the step:
 *
 *   lr = a · γ^n(t),   n(t) = number of milestones m_i <= t
 *
 * The decay applies from the milestone step itself; a milestone listed twice applies γ twice
 * (as PyTorch does). Each level is the closed form a · γ^n, not a running product.
 *
 * Worked example: `multiStepDecay({ initialValue: 0.1, milestones: [3, 7], decayFactor: 0.5 })`
 * gives 0.1 at steps 0–2, 0.05 at 3–6 and 0.025 from 7 on.
 *
 * Elsewhere: PyTorch `MultiStepLR(milestones, gamma)` (sorts its milestones; here they must be
 * given sorted); timm `MultiStepLRScheduler(decay_t, decay_rate)` decays one step earlier;
 * Keras/optax piecewise-constant schedules.
 *
 * Throws `ScheduleConfigError` for a negative or non-finite `initialValue` or milestone, unsorted
 * milestones, or `decayFactor` outside [0, 1].
 */
export const multiStepDecay = defineFamily<MultiStepDecayOptions>({
  type: 'multiStepDecay',
  summary: 'initialValue · decayFactor^(number of milestones <= t).',
  options: {
    initialValue: { kind: 'number', min: 0, description: 'Learning rate before the first milestone.' },
    milestones: {
      kind: 'numberArray',
      min: 0,
      description: 'Steps at which the learning rate is multiplied by decayFactor, in non-decreasing order.',
    },
    decayFactor: { kind: 'number', min: 0, max: 1, description: 'Multiplier applied at each milestone.' },
  },
  check: (o, issues) => requireSorted(issues, 'milestones', o.milestones, false),
  build: ({ initialValue, milestones, decayFactor }) => {
    const sorted = [...milestones];
    const levels = sorted.map((_, index) => initialValue * decayFactor ** (index + 1));
    levels.unshift(initialValue);
    return (t) => levels[countAtOrBelow(sorted, t)] as number;
  },
  phases: ({ milestones }) => {
    const edges = [0, ...milestones.filter((m) => m > 0), Number.POSITIVE_INFINITY];
    const unique = edges.filter((edge, index) => index === 0 || edge > (edges[index - 1] as number));
    return unique.slice(0, -1).map((start, index) => ({
      name: `level ${index}`,
      start,
      end: unique[index + 1] as number,
    }));
  },
});
