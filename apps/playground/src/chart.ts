/**
 * Chart geometry shared by the canvas painter and the SVG export: axes, ticks, phase marks and
 * each curve reduced to at most four points per pixel column (first, min, max, last), which
 * draws the same picture as every sample while keeping 100,000-point curves fast.
 */
import type { Scale } from './state';

export interface ChartCurve {
  readonly label: string;
  readonly color: string;
  readonly dashed: boolean;
  /** Drawn wide and pale, under a curve it is compared with. */
  readonly wide?: boolean;
  /** Values at steps start + i · stride. */
  readonly values: Float64Array;
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
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (exponent || magnitude < 1e-3 || magnitude >= 1e6) {
    const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
    const short = Number(Number(mantissa).toPrecision(3));
    return `${short}e${Number(exponent)}`;
  }
  return String(Number(value.toPrecision(4)));
}

/** About `count` round ticks (1, 2 or 5 × 10^k apart) covering [low, high]. */
export function niceTicks(low: number, high: number, count: number): number[] {
  if (!(high > low)) return [low];
  const raw = (high - low) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? 10 * power;
  const ticks: number[] = [];
  const first = Math.ceil(low / unit - 1e-9);
  for (let k = first; k * unit <= high + unit * 1e-9 && ticks.length <= count * 3; k++)
    ticks.push(Number((k * unit).toPrecision(12)));
  return ticks;
}

/** Labels ticks in one notation per axis: if any tick needs an exponent, all get one. */
function labelTicks(values: readonly number[]): Tick[] {
  const exponent = values.some((value) => value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6));
  return values.map((value) => ({ value, label: formatTick(value, exponent), position: 0 }));
}

const margin = { left: 64, right: 16, top: 22, bottom: 36 };
export const legendRowHeight = 18;

