import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clamp, custom, fromConfig, ScheduleConfigError, toConfig, warmupCosineDecay } from '../index';

describe('clamp', () => {
  const base = warmupCosineDecay({ peakValue: 1, totalSteps: 100, warmupSteps: 10 });

  it('keeps values within [minValue, maxValue]', () => {
    const s = clamp({ schedule: base, minValue: 0.1, maxValue: 0.8 });
    for (let t = 0; t <= 120; t += 0.5) expect(s(t)).toBe(Math.min(Math.max(base(t), 0.1), 0.8));
    expect(s(0)).toBe(0.1);
    expect(s(10)).toBe(0.8);
    expect(s(500)).toBe(0.1);
  });

  it('leaves an absent bound open', () => {
    expect(clamp({ schedule: base, maxValue: 0.5 })(0)).toBe(0);
    expect(clamp({ schedule: base, minValue: 0.5 })(10)).toBe(1);
  });

  it('round-trips through JSON without inventing the absent bound', () => {
    const s = clamp({ schedule: base, minValue: 0.05 });
    expect(toConfig(s)).toEqual({ type: 'clamp', schedule: toConfig(base), minValue: 0.05 });
    const back = fromConfig(JSON.parse(JSON.stringify(toConfig(s))));
    for (let t = 0; t < 120; t += 2.5) expect(back(t)).toBe(s(t));
  });

  it.each([
    [{ schedule: base }, 'clamp: clamp needs minValue, maxValue or both; received undefined.'],
    [
      { schedule: base, minValue: 0.5, maxValue: 0.1 },
      'clamp: minValue must not exceed maxValue (0.1); received 0.5.',
    ],
    [{ schedule: base, maxValue: -1 }, 'clamp: maxValue must be a finite number >= 0; received -1.'],
    [{ schedule: base, minValue: Number.NaN }, 'clamp: minValue must be a finite number >= 0; received NaN.'],
  ])('rejects %o', (options, message) => {
    expect(() => clamp(options as never)).toThrow(ScheduleConfigError);
    expect(() => clamp(options as never)).toThrow(message);
  });

  it('stays within its bounds for any child (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (a, b, value, t) => {
          const minValue = Math.min(a, b);
          const maxValue = Math.max(a, b);
          const s = clamp({ schedule: custom(() => value), minValue, maxValue });
          const v = s(t);
          return v >= minValue && v <= maxValue && (value < minValue || value > maxValue || v === value);
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
