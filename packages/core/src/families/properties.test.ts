/**
 * Property tests for every family (fast-check, 10,000 runs each): for arbitrary valid options and
 * arbitrary steps (fractional, integer, up to Number.MAX_VALUE, plus each config's phase
 * boundaries) every value is finite and >= 0, stays within the family's declared bounds, is
 * monotone where the family promises it, is pure (same step, same value, in any evaluation order)
 * and survives a JSON round trip bit for bit.
 *
 * Bounds and monotonicity are checked up to rounding: 1e-14 of the schedule's largest value
 * (transcendental functions are not correctly rounded, so a curve may wobble by an ulp or two).
 * Non-negativity and finiteness are checked exactly. ANNEAL_PROPERTY_RUNS overrides the number of
 * runs (for longer local explorations); CI uses the default.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromConfig, toConfig } from '../config';
import { familyCases } from './arbitraries.test-utils';
import { stepArb } from './family-case.test-utils';
import { cosineDecay, cosineRestarts, cyclic } from './index';

const RUNS = Number(process.env.ANNEAL_PROPERTY_RUNS ?? 10_000);
const ROUNDING = 1e-14;
/** Products of subnormal learning rates round to a multiple of Number.MIN_VALUE. */
const SUBNORMAL_SLACK = 4 * Number.MIN_VALUE;

describe.each(familyCases)('$type', (family) => {
  it(`is finite, >= 0, bounded, monotone where promised, pure and round-trips (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        family.options,
        fc.array(stepArb, { minLength: 1, maxLength: 8 }),
        (options, randomSteps) => {
          const schedule = family.build(options);
          const keySteps = (family.keySteps?.(options) ?? []).filter(
            (t) => t >= 0 && t < Number.POSITIVE_INFINITY,
          );
          const steps = [...randomSteps, ...keySteps].sort((a, b) => a - b);
          const values = steps.map((t) => schedule(t));
          const [lo, hi] = family.bounds(options);
          const slack = ROUNDING * hi + SUBNORMAL_SLACK;
          const context = () =>
            `${JSON.stringify(options)} at steps ${JSON.stringify(steps)} gave ${JSON.stringify(values)}`;

          values.forEach((value, index) => {
            if (!(Number.isFinite(value) && value >= 0))
              throw new Error(`not finite and >= 0 at step ${steps[index]}: ${context()}`);
            if (!(value >= lo - slack && value <= hi + slack)) {
              throw new Error(`outside [${lo}, ${hi}] at step ${steps[index]}: ${context()}`);
            }
          });

          for (const range of family.monotone?.(options) ?? []) {
            for (let i = 1; i < steps.length; i++) {
              const t0 = steps[i - 1] as number;
              const t1 = steps[i] as number;
              if (!(t0 >= range.from && t1 < range.to)) continue;
              const v0 = values[i - 1] as number;
              const v1 = values[i] as number;
              const ok = range.direction === 'down' ? v1 <= v0 + slack : v1 >= v0 - slack;
              if (!ok)
                throw new Error(
                  `not ${range.direction} on [${range.from}, ${range.to}) between ${t0} and ${t1}: ${context()}`,
                );
            }
          }

          // Pure: a fresh schedule evaluated in reverse order gives the same values.
          const fresh = family.build(options);
          for (let i = steps.length - 1; i >= 0; i--) {
            if (fresh(steps[i] as number) !== values[i])
              throw new Error(`not pure at step ${steps[i]}: ${context()}`);
          }

          // JSON round trip, bit for bit.
          const back = fromConfig(JSON.parse(JSON.stringify(toConfig(schedule))));
          steps.forEach((t, index) => {
            if (back(t) !== values[index])
              throw new Error(`round trip changed the value at step ${t}: ${context()}`);
          });
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('periodicity', () => {
  // Whole and quarter steps keep t, t + period and the cycle arithmetic exact, so equality is exact.
  const quarterStep = fc.integer({ min: 0, max: 40_000 }).map((n) => n / 4);

  it(`cyclic in triangular mode repeats every stepUpSteps + stepDownSteps (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 50 }),
        quarterStep,
        (lo, hi, up, down, t) => {
          fc.pre(up + down > 0);
          const s = cyclic({
            minValue: Math.min(lo, hi) / 1000,
            maxValue: Math.max(lo, hi) / 1000,
            stepUpSteps: up,
            stepDownSteps: down,
          });
          expect(s(t + up + down)).toBe(s(t));
        },
      ),
      { numRuns: RUNS },
    );
  });

  // The angle is π · t / D unreduced, as the libraries compute it, so two steps a period apart agree
  // to the rounding of their angles, not bit for bit: each angle θ is within about θ · 2^-52 of the
  // exact one, which moves (1 + cos θ) / 2 by at most half that; a few ulps more for cos and the sum.
  it(`cosineDecay with periodic repeats every 2 · decaySteps, to the rounding of its angle (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 50 }),
        quarterStep,
        (initial, decay, t) => {
          const s = cosineDecay({ initialValue: initial / 1000, decaySteps: decay, periodic: true });
          const angle = Math.PI * (t / decay + 2);
          const bound = (initial / 1000) * Number.EPSILON * (angle + 4);
          expect(Math.abs(s(t + 2 * decay) - s(t))).toBeLessThanOrEqual(bound);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(`cosineRestarts with cycleLengthFactor 1 and no peak decay repeats every cycle (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 50 }),
        quarterStep,
        (peak, cycle, warmup, t) => {
          const s = cosineRestarts({
            peakValue: peak / 1000,
            firstCycleSteps: cycle,
            warmupSteps: Math.min(warmup, cycle),
          });
          expect(s(t + cycle)).toBe(s(t));
        },
      ),
      { numRuns: RUNS },
    );
  });
});
