import { defineFamily } from '../family';
import { cosineWeight, countAtOrBelow, interpolationSpan, requireSorted } from './shared';

export interface PiecewiseInterpolateOptions {
  /** Steps of the points, in non-decreasing order (a repeated step makes a jump). */
  readonly boundaries: readonly number[];
  /** Learning rate at each point (as many as boundaries). */
  readonly values: readonly number[];
  /** How to join two neighbouring points. Default `'linear'`. */
  readonly interpolation?: 'linear' | 'cosine';
}

/**
 * Interpolates between points (bᵢ, vᵢ), linearly or along a half cosine; flat before the first
 * point and after the last.
 *
 * With b₀ <= b₁ <= … <= b_{n−1} the boundaries, v₀ … v_{n−1} the values and t the step:
 *
 * - t < b₀:               lr = v₀
 * - t >= b_{n−1}:         lr = v_{n−1}
 * - b_{i−1} <= t < b_i:   f = (t − b_{i−1}) / (b_i − b_{i−1}),
 *                         linear: lr = v_{i−1} + (v_i − v_{i−1}) · f
 *                         cosine: lr = v_i + (v_{i−1} − v_i) · (1 + cos(π f)) / 2
 *
 * When a boundary is repeated (b_{i−1} = b_i) the value jumps to v_i at that step.
 *
 * Worked example: `piecewiseInterpolate({ boundaries: [0, 4, 8], values: [1, 0.1, 0.01] })(2)`
 * = 1 + (0.1 − 1) · 0.5 = 0.55.
 *
 * Elsewhere: optax `piecewise_interpolate_schedule(interpolate_type, init_value,
 * boundaries_and_scales)` is the points (0, init) and (bᵢ, init · Π scales); PyTorch has none.
 *
 * Throws `ScheduleConfigError` for negative or non-finite entries, boundaries out of order, or
 * arrays of different lengths.
 */
export const piecewiseInterpolate = defineFamily<
  PiecewiseInterpolateOptions,
  Required<PiecewiseInterpolateOptions>
>({
  type: 'piecewiseInterpolate',
  summary: 'Linear or cosine interpolation between points (boundaries[i], values[i]), flat outside.',
  options: {
    boundaries: {
      kind: 'numberArray',
      min: 0,
      minLength: 1,
      description: 'Steps of the points, in non-decreasing order (a repeated step makes a jump).',
    },
    values: {
      kind: 'numberArray',
      min: 0,
      minLength: 1,
      description: 'Learning rate at each point (as many as boundaries).',
    },
    interpolation: {
      kind: 'enum',
      values: ['linear', 'cosine'],
      default: 'linear',
      description: 'How to join two neighbouring points.',
    },
  },
  check: (o, issues) => {
    requireSorted(issues, 'boundaries', o.boundaries, false);
    if (o.values.length !== o.boundaries.length) {
      issues.addRule(
        'values',
        `values must have as many entries as boundaries (${o.boundaries.length})`,
        `an array of length ${o.boundaries.length}`,
        o.values.length,
      );
    }
  },
  build: ({ boundaries, values, interpolation }) => {
    const steps = [...boundaries];
    const levels = [...values];
    const n = steps.length;
    const first = levels[0] as number;
    const last = levels[n - 1] as number;
    const cosine = interpolation === 'cosine';
    // Per piece k (from point k − 1 to point k), the span from the anchor its shape starts from:
    // v₁ − v₀ from v₀ (linear), v₀ − v₁ from v₁ (cosine).
    const spans = levels.map((v1, k) => {
      const v0 = levels[k - 1] ?? v1;
      return cosine ? interpolationSpan(v1, v0) : interpolationSpan(v0, v1);
    });
    return (t) => {
      const k = countAtOrBelow(steps, t);
      if (k === 0) return first;
      if (k === n) return last;
      // steps[k − 1] <= t < steps[k], so the width is > 0 and f is in [0, 1).
      const b0 = steps[k - 1] as number;
      const f = (t - b0) / ((steps[k] as number) - b0);
      if (cosine) return (levels[k] as number) + (spans[k] as number) * cosineWeight(f);
      return (levels[k - 1] as number) + (spans[k] as number) * f;
    };
  },
  phases: ({ boundaries }) => {
    const edges = [0, ...boundaries.filter((b) => b > 0), Number.POSITIVE_INFINITY];
    const unique = edges.filter((edge, index) => index === 0 || edge > (edges[index - 1] as number));
    return unique
      .slice(0, -1)
      .map((start, index) => ({ name: `piece ${index}`, start, end: unique[index + 1] as number }));
  },
});
