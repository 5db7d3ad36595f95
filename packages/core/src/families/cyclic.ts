import { defineFamily } from '../family';
import { exactQuotientLimit, interpolationSpan, Powers, remainder, requireAtMost } from './shared';

export interface CyclicOptions {
  /** Bottom of every cycle (at most maxValue). */
  readonly minValue: number;
  /** Top of the first cycle. */
  readonly maxValue: number;
  /** Steps of the rising half of a cycle. */
  readonly stepUpSteps: number;
  /** Steps of the falling half of a cycle (absent: stepUpSteps). */
  readonly stepDownSteps?: number;
  /**
   * Amplitude policy: constant (triangular), halved every cycle (triangular2) or multiplied by decayFactor
   * per scale unit (expRange). Default `'triangular'`.
   */
  readonly mode?: 'triangular' | 'triangular2' | 'expRange';
  /** expRange only: the amplitude is multiplied by this per scale unit (absent: 1). */
  readonly decayFactor?: number;
  /**
   * What counts as one scale unit: a cycle or a step (iterations); absent: cycle for the triangular modes,
   * iterations for expRange.
   */
  readonly scaleMode?: 'cycle' | 'iterations';
}

type Resolved = Required<Omit<CyclicOptions, 'stepDownSteps' | 'decayFactor' | 'scaleMode'>> &
  Pick<CyclicOptions, 'stepDownSteps' | 'decayFactor' | 'scaleMode'>;

/**
 * Cyclical learning rates (Smith 2017): a triangle wave between `minValue` and `maxValue` whose
 * amplitude can shrink.
 *
 * With lo = minValue, hi = maxValue, u = stepUpSteps, d = stepDownSteps, C = u + d and t the step:
 *
 *   r = t mod C (position in the cycle),  k = (t − r) / C (cycle index, 0-based)
 *   h = r / u when r < u, else 1 − (r − u) / d    (0 at a cycle start, 1 at its top)
 *   j = k when scaleMode is 'cycle', t when 'iterations'
 *   g = 1 (triangular),  (1/2)^j (triangular2),  γ^j (expRange, γ = decayFactor)
 *   lr = lo + (hi − lo) · h · g
 *
 * The first cycle always reaches `maxValue` (g = 1 at j = 0); values stay within [lo, hi].
 *
 * g is read from a table of powers: exactly `base ** j` for a whole j ('cycle'), within a few ulps
 * of it for a real j ('iterations', see `exponentialDecay`).
 *
 * Worked example: `cyclic({ minValue: 0.001, maxValue: 0.006, stepUpSteps: 4 })(6)`: C = 8,
 * r = 6, h = (8 − 6) / 4 = 0.5, lr = 0.001 + 0.005 · 0.5 = 0.0035.
 *
 * Elsewhere: PyTorch `CyclicLR(base_lr, max_lr, step_size_up, step_size_down, mode, gamma,
 * scale_mode)` — same built-in modes (its `exp_range` is γ^t per iteration; its custom `scale_fn`
 * has no JSON form); Keras and optax have no built-in.
 *
 * Throws `ScheduleConfigError` for negative or non-finite values, `minValue` above `maxValue`,
 * negative step counts or `stepUpSteps + stepDownSteps` = 0, `decayFactor` outside (0, 1] or
 * given for a mode other than `'expRange'`.
 */
export const cyclic = defineFamily<CyclicOptions, Resolved>({
  type: 'cyclic',
  summary: 'Triangle wave between minValue and maxValue (triangular, triangular2 or expRange amplitude).',
  options: {
    minValue: { kind: 'number', min: 0, description: 'Bottom of every cycle (at most maxValue).' },
    maxValue: { kind: 'number', min: 0, description: 'Top of the first cycle.' },
    stepUpSteps: { kind: 'number', min: 0, description: 'Steps of the rising half of a cycle.' },
    stepDownSteps: {
      kind: 'number',
      min: 0,
      optional: true,
      description: 'Steps of the falling half of a cycle (absent: stepUpSteps).',
    },
    mode: {
      kind: 'enum',
      values: ['triangular', 'triangular2', 'expRange'],
      default: 'triangular',
      description:
        'Amplitude policy: constant (triangular), halved every cycle (triangular2) or multiplied by decayFactor per scale unit (expRange).',
    },
    decayFactor: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      max: 1,
      optional: true,
      description: 'expRange only: the amplitude is multiplied by this per scale unit (absent: 1).',
    },
    scaleMode: {
      kind: 'enum',
      values: ['cycle', 'iterations'],
      optional: true,
      description:
        'What counts as one scale unit: a cycle or a step (iterations); absent: cycle for the triangular modes, iterations for expRange.',
    },
  },
  check: (o, issues) => {
    requireAtMost(issues, 'minValue', o.minValue, 'maxValue', o.maxValue);
    const down = o.stepDownSteps ?? o.stepUpSteps;
    if (!(o.stepUpSteps + down > 0)) {
      issues.addRule(
        'stepUpSteps',
        'stepUpSteps + stepDownSteps must be greater than 0 (a cycle needs a length)',
        '> 0',
        o.stepUpSteps + down,
      );
    }
    if (o.decayFactor !== undefined && o.mode !== 'expRange') {
      issues.addRule(
        'decayFactor',
        `decayFactor only applies to mode "expRange" (mode is "${o.mode}")`,
        'absent',
        o.decayFactor,
      );
    }
  },
  build: ({ minValue, maxValue, stepUpSteps, stepDownSteps, mode, decayFactor, scaleMode }) => {
    const up = stepUpSteps;
    const down = stepDownSteps ?? stepUpSteps;
    const cycle = up + down;
    const height = interpolationSpan(minValue, maxValue);
    const perCycle = (scaleMode ?? (mode === 'expRange' ? 'iterations' : 'cycle')) === 'cycle';
    const base = mode === 'triangular2' ? 0.5 : mode === 'expRange' ? (decayFactor ?? 1) : 1;
    const constantScale = mode === 'triangular' || base === 1;
    const limit = exactQuotientLimit(cycle);
    // g = base^j from a table: exactly base ** j for a whole j (per cycle), within a few ulps of it
    // for a real j (per step).
    const powers = new Powers(base);
    return (t) => {
      // The floating-point remainder is exact: r = t % C, in [0, C) for every t, however large.
      const r = remainder(t, cycle, limit);
      // Falling side as 1 − (r − u)/d: r − u < d for every representable r < fl(u + d), so h stays
      // in [0, 1] even when u + d rounds up.
      const h = r < up ? r / up : 1 - (r - up) / down;
      if (constantScale) return minValue + height * h;
      const g = perCycle ? powers.whole(Math.round((t - r) / cycle)) : powers.real(t);
      return minValue + height * h * g;
    };
  },
  phases: (o) => {
    const down = o.stepDownSteps ?? o.stepUpSteps;
    return [
      { name: 'up', start: 0, end: o.stepUpSteps },
      { name: 'down', start: o.stepUpSteps, end: o.stepUpSteps + down },
      { name: 'more cycles', start: o.stepUpSteps + down, end: Number.POSITIVE_INFINITY },
    ].filter((phase) => phase.end > phase.start);
  },
});
