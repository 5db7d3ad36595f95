import { defineFamily } from '../family';
import { cosineWeight, interpolationSpan } from './shared';

export interface OneCycleOptions {
  /** Peak learning rate, reached at step warmupFraction · totalSteps. */
  readonly maxValue: number;
  /** The whole run: the minimum is reached here and kept after. */
  readonly totalSteps: number;
  /** Share of totalSteps spent rising to the peak (at most 0.5 with threePhase). Default 0.3. */
  readonly warmupFraction?: number;
  /** Start value = maxValue / initialDivFactor. Default 25. */
  readonly initialDivFactor?: number;
  /** Minimum = start value / finalDivFactor. Default 10000. */
  readonly finalDivFactor?: number;
  /** Mirror the warm-up back down to the start value before the final annealing. Default false. */
  readonly threePhase?: boolean;
  /** Curve of every phase. Default `'cosine'`. */
  readonly annealShape?: 'cosine' | 'linear';
}

/**
 * The 1cycle policy (Smith & Topin 2018): rise from a low start value to `maxValue`, then anneal to
 * a much lower minimum.
 *
 * With M = maxValue, T = totalSteps, q = warmupFraction, a₀ = M / initialDivFactor,
 * a_min = a₀ / finalDivFactor, W = q · T and t the step:
 *
 * - two phases:    [0, W]: a₀ → M,   [W, T]: M → a_min
 * - three phases:  [0, W]: a₀ → M,   [W, 2W]: M → a₀,   [2W, T]: a₀ → a_min
 * - t >= T:        lr = a_min
 *
 * Within a phase from x to y over [s, e], with p = (t − s) / (e − s):
 *
 *   cosine:  lr = y + (x − y) · (1 + cos(π p)) / 2
 *   linear:  lr = x + (y − x) · p
 *
 * A step on a phase boundary belongs to the earlier phase (its end value); zero-length phases
 * are skipped. The peak M is exact at t = W and a_min is exact at t = T.
 *
 * Worked example: `oneCycle({ maxValue: 0.1, totalSteps: 100 })`: a₀ = 0.004, a_min = 4e-7,
 * peak at step 30; at step 15 it is 0.1 + (0.004 − 0.1) · (1 + cos(π/2)) / 2 = 0.052.
 *
 * Elsewhere: PyTorch `OneCycleLR(max_lr, total_steps, pct_start, anneal_strategy, div_factor,
 * final_div_factor, three_phase)` reaches its peak at step pct_start · total_steps − 1 and its
 * minimum at total_steps − 1 (map with T = total_steps − 1, q = (pct_start · total_steps − 1) / T);
 * optax `cosine_onecycle_schedule` / `linear_onecycle_schedule` use whole-step boundaries; Keras
 * has none.
 *
 * Throws `ScheduleConfigError` for negative or non-finite values, `totalSteps` <= 0, division
 * factors below 1, `warmupFraction` outside [0, 1], or above 0.5 with `threePhase`.
 */
export const oneCycle = defineFamily<OneCycleOptions, Required<OneCycleOptions>>({
  type: 'oneCycle',
  summary:
    'The 1cycle policy: rise to maxValue over warmupFraction of the run, then anneal far below the start.',
  options: {
    maxValue: {
      kind: 'number',
      min: 0,
      description: 'Peak learning rate, reached at step warmupFraction · totalSteps.',
    },
    totalSteps: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      description: 'The whole run: the minimum is reached here and kept after.',
    },
    warmupFraction: {
      kind: 'number',
      min: 0,
      max: 1,
      default: 0.3,
      description: 'Share of totalSteps spent rising to the peak (at most 0.5 with threePhase).',
    },
    initialDivFactor: {
      kind: 'number',
      min: 1,
      default: 25,
      description: 'Start value = maxValue / initialDivFactor.',
    },
    finalDivFactor: {
      kind: 'number',
      min: 1,
      default: 1e4,
      description: 'Minimum = start value / finalDivFactor.',
    },
    threePhase: {
      kind: 'boolean',
      default: false,
      description: 'Mirror the warm-up back down to the start value before the final annealing.',
    },
    annealShape: {
      kind: 'enum',
      values: ['cosine', 'linear'],
      default: 'cosine',
      description: 'Curve of every phase.',
    },
  },
  check: (o, issues) => {
    if (o.threePhase && o.warmupFraction > 0.5) {
      issues.addRule(
        'warmupFraction',
        'warmupFraction must not exceed 0.5 when threePhase is true (the rise and the mirrored fall share the run)',
        '<= 0.5',
        o.warmupFraction,
      );
    }
  },
  build: ({
    maxValue,
    totalSteps,
    warmupFraction,
    initialDivFactor,
    finalDivFactor,
    threePhase,
    annealShape,
  }) => {
    const startValue = maxValue / initialDivFactor;
    const minValue = startValue / finalDivFactor;
    const peakStep = warmupFraction * totalSteps;
    // Up to three phases, stored flat (ends and end values) so that evaluation allocates nothing.
    const e1 = peakStep;
    const e2 = threePhase ? 2 * peakStep : peakStep;
    const v2 = threePhase ? startValue : maxValue;
    const cosine = annealShape === 'cosine';
    // p = 0 returns the phase's start value exactly (to + (from − to) can differ from it by an ulp).
    // Each phase's span is computed once: to − from from the anchor the shape interpolates from.
    const anneal = cosine
      ? (from: number, to: number, span: number, p: number) => (p === 0 ? from : to + span * cosineWeight(p))
      : (from: number, _to: number, span: number, p: number) => from + span * p;
    const spanOf = cosine
      ? (from: number, to: number) => interpolationSpan(to, from)
      : (from: number, to: number) => interpolationSpan(from, to);
    const rise = spanOf(startValue, maxValue);
    const fall = spanOf(maxValue, v2);
    const last = spanOf(v2, minValue);
    return (t) => {
      if (t >= totalSteps) return minValue;
      if (t <= e1 && e1 > 0) return t === e1 ? maxValue : anneal(startValue, maxValue, rise, t / e1);
      if (t <= e2 && e2 > e1) return t === e2 ? v2 : anneal(maxValue, v2, fall, (t - e1) / (e2 - e1));
      return anneal(v2, minValue, last, (t - e2) / (totalSteps - e2));
    };
  },
  phases: ({ totalSteps, warmupFraction, threePhase }) => {
    const w = warmupFraction * totalSteps;
    return [
      { name: 'warmup', start: 0, end: w },
      ...(threePhase
        ? [
            { name: 'down', start: w, end: 2 * w },
            { name: 'anneal', start: 2 * w, end: totalSteps },
          ]
        : [{ name: 'anneal', start: w, end: totalSteps }]),
      { name: 'final', start: totalSteps, end: Number.POSITIVE_INFINITY },
    ].filter((phase) => phase.end > phase.start);
  },
});
