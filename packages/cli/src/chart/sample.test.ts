import { describe, expect, it } from 'vitest';
import { defaultStepRange, sampleSchedule, valueRange } from './sample';

describe('sampling for plots', () => {
  it('defaults to the last finite phase boundary + 10%, else 0:1000', () => {
    expect(
      defaultStepRange([
        { name: 'warmup', start: 0, end: 500 },
        { name: 'final', start: 10000, end: Number.POSITIVE_INFINITY },
      ]),
    ).toEqual({ start: 0, end: 11000 });
    expect(defaultStepRange([{ name: 'a', start: 0, end: 33 }])).toEqual({ start: 0, end: 37 });
    expect(defaultStepRange([])).toEqual({ start: 0, end: 1000 });
    expect(defaultStepRange([{ name: 'cycle', start: 0, end: Number.POSITIVE_INFINITY }])).toEqual({
      start: 0,
      end: 1000,
    });
  });

  it('evaluates every integer step, or a stride that keeps the end', () => {
    const dense = sampleSchedule((step) => step * 2, { start: 3, end: 7 });
    expect(Array.from(dense.x)).toEqual([3, 4, 5, 6, 7]);
    expect(Array.from(dense.y)).toEqual([6, 8, 10, 12, 14]);
    const strided = sampleSchedule((step) => step, { start: 0, end: 10 }, 'line', 4);
    expect(Array.from(strided.x)).toEqual([0, 3, 6, 9, 10]);
    expect(strided.label).toBe('line');
    expect(valueRange(strided.y)).toEqual({ min: 0, max: 10 });
  });
});
