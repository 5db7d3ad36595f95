import { ChartInputError } from './errors';
import { type PixelScale, pixelScale, toPixel } from './scale';
import {
  type Bounds,
  type ChartOptionsBase,
  type ChartSeries,
  checkSeries,
  checkSizes,
  plotPoints,
  visiblePhases,
} from './series';
import {
  renderSvgScene,
  type SceneBand,
  type SceneLegendEntry,
  type SceneLine,
  type SceneMarkers,
  type SceneRule,
  type SceneTick,
  type SvgScene,
  textWidth,
} from './svg';
import { formatDecadeTick, formatSpan, formatStepTicks, formatValueTicks } from './tick-labels';
import { type Axis, decadeTicks, niceStep, niceTicks, stepAxis, valueAxis } from './ticks';

/** A series with its look; everything defaults by series index. */
export interface SvgSeries extends ChartSeries {
  /** Default: `SERIES_COLORS` in order. */
  readonly color?: string;
  /** A stroke-dasharray (`''` for solid); default: solid for the first series, then dashed patterns. */
  readonly dash?: string;
  /** Stroke width in pixels; default 2. */
  readonly width?: number;
  readonly opacity?: number;
  /** `'line'` (default), `'dots'` (filled circles) or `'rings'` (stroked circles, for marked points). */
  readonly marks?: 'line' | 'dots' | 'rings';
  /** Circle radius for dots (default 3.5) and rings (default 6). */
  readonly radius?: number;
}

/** A legend entry given explicitly (instead of one per labelled series). */
export interface SvgLegendEntry {
  readonly label: string;
  readonly color: string;
  readonly dash?: string;
  readonly width?: number;
  /** A dot instead of a line sample. */
  readonly marker?: boolean;
}

export interface SvgChartOptions extends ChartOptionsBase {
  /** Pixels; default 800. */
  readonly width?: number;
  /** Pixels; default 400. */
  readonly height?: number;
  /** Default `step`. */
  readonly xLabel?: string;
  /** Default `learning rate`. */
  readonly yLabel?: string;
  /**
   * `'linear'` (default): a step axis with integer ticks (`2.5k`); `'log'`: a logarithmic axis
   * over exactly the x range with a tick at each power of ten (x must be positive).
   */
  readonly xScale?: 'linear' | 'log';
  /** Fixes the bottom of the y axis; default 0, or below when values are negative. */
  readonly yMin?: number;
  /** Fixes the top of the y axis (values above are clipped); default 4% above the largest value. */
  readonly yMax?: number;
  /** Labels for the y ticks; default `formatValueTicks` (one notation per axis). */
  readonly formatYTicks?: (ticks: readonly number[]) => string[];
  /** Vertical lines at these x values (default colour slate, solid). */
  readonly rules?: readonly { readonly x: number; readonly color?: string; readonly dash?: string }[];
  /** The legend; default: one entry per series when more than one series is labelled (or one of several). */
  readonly legend?: readonly SvgLegendEntry[];
  /** Start with `<?xml …?>` and end with a newline, as a file (default true); false to inline the SVG. */
  readonly xmlDeclaration?: boolean;
  /** A `class` for the root `<svg>`, for the page it is inlined in. */
  readonly className?: string;
  /**
   * When given, no series (or only series without points) draws the frame, legend and this
   * message instead of throwing.
   */
  readonly noDataMessage?: string;
}

/** Line colours, in series order (colour-blind-safe-ish, readable on white). */
export const SERIES_COLORS = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#9333ea',
  '#ea580c',
  '#0891b2',
  '#4b5563',
] as const;

/** Dash patterns by series index: the first series is solid, later ones dashed so curves that coincide stay visible. */
export const SERIES_DASHES = ['', '7 5', '2 4', '10 4 2 4'] as const;

/** Margins right of and below the plot (tick labels and the x axis name). */
const rightMargin = 20;
const bottomMargin = 48;
const defaultLabel = 'learning-rate schedule';

/** Title, legend and the row of phase names above the plot: the placed legend and the plot's top. */
function header(
  options: SvgChartOptions,
  entries: readonly SvgLegendEntry[],
  left: number,
  width: number,
  hasPhases: boolean,
): { legend: SceneLegendEntry[]; top: number } {
  const titleHeight = options.title ? 40 : 16;
  const legend = placeLegend(entries, left, titleHeight + 8, width - rightMargin);
  return { legend: legend.placed, top: titleHeight + legend.height + (hasPhases ? 18 : 0) };
}

function checkBounds(series: readonly SvgSeries[], options: SvgChartOptions): Bounds {
  const bounds = checkSeries('renderSvgChart', series, options);
  if (options.xScale === 'log' && !(bounds.xMin > 0)) {
    throw new ChartInputError('renderSvgChart', [
      `xScale 'log' needs x values (and xRange) above 0; received ${bounds.xMin}`,
    ]);
  }
  return bounds;
}

