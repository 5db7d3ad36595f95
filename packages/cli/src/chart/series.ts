import type { Phase } from '@anneal/core';
import { ChartInputError } from '../errors';

/** One curve: parallel arrays of steps and learning rates (any length; renderers decimate). */
export interface ChartSeries {
  readonly label?: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

/** Options shared by the SVG and terminal renderers. */
export interface ChartOptionsBase {
  /** Printed above the chart. */
  readonly title?: string;
  /** Shaded/marked spans with names (`warmup`, `hold`, `decay`); clipped to the x range. */
  readonly phases?: readonly Phase[];
  /** The x range; default: the first and last x of all series. */
  readonly xRange?: readonly [number, number];
  /**
   * `'linear'` (default) joins points with straight lines; `'step'` holds each value until the
   * next point (step-after), as a learning rate holds for one whole update.
   */
  readonly curve?: 'linear' | 'step';
}

export interface Bounds {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/** Checks every series and option, collecting all problems into one `ChartInputError`. */
export function checkSeries(
  renderer: string,
  series: readonly ChartSeries[],
  options: ChartOptionsBase,
): Bounds {
  const issues: string[] = [];
  if (!Array.isArray(series) || series.length === 0) {
    throw new ChartInputError(renderer, ['series must be a non-empty array of { x, y }; received none']);
  }
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  series.forEach((item, index) => {
    const name = `series[${index}]`;
    if (!item || typeof item.x?.length !== 'number' || typeof item.y?.length !== 'number') {
      issues.push(`${name} must have array-like x and y; received ${typeof item}`);
      return;
    }
    if (item.x.length !== item.y.length) {
      issues.push(
        `${name}.x and .y must have the same length; received ${item.x.length} and ${item.y.length}`,
      );
      return;
    }
    if (item.x.length === 0) {
      issues.push(`${name} must have at least one point; received 0`);
      return;
    }
    for (let point = 0; point < item.x.length; point += 1) {
      const x = item.x[point]!;
      const y = item.y[point]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        issues.push(`${name} point ${point} must be finite; received (${x}, ${y})`);
        return;
      }
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (y < yMin) yMin = y;
      if (y > yMax) yMax = y;
    }
  });
  if (options.xRange) {
    const [start, end] = options.xRange;
    if (!(Number.isFinite(start) && Number.isFinite(end) && end > start)) {
      issues.push(
        `xRange must be two finite numbers [start, end] with start < end; received [${start}, ${end}]`,
      );
    } else {
      xMin = start;
      xMax = end;
    }
  }
  if (issues.length > 0) throw new ChartInputError(renderer, issues);
  if (!(xMax > xMin)) xMax = xMin + 1;
  return { xMin, xMax, yMin, yMax };
}

/**
 * Keeps the shape of a long series with at most ~4 points per bucket: for each of `buckets`
 * equal x slices it keeps the first, lowest, highest and last point, in x order, so spikes and
 * stair steps survive. Points outside [xMin, xMax] are dropped.
 */
export function decimate(
  series: ChartSeries,
  xMin: number,
  xMax: number,
  buckets: number,
): { x: number[]; y: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  const length = series.x.length;
  let inRange = 0;
  for (let index = 0; index < length; index += 1) {
    const x = series.x[index]!;
    if (x >= xMin && x <= xMax) inRange += 1;
  }
  if (inRange <= buckets * 4) {
    for (let index = 0; index < length; index += 1) {
      const x = series.x[index]!;
      if (x >= xMin && x <= xMax) {
        xs.push(x);
        ys.push(series.y[index]!);
      }
    }
    return { x: xs, y: ys };
  }
  const width = (xMax - xMin) / buckets;
  let current = -1;
  let picks: number[] = [];
  const flush = () => {
    const unique = [...new Set(picks)].sort((a, b) => a - b);
    for (const index of unique) {
      xs.push(series.x[index]!);
      ys.push(series.y[index]!);
    }
    picks = [];
  };
  let first = -1;
  let low = -1;
  let high = -1;
  let last = -1;
  for (let index = 0; index < length; index += 1) {
    const x = series.x[index]!;
    if (x < xMin || x > xMax) continue;
    const bucket = Math.min(buckets - 1, Math.floor((x - xMin) / width));
    if (bucket !== current) {
      if (current !== -1) {
        picks = [first, low, high, last];
        flush();
      }
      current = bucket;
      first = low = high = last = index;
    } else {
      const y = series.y[index]!;
      if (y < series.y[low]!) low = index;
      if (y > series.y[high]!) high = index;
      last = index;
    }
  }
  if (current !== -1) {
    picks = [first, low, high, last];
    flush();
  }
  return { x: xs, y: ys };
}

/** Phases clipped to [xMin, xMax], dropping those outside. */
export function visiblePhases(phases: readonly Phase[] | undefined, xMin: number, xMax: number): Phase[] {
  if (!phases) return [];
  return phases
    .filter((phase) => phase.end > xMin && phase.start < xMax && phase.end > phase.start)
    .map((phase) => ({
      name: phase.name,
      start: Math.max(phase.start, xMin),
      end: Math.min(phase.end, xMax),
    }));
}

/** Inserts the corner points of a step-after curve: (x[i], y[i]) → (x[i+1], y[i]) → (x[i+1], y[i+1]). */
export function stepCorners(points: { x: number[]; y: number[] }): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (let index = 0; index < points.x.length; index += 1) {
    if (index > 0 && points.y[index] !== points.y[index - 1]) {
      x.push(points.x[index]!);
      y.push(points.y[index - 1]!);
    }
    x.push(points.x[index]!);
    y.push(points.y[index]!);
  }
  return { x, y };
}
