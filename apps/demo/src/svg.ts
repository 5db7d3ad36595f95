/**
 * The report page's charts: inline SVG drawn by @anneal/plot, in the demo's sizes and with its
 * tick notation. `escapeXml` is re-exported for the page's own markup.
 */
import { renderSvgBarChart, renderSvgChart, type SvgBar, type SvgSeries } from '@anneal/plot';

export { escapeXml } from '@anneal/plot';

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  /** SVG stroke-dasharray, e.g. "6 4" (so overlaid identical curves stay visible). */
  readonly dash?: string;
  readonly width?: number;
  /** Draw dots instead of a line. */
  readonly markers?: boolean;
  /** Dot radius (default 3.5); a larger dot drawn first stays visible under a smaller one. */
  readonly markerRadius?: number;
}

export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly width?: number;
  readonly height?: number;
  readonly yMin?: number;
  readonly yMax?: number;
  /**
   * @deprecated The legend sits under the title, above the plot, where it hides no curve; the
   * corner it once took inside the plot is no longer needed. Ignored.
   */
  readonly legend?: 'top' | 'bottom';
}

/** The report's value labels: exponents (one decimal) from 1e4 and below 1e-3, else up to 4 digits. */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e4 || abs < 1e-3) return value.toExponential(1).replace('e+', 'e');
  return Number(value.toPrecision(4)).toString();
}

/** A line chart of per-step series (non-finite points are left out; long series are decimated per pixel). */
export function lineChart(options: LineChartOptions): string {
  const series = options.series.flatMap((item): SvgSeries[] => {
    const points = item.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (points.length === 0) return [];
    return [
      {
        label: item.name,
        x: points.map(([x]) => x),
        y: points.map(([, y]) => y),
        color: item.color,
        dash: item.dash ?? '',
        width: item.width ?? 1.6,
        marks: item.markers ? 'dots' : 'line',
        radius: item.markerRadius,
      },
    ];
  });
  return renderSvgChart(series, {
    title: options.title,
    xLabel: options.xLabel,
    yLabel: options.yLabel,
    width: options.width ?? 560,
    height: options.height ?? 300,
    yMin: options.yMin,
    yMax: options.yMax,
    formatYTicks: (ticks) => ticks.map(formatTick),
    legend: options.series.map((item) => ({
      label: item.name,
      color: item.color,
      dash: item.dash,
      width: Math.max(2, item.width ?? 1.6),
      marker: item.markers,
    })),
    noDataMessage: 'no data',
    xmlDeclaration: false,
    className: 'chart',
  });
}

/** One bar per runtime (throughput), its value written after it. */
export function barChart(options: {
  title: string;
  xLabel: string;
  bars: readonly SvgBar[];
  width?: number;
}): string {
  return renderSvgBarChart({ ...options, xmlDeclaration: false, className: 'chart' });
}
