import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultBucketLimits, histogramFromValues } from './histogram';

describe('defaultBucketLimits', () => {
  it("is TensorBoard's series: ±1e-12·1.1^k below 1e20, 0 in the middle, ±DBL_MAX at the ends", () => {
    const limits = defaultBucketLimits();
    const positive: number[] = [];
    for (let v = 1e-12; v < 1e20; v *= 1.1) positive.push(v);
    expect(limits).toHaveLength(2 * positive.length + 3);
    expect(limits[0]).toBe(-Number.MAX_VALUE);
    expect(limits.at(-1)).toBe(Number.MAX_VALUE);
    expect(limits[positive.length + 1]).toBe(0);
    expect(limits.slice(positive.length + 2, -1)).toEqual(positive);
    for (let i = 1; i < limits.length; i++) expect(limits[i]!).toBeGreaterThan(limits[i - 1]!);
  });
});

describe('histogramFromValues', () => {
  const limits = defaultBucketLimits();

  it('puts each value in the bucket with limits[i-1] <= v < limits[i], keeps one empty bucket on the left', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (values) => {
          const histogram = histogramFromValues(values);
          expect(histogram.num).toBe(values.length);
          expect(histogram.min).toBe(Math.min(...values));
          expect(histogram.max).toBe(Math.max(...values));
          expect(histogram.buckets.reduce((a, b) => a + b, 0)).toBe(values.length);
          expect(histogram.bucketLimits).toHaveLength(histogram.buckets.length);
          // Recount independently with a linear scan over the full default limits.
          const expected = new Map<number, number>();
          for (const value of values) {
            const limit = limits.find((candidate) => candidate > value)!;
            expected.set(limit, (expected.get(limit) ?? 0) + 1);
          }
          histogram.bucketLimits.forEach((limit, i) => {
            expect(histogram.buckets[i]).toBe(expected.get(limit) ?? 0);
          });
          const nonEmpty = histogram.buckets
            .map((count, i) => [count, i] as const)
            .filter(([count]) => count > 0);
          expect(nonEmpty.at(-1)![1]).toBe(histogram.buckets.length - 1);
          if (histogram.bucketLimits[0] !== limits[0]) expect(histogram.buckets[0]).toBe(0);
          expect(nonEmpty[0]![1]).toBeLessThanOrEqual(1);
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });

  it('covers values at the extremes of the double range', () => {
    const histogram = histogramFromValues([Number.MAX_VALUE, -Number.MAX_VALUE, 0]);
    expect(histogram.buckets.reduce((a, b) => a + b, 0)).toBe(3);
    expect(histogram.bucketLimits[0]).toBe(-Number.MAX_VALUE);
    expect(histogram.bucketLimits.at(-1)).toBe(Number.MAX_VALUE);
  });
});
