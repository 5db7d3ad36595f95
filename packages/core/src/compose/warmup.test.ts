import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constant, fromConfig, ScheduleConfigError, toConfig, warmup, warmupCosineDecay } from '../index';

const relativeClose = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
    1e-12 * Math.max(Math.abs(expected), Number.MIN_VALUE),
  );

describe('warmup', () => {
  const inner = warmupCosineDecay({ peakValue: 0.4, totalSteps: 100, finalValue: 0.04 });

  it('ramps linearly from initialValue to schedule(0), then runs the schedule on a local step', () => {
    const s = warmup({ schedule: inner, warmupSteps: 20, initialValue: 0.1 });
    expect(s(0)).toBe(0.1);
    for (const t of [1, 7.5, 19.99]) relativeClose(s(t), 0.1 + (0.4 - 0.1) * (t / 20));
    expect(s(20)).toBe(inner(0));
    for (const t of [20, 21, 50.5, 119, 500]) expect(s(t)).toBe(inner(t - 20));
  });

  it('follows the cosine shape', () => {
    const s = warmup({
      schedule: constant({ value: 2 }),
      warmupSteps: 8,
      shape: 'cosine',
      initialValue: 0.5,
    });
    for (const t of [0, 1, 4, 7.25]) relativeClose(s(t), 0.5 + 1.5 * 0.5 * (1 - Math.cos((Math.PI * t) / 8)));
    expect(s(8)).toBe(2);
  });

  it('follows the exponential shape', () => {
    const s = warmup({
      schedule: constant({ value: 1e-2 }),
      warmupSteps: 10,
      shape: 'exponential',
      initialValue: 1e-5,
    });
    for (const t of [0, 3, 5, 9.5]) relativeClose(s(t), 1e-5 * (1e-2 / 1e-5) ** (t / 10));
    expect(s(10)).toBe(1e-2);
  });

  it('with warmupSteps 0 is the schedule itself', () => {
    const s = warmup({ schedule: inner, warmupSteps: 0 });
    for (const t of [0, 10, 99]) expect(s(t)).toBe(inner(t));
  });

  it('offsets the child phases after its own', () => {
    const s = warmup({ schedule: inner, warmupSteps: 20 });
    expect(s.phases).toEqual([
      { name: 'warmup', start: 0, end: 20 },
      { name: 'decay', start: 20, end: 120 },
      { name: 'final', start: 120, end: Number.POSITIVE_INFINITY },
    ]);
  });

  it('round-trips through JSON', () => {
    const s = warmup({ schedule: inner, warmupSteps: 20, shape: 'cosine', initialValue: 0.01 });
    const config = toConfig(s);
    expect(config).toEqual({
      type: 'warmup',
      schedule: toConfig(inner),
      warmupSteps: 20,
      initialValue: 0.01,
      shape: 'cosine',
    });
    const back = fromConfig(JSON.parse(JSON.stringify(config)));
    for (let t = 0; t < 150; t += 0.75) expect(back(t)).toBe(s(t));
  });

  it.each([
    [
      { schedule: constant({ value: 1 }), warmupSteps: 5, shape: 'exponential' },
      'warmup: initialValue must be > 0 when shape is "exponential" (a geometric ramp cannot start at 0); received 0.',
    ],
    [
      { schedule: constant({ value: 0 }), warmupSteps: 5, shape: 'exponential', initialValue: 0.1 },
      'warmup: schedule(0) must be > 0 when shape is "exponential" (a geometric ramp cannot end at 0); received 0.',
    ],
    [
      { schedule: constant({ value: 1 }), warmupSteps: -1 },
      'warmup: warmupSteps must be a finite number >= 0; received -1.',
    ],
    [
      { schedule: constant({ value: 1 }), warmupSteps: 3, shape: 'square' },
      'warmup: shape must be one of "linear", "cosine", "exponential"; received "square".',
    ],
    [
      { warmupSteps: 3 },
      'warmup: schedule is required (a schedule, a schedule config object or a function of the step); received undefined.',
    ],
    [
      { schedule: { type: 'constant', value: -1 }, warmupSteps: 3 },
      'constant (at schedule): value must be a finite number >= 0; received -1.',
    ],
  ])('rejects %o', (options, message) => {
    expect(() => warmup(options as never)).toThrow(ScheduleConfigError);
    expect(() => warmup(options as never)).toThrow(message);
  });

  it.each(['linear', 'cosine', 'exponential'] as const)(
    'a %s ramp as short as Number.MIN_VALUE starts at initialValue (it was NaN: Infinity · 0)',
    (shape) => {
      const s = warmup({ schedule: constant({ value: 1 }), warmupSteps: 5e-324, initialValue: 0.5, shape });
      expect(s(0)).toBe(0.5);
      expect(s(5e-324)).toBe(1);
    },
  );

  it('an exponential ramp between ends whose ratio overflows is finite and between them', () => {
    const rising = warmup({
      schedule: constant({ value: Number.MAX_VALUE }),
      warmupSteps: 10,
      initialValue: 1e-300,
      shape: 'exponential',
    });
    const falling = warmup({
      schedule: constant({ value: 1e-300 }),
      warmupSteps: 10,
      initialValue: 1e300,
      shape: 'exponential',
    });
    expect(rising(0)).toBe(1e-300);
    expect(falling(0)).toBe(1e300);
    for (const t of [1, 5, 9.999999999999998]) {
      const up = rising(t);
      const down = falling(t);
      expect(up > 0 && up <= Number.MAX_VALUE).toBe(true);
      expect(down >= 1e-300 * (1 - 1e-12) && down <= 1e300).toBe(true);
      // The ratio 1e-600 underflows: the closed form in logarithms.
      relativeClose(down, Math.exp(Math.log(1e300) + (t / 10) * (Math.log(1e-300) - Math.log(1e300))));
    }
    relativeClose(rising(5), Math.sqrt(1e-300 * Number.MAX_VALUE));
  });

  it('is finite, non-negative, between its end points during the ramp and continuous at the end (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 10, noNaN: true }),
        fc.double({ min: 1e-6, max: 10, noNaN: true }),
        fc.double({ min: 1, max: 1e4, noNaN: true }),
        fc.constantFrom('linear' as const, 'cosine' as const, 'exponential' as const),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (initialValue, target, warmupSteps, shape, fraction) => {
          const s = warmup({ schedule: constant({ value: target }), warmupSteps, initialValue, shape });
          const value = s(fraction * warmupSteps);
          const lo = Math.min(initialValue, target);
          const hi = Math.max(initialValue, target);
          const slack = 1e-12 * hi;
          const nearEnd = s(warmupSteps * (1 - 1e-9));
          return (
            Number.isFinite(value) &&
            value >= lo - slack &&
            value <= hi + slack &&
            Math.abs(nearEnd - target) <= 1e-6 * hi + 1e-9 * Math.abs(hi - lo)
          );
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
