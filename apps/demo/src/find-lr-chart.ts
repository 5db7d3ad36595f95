/**
 * Charts of a range test: loss against learning rate on a logarithmic x axis, as an SVG document
 * (@anneal/plot's chart with a log x axis) and as terminal text (one letter per curve, on
 * @anneal/plot's log scale, decade ticks and text axis).
 */
import type { RangeTestResult } from '@anneal/core';
import {
  decadeTicks,
  formatDecadeTick,
  pixelScale,
  renderSvgChart,
  SERIES_DASHES,
  type SvgSeries,
  textAxis,
  toPixel,
} from '@anneal/plot';

export interface FindLrCurve {
  /** Legend name, e.g. `tfjs (wasm)`. */
  readonly name: string;
  readonly color: string;
  readonly result: RangeTestResult;
}

/** `1e-3`, `0.01`, `0.1`, `1`, `10`, `2.50e-4`: short labels for learning rates in text. */
export function formatRate(value: number): string {
  if (value >= 0.01 && value < 1000) return String(Number(value.toPrecision(3)));
  const short = formatDecadeTick(value);
  return Number(short) === value ? short : value.toExponential(2).replace('e+', 'e');
}

interface Frame {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/**
 * The drawn range: every recorded learning rate; losses from the lowest (raw or smoothed) loss to the
 * highest smoothed loss before the last `skipEndSteps` points (the divergence tail would flatten
 * the curve; it is clipped at the top).
 */
function frameOf(curves: readonly FindLrCurve[]): Frame | undefined {
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = 0;
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  for (const { result } of curves) {
    const n = result.learningRates.length;
    if (n === 0) continue;
    xMin = Math.min(xMin, result.learningRates[0]!);
    xMax = Math.max(xMax, result.learningRates[n - 1]!);
    const body = result.smoothedLosses.slice(0, Math.max(1, n - result.options.skipEndSteps));
    yMin = Math.min(yMin, ...result.smoothedLosses, ...result.losses);
    yMax = Math.max(yMax, ...body);
  }
  if (!(xMax > 0) || !Number.isFinite(yMin)) return undefined;
  if (!(xMax > xMin)) xMax = xMin * 10;
  const pad = (yMax - yMin) * 0.08 || Math.abs(yMax) * 0.1 || 1;
  return { xMin, xMax, yMin: yMin - pad, yMax: yMax + pad };
}

/** The points (x, y[k]) whose loss is finite. */
function finitePoints(x: readonly number[], y: readonly number[]): { x: number[]; y: number[] } {
  const points = { x: [] as number[], y: [] as number[] };
  x.forEach((value, index) => {
    if (Number.isFinite(value) && Number.isFinite(y[index])) {
      points.x.push(value);
      points.y.push(y[index]!);
    }
  });
  return points;
}

/** Raw losses as faint dots, the smoothed loss as a line, the valley suggestion as a ring. */
function curveSeries({ color, result }: FindLrCurve, index: number): SvgSeries[] {
  const raw = finitePoints(result.learningRates, result.losses);
  const smoothed = finitePoints(result.learningRates, result.smoothedLosses);
  const dash = SERIES_DASHES[index % SERIES_DASHES.length]!;
  const series: SvgSeries[] = [];
  if (raw.x.length > 0) series.push({ ...raw, color, marks: 'dots', radius: 1.6, opacity: 0.25 });
  if (smoothed.x.length > 0) series.push({ ...smoothed, color, dash, width: 1.8 });
  const valley = result.suggestions?.valley;
  if (valley) series.push({ x: [valley.value], y: [valley.loss], color, marks: 'rings' });
  return series;
}

function legendLabel({ name, result }: FindLrCurve): string {
  const valley = result.suggestions?.valley;
  if (!valley) return `${name}: no suggestion (${result.stopReason})`;
  const diverges =
    result.divergenceValue === undefined ? '' : `, diverges ≈ ${formatRate(result.divergenceValue)}`;
  return `${name}: valley ${formatRate(valley.value)}${diverges}`;
}

/**
 * An SVG document: the smoothed loss of each curve against the learning rate (log scale), the
 * raw losses as faint dots, each curve's valley suggestion as a ringed point and its divergence
 * point as a dashed vertical line. Curves without points are named in the legend as such.
 */
export function renderFindLrSvg(
  curves: readonly FindLrCurve[],
  title: string,
  width = 760,
  height = 400,
): string {
  const frame = frameOf(curves);
  return renderSvgChart(frame ? curves.flatMap(curveSeries) : [], {
    title,
    width,
    height,
    xScale: 'log',
    xRange: frame ? [frame.xMin, frame.xMax] : undefined,
    yMin: frame?.yMin,
    yMax: frame?.yMax,
    xLabel: 'learning rate (log scale)',
    yLabel: 'loss (smoothed; dots: per batch)',
    rules: curves.flatMap(({ color, result }) =>
      result.divergenceValue === undefined ? [] : [{ x: result.divergenceValue, color, dash: '3 3' }],
    ),
    legend: curves.map((curve, index) => ({
      label: legendLabel(curve),
      color: curve.color,
      dash: SERIES_DASHES[index % SERIES_DASHES.length],
    })),
    noDataMessage: 'no finite loss was recorded: nothing to plot',
    xmlDeclaration: false,
  });
}

/**
 * A text chart of the smoothed loss against log learning rate: one letter per curve (its
 * first), `*` where curves share a cell, `|` at the first curve's valley suggestion, decade
 * labels under the axis.
 */
export function renderFindLrTerminal(curves: readonly FindLrCurve[], columns = 72, rows = 14): string {
  const frame = frameOf(curves);
  if (!frame) return '(no finite loss was recorded: nothing to plot)\n';
  const width = Math.max(20, columns - 10);
  const grid: string[][] = Array.from({ length: rows }, () => Array<string>(width).fill(' '));
  const xScale = pixelScale([frame.xMin, frame.xMax], 0, width - 1, true);
  const yScale = pixelScale([frame.yMin, frame.yMax], rows - 1, 0);
  const column = (x: number) => Math.min(width - 1, Math.max(0, Math.round(toPixel(xScale, x))));
  const row = (y: number) => Math.round(toPixel(yScale, Math.min(frame.yMax, Math.max(frame.yMin, y))));
  const valley = curves[0]?.result.suggestions?.valley;
  if (valley) for (let r = 0; r < rows; r++) grid[r]![column(valley.value)] = '|';
  for (const { name, result } of curves) {
    const mark = name.charAt(0) || '#';
    result.learningRates.forEach((x, k) => {
      const cell = grid[row(result.smoothedLosses[k]!)]!;
      const c = column(x);
      cell[c] = cell[c] === ' ' || cell[c] === '|' || cell[c] === mark ? mark : '*';
    });
  }
  const label = (value: number) => Number(value.toPrecision(3)).toString().padStart(8);
  const lines = grid.map((cells, r) => {
    const edge = r === 0 ? label(frame.yMax) : r === rows - 1 ? label(frame.yMin) : ' '.repeat(8);
    return `${edge} ┤${cells.join('')}`;
  });
  const axis = textAxis(
    width,
    decadeTicks(frame.xMin, frame.xMax).map((tick) => ({
      column: column(tick),
      label: formatDecadeTick(tick),
    })),
  );
  lines.push(`${' '.repeat(8)} ${axis.axis}`, `${' '.repeat(10)}${axis.labels}`);
  const legend = curves.map(({ name }) => `${name.charAt(0)} = ${name}`).join(', ');
  lines.push(
    `${' '.repeat(10)}learning rate (log scale); ${legend}${valley ? '; | = valley suggestion' : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
