/**
 * Chart geometry shared by the canvas painter and the SVG export: axes, ticks, phase marks and
 * each curve reduced to at most four points per pixel column (first, min, max, last), which
 * draws the same picture as every sample while keeping 100,000-point curves fast. Each values
 * array's extent and its decimation for a pixel geometry are kept, so a redraw that only adds a
 * curve (progressive sampling) or changes nothing the samples depend on works on the new curve
 * only. The axes, tick labels, pixel scales and decimation are @anneal/plot's.
 */
import {
  columnRuns,
  decadeAxis,
  decimate,
  formatDecadeTick,
  formatValueTick,
  formatValueTicks,
  type PixelScale,
  pixelScale,
  stepAxis,
  toPixel,
  valueAxis,
} from '@anneal/plot';
import type { Scale } from './state';

export { niceTicks } from '@anneal/plot';

export interface ChartCurve {
  readonly label: string;
  readonly color: string;
  readonly dashed: boolean;
  /** Drawn wide and pale, under a curve it is compared with. */
  readonly wide?: boolean;
  /** Values at steps start + i · stride. */
  readonly values: Float64Array;
  /** The stride of this curve's values when it is not the chart's (a coarser preview). */
  readonly stride?: number;
}

export interface ChartPhase {
  readonly step: number;
  readonly name: string;
  readonly color: string;
}

export interface ChartInput {
  readonly width: number;
  readonly height: number;
  readonly start: number;
  readonly end: number;
  readonly stride: number;
  readonly scale: Scale;
  readonly curves: readonly ChartCurve[];
  /** Phase boundaries (steps where a phase starts), drawn as dashed vertical lines. */
  readonly phases: readonly ChartPhase[];
  /** Space reserved above the plot for a legend (exports draw one; the page has its own). */
  readonly legendRows?: number;
}

export interface Tick {
  readonly value: number;
  readonly label: string;
  /** Pixel position along its axis. */
  readonly position: number;
}

export interface CurvePath {
  readonly label: string;
  readonly color: string;
  readonly dashed: boolean;
  readonly wide: boolean;
  /** x, y pairs in pixels. */
  readonly points: Float64Array;
  readonly length: number;
}

export interface ChartLayout {
  readonly width: number;
  readonly height: number;
  readonly plot: {
    readonly left: number;
    readonly top: number;
    readonly width: number;
    readonly height: number;
  };
  readonly xTicks: readonly Tick[];
  readonly yTicks: readonly Tick[];
  readonly yDomain: readonly [number, number];
  readonly scale: Scale;
  readonly paths: readonly CurvePath[];
  readonly phases: readonly { readonly x: number; readonly name: string; readonly color: string }[];
  readonly legend: readonly {
    readonly label: string;
    readonly color: string;
    readonly dashed: boolean;
    readonly wide: boolean;
  }[];
  readonly legendRows: number;
  /** True when a log chart had values <= 0, drawn on the bottom edge. */
  readonly clippedZeros: boolean;
  readonly start: number;
  readonly end: number;
  /** Sample index → pixel x, value → pixel y (what the curves were drawn with). */
  readonly map: PixelMap;
}

/** Short tick label: `0`, `0.25`, `1500`, `1e-4`, `2.5e-5` (`exponent` forces the last form). */
export function formatTick(value: number, exponent = false): string {
  return formatValueTick(value, exponent || undefined);
}

const margin = { left: 64, right: 16, top: 22, bottom: 36 };
export const legendRowHeight = 18;

/** A values array's largest value (at least 0), smallest positive value, and whether any is not > 0. */
interface Extent {
  readonly max: number;
  readonly minPositive: number;
  readonly hasZero: boolean;
}

const extents = new WeakMap<Float64Array, Extent>();

/** The extent of `values`, computed once per array (sampled values are never changed). */
function extentOf(values: Float64Array): Extent {
  let extent = extents.get(values);
  if (extent === undefined) {
    let max = 0;
    let minPositive = Number.POSITIVE_INFINITY;
    let hasZero = false;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v > max) max = v;
      if (v > 0) {
        if (v < minPositive) minPositive = v;
      } else hasZero = true;
    }
    extent = { max, minPositive, hasZero };
    extents.set(values, extent);
  }
  return extent;
}

/** The y axis over every sample: zero-based and linear, or whole decades on a log axis. */
function yAxisOf(curves: readonly ChartCurve[], scale: Scale) {
  let max = 0;
  let minPositive = Number.POSITIVE_INFINITY;
  let hasZero = false;
  for (const curve of curves) {
    const extent = extentOf(curve.values);
    max = Math.max(max, extent.max);
    minPositive = Math.min(minPositive, extent.minPositive);
    hasZero ||= extent.hasZero;
  }
  if (scale === 'log') {
    const axis = decadeAxis(minPositive, max);
    return { axis, labels: axis.ticks.map(formatDecadeTick), hasZero };
  }
  const axis = valueAxis(0, max, 6);
  return { axis, labels: formatValueTicks(axis.ticks), hasZero };
}

