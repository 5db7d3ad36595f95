import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  constant,
  custom,
  fromConfig,
  ScheduleConfigError,
  scale,
  toConfig,
  warmupCosineDecay,
} from '../index';

describe('scale', () => {
  const base = warmupCosineDecay({ peakValue: 0.2, totalSteps: 100, warmupSteps: 10 });

  it('multiplies by a constant factor', () => {
    const s = scale({ schedule: base, factor: 0.5 });
    for (const t of [0, 5, 10, 55.5, 100, 200]) expect(s(t)).toBe(0.5 * base(t));
    expect(s.phases).toEqual(base.phases);
  });

  it('multiplies by another schedule, step by step', () => {
    const ramp = custom((t) => Math.min(1, t / 10));
    const s = scale({ schedule: base, factor: ramp });
    for (const t of [0, 3, 10, 42]) expect(s(t)).toBe(base(t) * Math.min(1, t / 10));
  });

  it('round-trips both forms through JSON', () => {
    for (const factor of [3, { type: 'constant', value: 0.25 }]) {
      const s = scale({ schedule: base, factor });
      const config = toConfig(s);
      expect(config.factor).toEqual(factor);
      const back = fromConfig(JSON.parse(JSON.stringify(config)));
      for (let t = 0; t < 120; t += 1.5) expect(back(t)).toBe(s(t));
    }
  });

  it.each([
    [
      { schedule: base, factor: -1 },
      'scale: factor must be a finite number >= 0, a schedule, a schedule config object or a function of the step; received -1.',
    ],
    [
      { schedule: base, factor: Number.POSITIVE_INFINITY },
      'scale: factor must be a finite number >= 0, a schedule, a schedule config object or a function of the step; received Infinity.',
    ],
    [
      { schedule: base, factor: 'x' },
      'scale: factor must be a schedule, a schedule config object or a function of the step; received "x".',
    ],
    [{ schedule: base }, 'scale: factor is required'],
    [
      { schedule: { type: 'constant', value: 1e200 }, factor: 1e200 },
      'scale: factor × the largest value of schedule (1e+200) must not exceed Number.MAX_VALUE (1.7976931348623157e+308): the product would overflow to Infinity; received 1e+200.',
    ],
    [
      {
        schedule: { type: 'constant', value: 1e200 },
        factor: { type: 'linear', initialValue: 0, finalValue: 1e200, transitionSteps: 10 },
      },
      'scale: the largest value of factor (1.000000000001e+200) × the largest value of schedule (1e+200) must not exceed Number.MAX_VALUE (1.7976931348623157e+308): the product would overflow to Infinity; received 1.000000000001e+200.',
    ],
  ])('rejects %o', (options, message) => {
    expect(() => scale(options as never)).toThrow(ScheduleConfigError);
    expect(() => scale(options as never)).toThrow(message);
  });

  it('keeps a product that stays finite, up to Number.MAX_VALUE itself', () => {
    expect(scale({ schedule: constant({ value: Number.MAX_VALUE }), factor: 1 })(0)).toBe(Number.MAX_VALUE);
    expect(scale({ schedule: constant({ value: 1e200 }), factor: 1e108 })(7)).toBe(1e200 * 1e108);
    expect(scale({ schedule: constant({ value: 0 }), factor: Number.MAX_VALUE })(7)).toBe(0);
  });

  it('a custom function has no bound to check when built: a product that overflows throws at that step', () => {
    const s = scale({ schedule: custom((t) => (t < 10 ? 1 : 1e300)), factor: 1e10 });
    expect(s(5)).toBe(1e10);
    expect(() => s(10)).toThrow(
      'scale: schedule(t) × factor is Infinity at step 10; it holds a custom function, whose values scale could not bound when it was built.',
    );
  });

  it('is finite and non-negative, and a product of non-negative values (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e3, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1e3, noNaN: true }),
        (factor, value, t) => {
          const byNumber = scale({ schedule: constant({ value }), factor });
          const bySchedule = scale({ schedule: constant({ value }), factor: constant({ value: factor }) });
          const a = byNumber(t);
          return Number.isFinite(a) && a >= 0 && a === factor * value && bySchedule(t) === value * factor;
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
