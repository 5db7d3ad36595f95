import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constant, maxSampleLength, ScheduleConfigError, sample, warmupCosineDecay } from '../index';

describe('sample', () => {
  const s = warmupCosineDecay({ peakValue: 1, totalSteps: 100, warmupSteps: 10 });

  it('returns the values at start, start + stride, … up to end inclusive', () => {
    const values = sample(s, { end: 100, stride: 10 });
    expect(values).toBeInstanceOf(Float64Array);
    expect(values.length).toBe(11);
    expect([...values]).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((t) => s(t)));
  });

  it('defaults to start 0 and stride 1', () => {
    expect([...sample(s, { end: 3 })]).toEqual([s(0), s(1), s(2), s(3)]);
  });

  it('stops before end when the stride does not land on it', () => {
    expect([...sample(s, { start: 5, end: 12, stride: 3 })]).toEqual([s(5), s(8), s(11)]);
  });

  it('keeps a last point that lands on end up to rounding, evaluated at exactly end', () => {
    const probe = (t: number) => t;
    expect([...sample(probe, { end: 0.3, stride: 0.1 })]).toEqual([0, 0.1, 0.2, 0.3]);
    expect(sample(probe, { start: 0, end: 1, stride: 0.1 }).length).toBe(11);
  });

  it('gives one value when start equals end, and accepts configs', () => {
    expect([...sample({ type: 'constant', value: 0.5 }, { start: 7, end: 7 })]).toEqual([0.5]);
  });

  it.each([
    [{ end: -1 }, 'sample: end must be a finite number >= 0; received -1.'],
    [{ end: 10, start: 11 }, 'sample: end must not be less than start (11); received 10.'],
    [{ end: 10, stride: 0 }, 'sample: stride must be a finite number > 0; received 0.'],
    [{ end: Number.POSITIVE_INFINITY }, 'sample: end must be a finite number >= 0; received Infinity.'],
    [{ start: Number.NaN, end: 1 }, 'sample: start must be a finite number >= 0; received NaN.'],
    [
      { end: 1e9, stride: 1 },
      `sample: (end − start) / stride + 1 must not exceed ${maxSampleLength} samples; received 1000000001.`,
    ],
    [
      { end: 5, steps: 3 },
      'sample: unknown option "steps" (expected one of start, end, stride); received 3.',
    ],
    [{}, 'sample: end must be a finite number >= 0; received undefined.'],
  ])('rejects %o', (options, message) => {
    expect(() => sample(s, options as never)).toThrow(ScheduleConfigError);
    expect(() => sample(s, options as never)).toThrow(message);
  });

  it('rejects a schedule that is not one', () => {
    expect(() => sample(42 as never, { end: 1 })).toThrow(
      'sample: schedule must be a schedule, a schedule config object or a function of the step; received 42.',
    );
  });

  it('has ⌊(end − start) / stride⌋ + 1 points, all ≤ end, matching the schedule (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        fc.double({ min: 0.5, max: 100, noNaN: true }),
        (start, span, stride) => {
          const end = start + span;
          const values = sample((t) => t, { start, end, stride });
          const n = values.length;
          const expected = Math.floor((end - start) / stride + 1e-9) + 1;
          return (
            n === expected &&
            values[0] === start &&
            values[n - 1]! <= end &&
            values[n - 1]! + stride > end - 1e-9 * stride &&
            sample(constant({ value: 0.25 }), { start, end, stride }).every((v) => v === 0.25)
          );
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