export function layoutChart(input: ChartInput): ChartLayout {
  const legendRows = input.legendRows ?? 0;
  const top = margin.top + legendRows * legendRowHeight;
  const plot = {
    left: margin.left,
    top,
    width: Math.max(10, input.width - margin.left - margin.right),
    height: Math.max(10, input.height - top - margin.bottom),
  };
  const log = input.scale === 'log';
  const y = yAxisOf(input.curves, input.scale);
  const yDomain: [number, number] = [y.axis.min, y.axis.max];
  const map: PixelMap = {
    x0: plot.left,
    xPerSample: 0,
    y: pixelScale(yDomain, plot.top + plot.height, plot.top, log),
  };
  const yTicks = y.axis.ticks.map((value, index) => ({
    value,
    label: y.labels[index]!,
    position: pixelY(map, value),
  }));

  const xSpan = input.end - input.start;
  const xScale = plot.width / (xSpan > 0 ? xSpan : 1);
  const xOf = (step: number) => plot.left + (step - input.start) * xScale;
  const xAxis = stepAxis(input.start, input.end, Math.max(2, Math.floor(plot.width / 90)));
  const xTicks = xAxis.ticks.map((value) => ({ value, label: formatTick(value), position: xOf(value) }));

  const curveMap: PixelMap = { ...map, xPerSample: input.stride * xScale };
  const paths = input.curves.map((curve) => ({
    label: curve.label,
    color: curve.color,
    dashed: curve.dashed,
    wide: curve.wide === true,
    ...curvePoints(
      curve.values,
      curve.stride === undefined ? curveMap : { ...map, xPerSample: curve.stride * xScale },
      plot.width,
    ),
  }));
  const phases = input.phases
    .filter((phase) => phase.step > input.start && phase.step < input.end)
    .map((phase) => ({ x: xOf(phase.step), name: phase.name, color: phase.color }));
  return {
    width: input.width,
    height: input.height,
    plot,
    xTicks,
    yTicks,
    yDomain,
    scale: input.scale,
    paths,
    phases,
    legend: input.curves.map(({ label, color, dashed, wide }) => ({
      label,
      color,
      dashed,
      wide: wide === true,
    })),
    legendRows,
    clippedZeros: log && y.hasZero,
    start: input.start,
    end: input.end,
    map: curveMap,
  };
}

/**
 * Curve points in pixels. With more than four samples per pixel column, each column keeps its
 * first, lowest, highest and last sample, in step order: the drawn line covers exactly the same
 * pixels as the full polyline.
 */
function curvePoints(
  values: Float64Array,
  map: PixelMap,
  plotWidth: number,
): { points: Float64Array; length: number } {
  const kept = keptSamples(values, map, plotWidth);
  const points = new Float64Array(kept.length * 2);
  for (let k = 0; k < kept.length; k++) {
    const i = kept[k]!;
    points[2 * k] = pixelX(map, i);
    points[2 * k + 1] = pixelY(map, values[i]!);
  }
  return { points, length: points.length };
}

const decimations = new WeakMap<Float64Array, { readonly key: string; readonly kept: Uint32Array }>();

/**
 * The samples of `values` a curve keeps (see curvePoints), kept per values array for the last
 * geometry they were decimated for: the columns, and the y map when it ranks them.
 */
function keptSamples(values: Float64Array, map: PixelMap, plotWidth: number): Uint32Array {
  // Columns by rounded pixel x. Ranked by value, except on a log axis with values <= 0: those
  // sit on the bottom edge, above positive values below the lowest decade, so rank by pixel y.
  const byPixel = map.y.log && extentOf(values).hasZero;
  const { low, origin, pixelsPerUnit } = map.y;
  const key = `${map.x0} ${map.xPerSample} ${plotWidth}${byPixel ? ` ${low} ${origin} ${pixelsPerUnit}` : ''}`;
  const known = decimations.get(values);
  if (known?.key === key) return known.kept;
  const runs = columnRuns(values.length, (i) => Math.round(map.x0 + i * map.xPerSample));
  const ranks = byPixel ? values.map((value) => -pixelY(map, value)) : values;
  const kept = decimate(ranks, runs, plotWidth);
  decimations.set(values, { key, kept });
  return kept;
}

/** Sample index → pixel x and value → pixel y, as plain numbers. */
export interface PixelMap {
  readonly x0: number;
  readonly xPerSample: number;
  /** Value → pixel y (values <= 0 sit on the bottom edge of a log axis). */
  readonly y: PixelScale;
}

/** The step under a pixel x (clamped to the plotted range). */
export function stepAt(layout: ChartLayout, x: number): number {
  const fraction = (x - layout.plot.left) / layout.plot.width;
  const clamped = Math.min(1, Math.max(0, fraction));
  return layout.start + clamped * (layout.end - layout.start);
}

/** Pixel y of a value; values <= 0 have no place on a log axis, so they sit on the bottom edge. */
export function pixelY(map: PixelMap, v: number): number {
  return toPixel(map.y, v);
}

/** Pixel x of sample `index` (unrounded), as the curves are drawn. */
export function pixelX(map: PixelMap, index: number): number {
  return map.x0 + index * map.xPerSample;
}

/** Pixel x of a step, and pixel y of a value, in a layout. */
export function xOfStep(layout: ChartLayout, step: number): number {
  return layout.plot.left + ((step - layout.start) / (layout.end - layout.start || 1)) * layout.plot.width;
}
export function yOfValue(layout: ChartLayout, value: number): number {
  return pixelY(layout.map, value);
}