/** The frame with the legend and `message` where the plot would be. */
function noDataScene(options: SvgChartOptions, width: number, height: number, message: string): SvgScene {
  const left = 64;
  const { legend, top } = header(options, options.legend ?? [], left, width, false);
  return {
    width,
    height,
    label: options.title || defaultLabel,
    title: options.title,
    plot: { left, top, width: width - left - rightMargin, height: height - top - bottomMargin },
    xTicks: [],
    yTicks: [],
    xLabel: options.xLabel ?? 'step',
    yLabel: options.yLabel ?? 'learning rate',
    legend,
    notes: [{ x: left + 8, y: top + 20, text: message }],
    xmlDeclaration: options.xmlDeclaration ?? true,
    className: options.className,
  };
}

/** The y axis: automatic (`valueAxis`), or the fixed ends with round ticks inside. */
function yAxisOf(bounds: Bounds, options: SvgChartOptions, count: number): Axis {
  if (options.yMin === undefined && options.yMax === undefined) {
    return valueAxis(bounds.yMin, bounds.yMax, count);
  }
  const auto = valueAxis(bounds.yMin, bounds.yMax, count);
  const min = options.yMin ?? auto.min;
  let max = options.yMax ?? auto.max;
  if (!(max > min)) max = min + (Math.abs(min) || 1);
  return { min, max, ticks: niceTicks(min, max, count), tickStep: niceStep(max - min, count) };
}

function legendOf(series: readonly SvgSeries[], options: SvgChartOptions): SvgLegendEntry[] {
  if (options.legend) return [...options.legend];
  const labelled = series.filter((item) => item.label);
  if (!(labelled.length > 1 || (labelled.length === 1 && series.length > 1))) return [];
  return series.map((item, index) => {
    const style = styleOf(item, index);
    return {
      label: item.label ?? `series ${index + 1}`,
      color: style.color,
      dash: style.dash,
      width: Math.max(3, style.width),
      marker: item.marks === 'dots',
    };
  });
}

/** Legend entries flow left to right under the title and wrap to new rows within the width. */
function placeLegend(entries: readonly SvgLegendEntry[], left: number, top: number, right: number) {
  const placed: SceneLegendEntry[] = [];
  let x = left;
  let y = top;
  for (const entry of entries) {
    const entryWidth = 24 + textWidth(entry.label, 12) + 18;
    if (x > left && x + entryWidth - 18 > right) {
      x = left;
      y += 18;
    }
    placed.push({ ...entry, x, y, width: entry.width ?? 3 });
    x += entryWidth;
  }
  return { placed, height: placed.length > 0 ? placed.at(-1)!.y - top + 22 : 0 };
}

function styleOf(item: SvgSeries, index: number) {
  return {
    color: item.color ?? SERIES_COLORS[index % SERIES_COLORS.length]!,
    dash: item.dash ?? SERIES_DASHES[index % SERIES_DASHES.length]!,
    width: item.width ?? 2,
  };
}

/** Lines, dots and rings in pixels; says whether any line leaves the y range (and needs clipping). */
function drawSeries(
  series: readonly SvgSeries[],
  options: SvgChartOptions,
  x: { axis: Axis; scale: PixelScale },
  y: { axis: Axis; scale: PixelScale },
  plotWidth: number,
) {
  const lines: SceneLine[] = [];
  const markers: SceneMarkers[] = [];
  let leaves = false;
  series.forEach((item, index) => {
    const style = styleOf(item, index);
    const points = plotPoints(item, x.axis.min, x.axis.max, Math.ceil(plotWidth), options.curve);
    const pixels = new Float64Array(points.x.length * 2);
    points.x.forEach((value, point) => {
      pixels[2 * point] = toPixel(x.scale, value);
      pixels[2 * point + 1] = toPixel(y.scale, points.y[point]!);
    });
    if (item.marks === 'dots' || item.marks === 'rings') {
      const inside = points.y.flatMap((v, point) =>
        v >= y.axis.min && v <= y.axis.max ? [pixels[2 * point]!, pixels[2 * point + 1]!] : [],
      );
      const ring = item.marks === 'rings';
      markers.push({
        points: inside,
        color: style.color,
        radius: item.radius ?? (ring ? 6 : 3.5),
        ring,
        opacity: item.opacity,
      });
      return;
    }
    if (points.y.some((v) => v < y.axis.min || v > y.axis.max)) leaves = true;
    const path = { points: pixels, length: pixels.length };
    lines.push({ ...path, ...style, opacity: item.opacity, label: item.label });
  });
  return { lines, markers, leaves };
}

