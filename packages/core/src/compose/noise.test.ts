import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  constant,
  custom,
  fromConfig,
  noise,
  ScheduleConfigError,
  toConfig,
  warmupCosineDecay,
} from '../index';
import { errorFunctions, hashUniform, inverseNormalCdf } from './noise';

describe('noise', () => {
  const base = warmupCosineDecay({ peakValue: 0.1, totalSteps: 1000, warmupSteps: 100 });

  it('is deterministic: the same (seed, step) gives the same value, in any order, across instances', () => {
    const a = noise({ schedule: base, seed: 7 });
    const b = noise({ schedule: base, seed: 7 });
    const steps = [5, 900, 17, 5, 123456789, 2 ** 52 + 2, 17];
    const forward = steps.map((t) => a(t));
    const backward = [...steps].reverse().map((t) => b(t));
    expect(backward.reverse()).toEqual(forward);
    expect(forward[0]).toBe(forward[3]);
  });

  it('shares one draw across the fractional steps of an integer step', () => {
    const s = noise({ schedule: constant({ value: 1 }), seed: 3 });
    expect(s(12.25)).toBe(s(12));
    expect(s(12.999)).toBe(s(12));
    expect(s(13)).not.toBe(s(12));
  });

  it('gives different sequences for different seeds, also seeds above 2^32', () => {
    const values = (seed: number) =>
      Array.from({ length: 20 }, (_, t) => noise({ schedule: constant({ value: 1 }), seed })(t));
    expect(values(1)).not.toEqual(values(2));
    expect(values(2 ** 40)).not.toEqual(values(2 ** 40 + 2 ** 32));
  });

  it('multiplies by 1 + n with |n| <= rangeFraction, never negative, for both kinds', () => {
    for (const kind of ['normal', 'uniform'] as const) {
      const s = noise({
        schedule: constant({ value: 2 }),
        seed: 11,
        kind,
        rangeFraction: 0.3,
        stdFraction: 0.2,
      });
      let largest = 0;
      let smallest = Number.POSITIVE_INFINITY;
      for (let t = 0; t < 20_000; t++) {
        largest = Math.max(largest, Math.abs(s(t) / 2 - 1));
        smallest = Math.min(smallest, s(t));
      }
      expect(largest).toBeLessThanOrEqual(0.3 + 1e-15);
      expect(largest).toBeGreaterThan(0.25);
      expect(smallest).toBeGreaterThan(0);
    }
  });

  it('has the moments of its distribution', () => {
    const count = 200_000;
    const moments = (kind: 'normal' | 'uniform', rangeFraction: number, stdFraction: number) => {
      const s = noise({ schedule: constant({ value: 1 }), seed: 5, kind, rangeFraction, stdFraction });
      let sum = 0;
      let sumSquares = 0;
      for (let t = 0; t < count; t++) {
        const n = s(t) - 1;
        sum += n;
        sumSquares += n * n;
      }
      return { mean: sum / count, variance: sumSquares / count - (sum / count) ** 2 };
    };
    const uniform = moments('uniform', 0.5, 1);
    expect(Math.abs(uniform.mean)).toBeLessThan(0.005);
    expect(Math.abs(uniform.variance - 0.25 / 3)).toBeLessThan(0.002);
    // Nearly untruncated normal: sigma 0.1 inside ±0.67.
    const normal = moments('normal', 0.67, 0.1);
    expect(Math.abs(normal.mean)).toBeLessThan(0.001);
    expect(Math.abs(normal.variance - 0.01)).toBeLessThan(0.0003);
    // Heavily truncated normal (timm defaults: std 1, range 0.67): variance of N(0,1) truncated to ±a
    // is 1 − 2aφ(a)/(2Φ(a) − 1).
    const a = 0.67;
    const phi = Math.exp((-a * a) / 2) / Math.sqrt(2 * Math.PI);
    const truncatedVariance = 1 - (2 * a * phi) / errorFunctions(a / Math.SQRT2).erf;
    const timm = moments('normal', 0.67, 1);
    expect(Math.abs(timm.variance - truncatedVariance)).toBeLessThan(0.003);
  });

  it('applies noise only within [startStep, endStep)', () => {
    const s = noise({ schedule: base, seed: 1, startStep: 10, endStep: 20 });
    for (const t of [0, 9, 9.9, 20, 21, 500]) expect(s(t)).toBe(base(t));
    expect([10, 11, 19].some((t) => s(t) !== base(t))).toBe(true);
  });

  it('round-trips through JSON', () => {
    const s = noise({ schedule: base, seed: 99, kind: 'uniform', rangeFraction: 0.1 });
    expect(toConfig(s)).toEqual({
      type: 'noise',
      schedule: toConfig(base),
      seed: 99,
      kind: 'uniform',
      stdFraction: 1,
      rangeFraction: 0.1,
      startStep: 0,
    });
    const back = fromConfig(JSON.parse(JSON.stringify(toConfig(s))));
    for (let t = 0; t < 1200; t += 7) expect(back(t)).toBe(s(t));
  });

  it('rests on correct building blocks (erf, inverse normal CDF, hash in (0, 1))', () => {
    // Known answers: erf(0.5) = 0.5204998778130465, erfc(4) = 1.541725790028002e-8.
    expect(Math.abs(errorFunctions(0.5).erf - 0.5204998778130465)).toBeLessThan(1e-15);
    expect(Math.abs(errorFunctions(4).erfc / 1.541725790028002e-8 - 1)).toBeLessThan(1e-12);
    // Φ⁻¹(0.975) = 1.959963984540054, Φ⁻¹(0.001) = −3.090232306167814 (Acklam: relative error < 1.2e-9).
    expect(Math.abs(inverseNormalCdf(0.975) / 1.959963984540054 - 1)).toBeLessThan(1.2e-9);
    expect(Math.abs(inverseNormalCdf(0.001) / -3.090232306167814 - 1)).toBeLessThan(1.2e-9);
    expect(inverseNormalCdf(0.5)).toBe(0);
    for (const step of [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1]) {
      const u = hashUniform(0, 0, step);
      expect(u > 0 && u < 1).toBe(true);
    }
  });

  it.each([
    [
      { schedule: base, rangeFraction: 1.5 },
      'noise: rangeFraction must be a finite number in (0, 1]; received 1.5.',
    ],
    [
      { schedule: base, rangeFraction: 0 },
      'noise: rangeFraction must be a finite number in (0, 1]; received 0.',
    ],
    [{ schedule: base, stdFraction: 0 }, 'noise: stdFraction must be a finite number > 0; received 0.'],
    [{ schedule: base, seed: 1.5 }, 'noise: seed must be an integer >= 0; received 1.5.'],
    [{ schedule: base, seed: -1 }, 'noise: seed must be an integer >= 0; received -1.'],
    [
      { schedule: base, kind: 'cauchy' },
      'noise: kind must be one of "normal", "uniform"; received "cauchy".',
    ],
    [
      { schedule: base, startStep: 10, endStep: 10 },
      'noise: endStep must be greater than startStep (10); received 10.',
    ],
    [
      { schedule: { type: 'constant', value: 1.7e308 } },
      'noise: the largest value of schedule × (1 + rangeFraction) must not exceed Number.MAX_VALUE (1.7976931348623157e+308): the noise would overflow to Infinity; received 1.7e+308.',
    ],
  ])('rejects %o', (options, message) => {
    expect(() => noise(options as never)).toThrow(ScheduleConfigError);
    expect(() => noise(options as never)).toThrow(message);
  });

  it('keeps a schedule whose noisy values stay finite; a custom one that overflows throws at that step', () => {
    const top = Number.MAX_VALUE / 2;
    const s = noise({ schedule: constant({ value: top }), rangeFraction: 0.5, kind: 'uniform' });
    for (const step of [0, 1, 2, 2 ** 53]) expect(s(step) <= Number.MAX_VALUE).toBe(true);
    const wild = noise({
      schedule: custom(() => Number.MAX_VALUE),
      rangeFraction: 1,
      kind: 'uniform',
      seed: 3,
    });
    const overflowing = [0, 1, 2, 3, 4, 5, 6, 7].find((step) => {
      try {
        wild(step);
        return false;
      } catch (error) {
        expect((error as Error).message).toBe(
          `noise: schedule(t) · (1 + n) is Infinity at step ${step}; it holds a custom function, whose values noise could not bound when it was built.`,
        );
        return true;
      }
    });
    expect(overflowing).toBeDefined();
  });

  it('is pure, finite, non-negative and within the range for any seed and step (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.double({ min: 0, max: 2 ** 53, noNaN: true }),
        fc.constantFrom('normal' as const, 'uniform' as const),
        fc.double({ min: 1e-6, max: 1, noNaN: true }),
        fc.double({ min: 1e-6, max: 100, noNaN: true }),
        (seed, t, kind, rangeFraction, stdFraction) => {
          const s = noise({ schedule: constant({ value: 1 }), seed, kind, rangeFraction, stdFraction });
          const v = s(t);
          return Number.isFinite(v) && v >= 0 && Math.abs(v - 1) <= rangeFraction * (1 + 1e-12) && s(t) === v;
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
