/**
 * Histograms from raw values with TensorBoard's default bucket limits (TF `histogram.cc`
 * `InitDefaultBuckets`, also used by tensorboardX `bins='tensorflow'`): right edges growing by 10%
 * from 1e-12 to 1e20 on both sides of 0, closed by ±DBL_MAX.
 */

import type { HistogramFields } from './encode';

function buildDefaultBucketLimits(): number[] {
  const positive: number[] = [];
  let v = 1e-12;
  while (v < 1e20) {
    positive.push(v);
    v *= 1.1;
  }
  positive.push(Number.MAX_VALUE);
  const negative = positive.map((limit) => -limit).reverse();
  return [...negative, 0, ...positive];
}

const DEFAULT_BUCKET_LIMITS: readonly number[] = Object.freeze(buildDefaultBucketLimits());

/** TensorBoard's default right bucket edges (1549 limits from -DBL_MAX to DBL_MAX). */
export function defaultBucketLimits(): number[] {
  return [...DEFAULT_BUCKET_LIMITS];
}

/** Index of the first limit strictly greater than `value` (C++ `std::upper_bound`). */
function upperBound(limits: readonly number[], value: number): number {
  let low = 0;
  let high = limits.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (limits[mid]! > value) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * Buckets finite `values` like TF's `Histogram::Add` (value v goes to the first bucket whose limit
 * exceeds v), then keeps the buckets from one empty bucket before the first non-empty one to the
 * last non-empty one, as tensorboardX and torch do so that the left edge survives.
 */
export function histogramFromValues(values: ArrayLike<number>): HistogramFields {
  const limits = DEFAULT_BUCKET_LIMITS;
  const counts = new Float64Array(limits.length);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value < min) min = value;
    if (value > max) max = value;
    sum += value;
    sumSquares += value * value;
    const index = Math.min(upperBound(limits, value), limits.length - 1);
    counts[index]! += 1;
  }
  let first = 0;
  while (counts[first] === 0) first++;
  let last = counts.length - 1;
  while (counts[last] === 0) last--;
  const start = Math.max(first - 1, 0);
  const bucketLimits: number[] = [];
  const buckets: number[] = [];
  for (let i = start; i <= last; i++) {
    bucketLimits.push(limits[i]!);
    buckets.push(counts[i]!);
  }
  return { min, max, num: values.length, sum, sumSquares, bucketLimits, buckets };
}
