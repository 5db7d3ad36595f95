import { defineFamily } from '../family';
import { countAtOrBelow, requireSorted } from './shared';

export interface PiecewiseConstantOptions {
  /** Steps at which the value changes, strictly increasing. */
  readonly boundaries: readonly number[];
  /**
   * Learning rates, one more than boundaries: values[0] before boundaries[0], values[i + 1] from
   * boundaries[i] on.
   */
  readonly values: readonly number[];
}

/**
 * A step function: constant between boundaries.
 *
 * With b₀ < b₁ < … < b_{n−1} the boundaries, v₀ … v_n the values and t the step:
 *
 *   lr = v_k,   k = number of boundaries b_i <= t
 *
 * So the switch happens at the boundary itself: v_{i+1} is used from step b_i on.
 *
 * Worked example: `piecewiseConstant({ boundaries: [10, 20], values: [0.1, 0.05, 0.01] })` gives
 * 0.1 at steps 0–9, 0.05 at 10–19 and 0.01 from 20 on.
 *
 * Elsewhere: Keras `PiecewiseConstantDecay(boundaries, values)` switches one step later (v_{i+1}
 * from b_i + 1 on); optax `piecewise_constant_schedule(init_value, boundaries_and_scales)` uses
 * scales (v_{i+1} = v_i · scale_i) and switches at the boundary.
 *
 * Throws `ScheduleConfigError` for negative or non-finite entries, boundaries not strictly
 * increasing, or `values.length` ≠ `boundaries.length + 1`.
 */
export const piecewiseConstant = defineFamily<PiecewiseConstantOptions>({
  type: 'piecewiseConstant',
  summary: 'values[k] where k is the number of boundaries <= t (the switch happens at the boundary).',
  options: {
    boundaries: {
      kind: 'numberArray',
      min: 0,
      description: 'Steps at which the value changes, strictly increasing.',
    },
    values: {
      kind: 'numberArray',
      min: 0,
      minLength: 1,
      description:
        'Learning rates, one more than boundaries: values[0] before boundaries[0], values[i + 1] from boundaries[i] on.',
    },
  },
  check: (o, issues) => {
    requireSorted(issues, 'boundaries', o.boundaries, true);
    if (o.values.length !== o.boundaries.length + 1) {
      issues.addRule(
        'values',
        `values must have one more entry than boundaries (${o.boundaries.length + 1})`,
        `an array of length ${o.boundaries.length + 1}`,
        o.values.length,
      );
    }
  },
  build: ({ boundaries, values }) => {
    const edges = [...boundaries];
    const levels = [...values];
    return (t) => levels[countAtOrBelow(edges, t)] as number;
  },
  phases: ({ boundaries }) => {
    const edges = [0, ...boundaries.filter((b) => b > 0), Number.POSITIVE_INFINITY];
    return edges
      .slice(0, -1)
      .map((start, index) => ({ name: `piece ${index}`, start, end: edges[index + 1] as number }));
  },
});
