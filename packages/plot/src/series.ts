import { columnRuns, decimate } from './decimate';
import { ChartInputError } from './errors';

/** One curve: parallel arrays of x (steps, or learning rates on a log axis) and y (any length; renderers decimate). */
export interface ChartSeries {
  readonly label?: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

/** A named span of steps (a schedule phase such as `warmup`); `end` may be `Infinity`. */
export interface ChartPhase {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** Options shared by the SVG and terminal renderers. */
export interface ChartOptionsBase {
  /** Printed above the chart. */
  readonly title?: string;
  /** Shaded/marked spans with names (`warmup`, `hold`, `decay`); clipped to the x range. */
  readonly phases?: readonly ChartPhase[];
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

/** Checks one series, widening `bounds` by its points; returns its problem, if any. */
function checkOne(item: ChartSeries, name: string, bounds: { -readonly [K in keyof Bounds]: number }) {
  if (!item || typeof item.x?.length !== 'number' || typeof item.y?.length !== 'number') {
    return `${name} must have array-like x and y; received ${typeof item}`;
  }
  if (item.x.length !== item.y.length) {
    return `${name}.x and .y must have the same length; received ${item.x.length} and ${item.y.length}`;
  }
  if (item.x.length === 0) return `${name} must have at least one point; received 0`;
  for (let point = 0; point < item.x.length; point += 1) {
    const x = item.x[point]!;
    const y = item.y[point]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      return `${name} point ${point} must be finite; received (${x}, ${y})`;
    }
    if (x < bounds.xMin) bounds.xMin = x;
    if (x > bounds.xMax) bounds.xMax = x;
    if (y < bounds.yMin) bounds.yMin = y;
    if (y > bounds.yMax) bounds.yMax = y;
  }
  return undefined;
}

/**
 * Checks that `width` and `height` are integers within their ranges, throwing one
 * `ChartInputError` that names both when both are wrong.
 */
export function checkSizes(
  renderer: string,
  sizes: Readonly<
    Record<'width' | 'height', readonly [value: number, min: number, max: number, unit: string]>
  >,
): void {
  const issues = (['width', 'height'] as const).flatMap((name) => {
    const [value, min, max, unit] = sizes[name];
    return Number.isInteger(value) && value >= min && value <= max
      ? []
      : [`${name} must be an integer from ${min} to ${max} ${unit}; received ${value}`];
  });
  if (issues.length > 0) throw new ChartInputError(renderer, issues);
}

/** Checks every series and option, collecting all problems into one `ChartInputError`. */
export function checkSeries(
  renderer: string,
  series: readonly ChartSeries[],
  options: ChartOptionsBase,
): Bounds {
  if (!Array.isArray(series) || series.length === 0) {
    throw new ChartInputError(renderer, ['series must be a non-empty array of { x, y }; received none']);
  }
  const issues: string[] = [];
  const bounds = {
    xMin: Number.POSITIVE_INFINITY,
    xMax: Number.NEGATIVE_INFINITY,
    yMin: Number.POSITIVE_INFINITY,
    yMax: Number.NEGATIVE_INFINITY,
  };
  series.forEach((item, index) => {
    const issue = checkOne(item, `series[${index}]`, bounds);
    if (issue) issues.push(issue);
  });
  if (options.xRange) {
    const [start, end] = options.xRange;
    if (!(Number.isFinite(start) && Number.isFinite(end) && end > start)) {
      issues.push(
        `xRange must be two finite numbers [start, end] with start < end; received [${start}, ${end}]`,
      );
    } else {
      bounds.xMin = start;
      bounds.xMax = end;
    }
  }
  if (issues.length > 0) throw new ChartInputError(renderer, issues);
  if (!(bounds.xMax > bounds.xMin)) bounds.xMax = bounds.xMin + 1;
  return bounds;
}

/** Phases clipped to [xMin, xMax], dropping those outside. */
export function visiblePhases(
  phases: readonly ChartPhase[] | undefined,
  xMin: number,
  xMax: number,
): ChartPhase[] {
  if (!phases) return [];
  return phases
    .filter((phase) => phase.end > xMin && phase.start < xMax && phase.end > phase.start)
    .map((phase) => ({
      name: phase.name,
      start: Math.max(phase.start, xMin),
      end: Math.min(phase.end, xMax),
    }));
}

/**
 * The points of a series to draw at a resolution of `columns` (pixel or dot columns): those
 * inside [xMin, xMax], in order, decimated over `columns` equal slices of the range (see
 * `decimate`); with `curve: 'step'` and at most `columns` points left, the corners of the
 * step-after curve are inserted: (x[i], y[i]) → (x[i+1], y[i]) → (x[i+1], y[i+1]). (Denser curves
 * look the same without.)
 */
export function plotPoints(
  series: ChartSeries,
  xMin: number,
  xMax: number,
  columns: number,
  curve: ChartOptionsBase['curve'],
): { x: number[]; y: number[] } {
  const xs = series.x;
  const ys = series.y;
  let insideCount = 0;
  for (let index = 0; index < xs.length; index += 1)
    if (xs[index]! >= xMin && xs[index]! <= xMax) insideCount += 1;
  // The points inside the range (as usual, all of them: then without a copy).
  let inside: { x: ArrayLike<number>; y: ArrayLike<number> } = { x: xs, y: ys };
  if (insideCount < xs.length) {
    inside = { x: new Float64Array(insideCount), y: new Float64Array(insideCount) };
    let next = 0;
    for (let index = 0; index < xs.length; index += 1) {
      if (!(xs[index]! >= xMin && xs[index]! <= xMax)) continue;
      (inside.x as Float64Array)[next] = xs[index]!;
      (inside.y as Float64Array)[next++] = ys[index]!;
    }
  }
  // Columns are equal slices of the range, the end in the last one.
  const sliceWidth = (xMax - xMin) / columns;
  const insideX = inside.x;
  const runs = columnRuns(insideCount, (index) =>
    Math.min(columns - 1, Math.floor((insideX[index]! - xMin) / sliceWidth)),
  );
  const kept = decimate(inside.y, runs, columns);
  const x = Array.from(kept, (index) => inside.x[index]!);
  const y = Array.from(kept, (index) => inside.y[index]!);
  if (curve !== 'step' || x.length > columns) return { x, y };
  const cornerX: number[] = [];
  const cornerY: number[] = [];
  for (let index = 0; index < x.length; index += 1) {
    if (index > 0 && y[index] !== y[index - 1]) {
      cornerX.push(x[index]!);
      cornerY.push(y[index - 1]!);
    }
    cornerX.push(x[index]!);
    cornerY.push(y[index]!);
  }
  return { x: cornerX, y: cornerY };
}