export function layoutChart(input: ChartInput): ChartLayout {
  const legendRows = input.legendRows ?? 0;
  const top = margin.top + legendRows * legendRowHeight;
  const plot = {
    left: margin.left,
    top,
    width: Math.max(10, input.width - margin.left - margin.right),
    height: Math.max(10, input.height - top - margin.bottom),
  };
  // y domain over every sample.
  let max = 0;
  let minPositive = Number.POSITIVE_INFINITY;
  let hasZero = false;
  for (const curve of input.curves) {
    const values = curve.values;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v > max) max = v;
      if (v > 0) {
        if (v < minPositive) minPositive = v;
      } else hasZero = true;
    }
  }
  let yDomain: [number, number];
  let yTicks: Tick[];
  const ySpan = plot.height;
  if (input.scale === 'log') {
    if (!(max > 0)) {
      max = 1;
      minPositive = 0.1;
    }
    // Decades from 1e-300 up: subnormal learning rates would make the lower bound 0.
    const low = 10 ** Math.max(-300, Math.floor(Math.log10(minPositive)));
    let high = 10 ** Math.min(300, Math.ceil(Math.log10(max)));
    if (high <= low) high = low * 10;
    yDomain = [low, high];
    const decades = Math.round(Math.log10(high / low));
    const every = Math.max(1, Math.ceil(decades / 8));
    const values: number[] = [];
    for (let d = 0; d <= decades; d += every) values.push(Number((low * 10 ** d).toPrecision(12)));
    yTicks = labelTicks(values);
  } else {
    const high = max > 0 ? max * 1.05 : 1;
    const values = niceTicks(0, high, 6);
    const top = Math.max(values.at(-1)!, high);
    yDomain = [0, top];
    // One notation per axis: if any tick needs an exponent, all get one.
    const exponent = values.some(
      (value) => value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6),
    );
    yTicks = values.map((value) => ({ value, label: formatTick(value, exponent), position: 0 }));
  }
  const [yLow, yHigh] = yDomain;
  const logLow = Math.log10(yLow);
  const logSpan = Math.log10(yHigh) - logLow;
  const bottom = plot.top + ySpan;
  const yOf =
    input.scale === 'log'
      ? (v: number) => (v > 0 ? bottom - ((Math.log10(v) - logLow) / logSpan) * ySpan : bottom)
      : (v: number) => bottom - ((v - yLow) / (yHigh - yLow)) * ySpan;
  yTicks = yTicks.map((tick) => ({ ...tick, position: yOf(tick.value) }));

  const xSpan = input.end - input.start;
  const xScale = plot.width / (xSpan > 0 ? xSpan : 1);
  const xOf = (step: number) => plot.left + (step - input.start) * xScale;
  const xTicks = niceTicks(input.start, input.end, Math.max(2, Math.floor(plot.width / 90))).map((value) => ({
    value,
    label: formatTick(value),
    position: xOf(value),
  }));

  const map: PixelMap = {
    x0: plot.left,
    xPerSample: input.stride * xScale,
    bottom,
    log: input.scale === 'log',
    low: input.scale === 'log' ? logLow : yLow,
    yScale: input.scale === 'log' ? ySpan / logSpan : ySpan / (yHigh - yLow),
  };
  const paths = input.curves.map((curve) => ({
    label: curve.label,
    color: curve.color,
    dashed: curve.dashed,
    wide: curve.wide === true,
    ...decimate(curve.values, map, plot.width),
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
    clippedZeros: input.scale === 'log' && hasZero,
    start: input.start,
    end: input.end,
    map,
  };
}

/** Sample index → pixel x and value → pixel y, as plain numbers (no closures in the hot loop). */
export interface PixelMap {
  readonly x0: number;
  readonly xPerSample: number;
  readonly bottom: number;
  readonly log: boolean;
  /** Bottom of the y domain (its log10 on a log axis). */
  readonly low: number;
  readonly yScale: number;
}

/**
 * Curve points in pixels. With more samples than two per pixel column, each column keeps its
 * first, lowest, highest and last point, in step order: the drawn line covers exactly the same
 * pixels as the full polyline.
 */
function decimate(
  values: Float64Array,
  map: PixelMap,
  plotWidth: number,
): { points: Float64Array; length: number } {
  const count = values.length;
  const { x0, xPerSample, bottom, log, low, yScale } = map;
  const yAt = (v: number) => pixelY(map, v);
  if (count <= plotWidth * 2) {
    const points = new Float64Array(count * 2);
    for (let i = 0; i < count; i++) {
      points[2 * i] = x0 + i * xPerSample;
      points[2 * i + 1] = yAt(values[i]!);
    }
    return { points, length: count * 2 };
  }
  const points = new Float64Array((Math.ceil(plotWidth) + 2) * 8);
  let length = 0;
  const push = (x: number, y: number) => {
    points[length++] = x;
    points[length++] = y;
  };
  // Per column: first, lowest value (largest y), highest value (smallest y), last; with the
  // index of the extremes so that they are emitted in step order.
  let column = Math.round(x0);
  let firstY = yAt(values[0]!);
  let minY = firstY;
  let maxY = firstY;
  let lastY = firstY;
  let minIndex = 0;
  let maxIndex = 0;
  const flush = () => {
    push(column, firstY);
    const [a, b] = minIndex <= maxIndex ? [minY, maxY] : [maxY, minY];
    let previous = firstY;
    if (a !== previous) {
      push(column, a);
      previous = a;
    }
    if (b !== previous) {
      push(column, b);
      previous = b;
    }
    if (lastY !== previous) push(column, lastY);
  };
  for (let i = 1; i < count; i++) {
    const x = Math.round(x0 + i * xPerSample);
    const v = values[i]!;
    const y = log ? (v > 0 ? bottom - (Math.log10(v) - low) * yScale : bottom) : bottom - (v - low) * yScale;
    if (x !== column) {
      flush();
      column = x;
      firstY = minY = maxY = lastY = y;
      minIndex = maxIndex = i;
      continue;
    }
    if (y > minY) {
      minY = y;
      minIndex = i;
    } else if (y < maxY) {
      maxY = y;
      maxIndex = i;
    }
    lastY = y;
  }
  flush();
  return { points, length };
}

/** The step under a pixel x (clamped to the plotted range). */
export function stepAt(layout: ChartLayout, x: number): number {
  const fraction = (x - layout.plot.left) / layout.plot.width;
  const clamped = Math.min(1, Math.max(0, fraction));
  return layout.start + clamped * (layout.end - layout.start);
}

/** Pixel y of a value; values <= 0 have no place on a log axis, so they sit on the bottom edge. */
export function pixelY(map: PixelMap, v: number): number {
  if (map.log) return v > 0 ? map.bottom - (Math.log10(v) - map.low) * map.yScale : map.bottom;
  return map.bottom - (v - map.low) * map.yScale;
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