/** The chart laid out in pixels (see `renderSvgChart`). */
export function layoutSvgChart(series: readonly SvgSeries[], options: SvgChartOptions = {}): SvgScene {
  const width = options.width ?? 800;
  const height = options.height ?? 400;
  checkSizes('renderSvgChart', {
    width: [width, 200, 10_000, 'pixels'],
    height: [height, 120, 10_000, 'pixels'],
  });
  if (options.noDataMessage !== undefined && series.every((item) => item.x.length === 0)) {
    return noDataScene(options, width, height, options.noDataMessage);
  }
  const bounds = checkBounds(series, options);
  const yAxis = yAxisOf(bounds, options, Math.max(2, Math.round(height / 70)));
  const yLabels = (options.formatYTicks ?? formatValueTicks)(yAxis.ticks);
  // Room for the right-aligned tick labels and the rotated axis name, at least 64 px.
  const left = Math.max(64, 34 + Math.max(...yLabels.map((label) => textWidth(label, 11))));
  const hasPhases = visiblePhases(options.phases, bounds.xMin, bounds.xMax).length > 0;
  const { legend, top } = header(options, legendOf(series, options), left, width, hasPhases);
  const plot = { left, top, width: width - left - rightMargin, height: height - top - bottomMargin };
  if (plot.width < 40 || plot.height < 40) {
    throw new ChartInputError('renderSvgChart', [
      `the plot area is too small (${Math.round(plot.width)}×${Math.round(plot.height)} px) for ${width}×${height} px with these labels`,
    ]);
  }
  const log = options.xScale === 'log';
  const xAxis: Axis = log
    ? { min: bounds.xMin, max: bounds.xMax, ticks: decadeTicks(bounds.xMin, bounds.xMax), tickStep: 1 }
    : stepAxis(bounds.xMin, bounds.xMax, Math.max(2, Math.round(plot.width / 90)));
  const xLabels = log ? xAxis.ticks.map(formatDecadeTick) : formatStepTicks(xAxis.ticks);
  const x = { axis: xAxis, scale: pixelScale([xAxis.min, xAxis.max], left, left + plot.width, log) };
  const y = { axis: yAxis, scale: pixelScale([yAxis.min, yAxis.max], top + plot.height, top) };
  const drawn = drawSeries(series, options, x, y, plot.width);
  const tick =
    (scale: PixelScale, labels: readonly string[]) =>
    (value: number, index: number): SceneTick => ({
      position: toPixel(scale, value),
      label: labels[index]!,
    });
  return {
    width,
    height,
    label: options.title || defaultLabel,
    title: options.title,
    description: options.phases?.length
      ? `phases: ${options.phases.map((phase) => `${phase.name} ${formatSpan(phase.start, phase.end)}`).join(', ')}`
      : undefined,
    plot,
    xTicks: xAxis.ticks.map(tick(x.scale, xLabels)),
    yTicks: yAxis.ticks.map(tick(y.scale, yLabels)),
    xLabel: options.xLabel ?? 'step',
    yLabel: options.yLabel ?? 'learning rate',
    bands: bandsOf(options, xAxis, x.scale),
    rules: rulesOf(options, xAxis, x.scale),
    lines: drawn.lines,
    markers: drawn.markers,
    legend,
    // The id is derived from the clip geometry: charts inlined in one HTML page either get distinct
    // ids or share an identical clip rectangle, so a reference never clips the wrong chart.
    clipId: drawn.leaves
      ? `anneal-plot-${[left, top, plot.width, plot.height].map((value) => Math.round(value)).join('-')}`
      : undefined,
    xmlDeclaration: options.xmlDeclaration ?? true,
    className: options.className,
  };
}

/** Phase bands, alternately tinted. */
function bandsOf(options: SvgChartOptions, xAxis: Axis, scale: PixelScale): SceneBand[] {
  return visiblePhases(options.phases, xAxis.min, xAxis.max).map((phase, index) => ({
    x0: toPixel(scale, phase.start),
    x1: toPixel(scale, phase.end),
    fill: index % 2 === 0 ? '#eef2ff' : '#f8fafc',
    label: phase.name,
    boundary: phase.start > xAxis.min,
  }));
}

function rulesOf(options: SvgChartOptions, xAxis: Axis, scale: PixelScale): SceneRule[] {
  return (options.rules ?? [])
    .filter((rule) => rule.x >= xAxis.min && rule.x <= xAxis.max)
    .map((rule) => ({ x: toPixel(scale, rule.x), color: rule.color ?? '#94a3b8', dash: rule.dash }));
}

/**
 * Renders series as a self-contained SVG document (no external fonts, styles or scripts): a
 * title, shaded phase bands with their names, grid, axes with ticks and labels, one path per
 * line series (dots and rings as circles), vertical rules and a legend when there is more than
 * one labelled series. Long series are decimated (first/min/max/last per pixel column), so a
 * million points stay a small file.
 *
 * Throws `ChartInputError` listing every problem (empty or mismatched series, non-finite
 * points, sizes out of range).
 */
export function renderSvgChart(series: readonly SvgSeries[], options: SvgChartOptions = {}): string {
  return renderSvgScene(layoutSvgChart(series, options));
}
