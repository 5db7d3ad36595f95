import { escapeXml as escapeText, renderSvgScene, textWidth } from '@anneal/plot';
import type { ChartLayout } from './chart';
import { legendPositions, wideAlpha } from './paint';

/** Text as the exported SVG writes it: numeric character references (`&#60;`, `&#39;`). */
export function escapeXml(text: string): string {
  return escapeText(text, 'numeric');
}

/**
 * The chart as a standalone SVG document (legend included), from the same layout the canvas
 * draws, written by @anneal/plot's SVG writer.
 */
export function chartSvg(layout: ChartLayout, title: string): string {
  const { plot } = layout;
  return renderSvgScene({
    width: layout.width,
    height: layout.height,
    label: title,
    plot,
    xTicks: layout.xTicks,
    yTicks: layout.yTicks,
    xLabel: 'step',
    rules: layout.phases.map((phase) => ({
      x: phase.x,
      color: phase.color,
      dash: '3 3',
      opacity: 0.55,
      label: phase.name,
    })),
    lines: layout.paths.map((path) => ({
      points: path.points,
      length: path.length,
      color: path.color,
      width: path.wide ? 7 : path.dashed ? 2 : 2.5,
      opacity: path.wide ? wideAlpha : undefined,
      dash: path.dashed ? '7 5' : undefined,
      label: path.label,
    })),
    legend: legendPositions(layout, (text) => textWidth(text, 12)).map((entry) => ({
      x: entry.x,
      y: entry.y,
      label: entry.label,
      color: entry.color,
      width: entry.wide ? 7 : 2.5,
      opacity: entry.wide ? wideAlpha : undefined,
      dash: entry.dashed ? '5 3' : undefined,
    })),
    notes: layout.clippedZeros
      ? [{ x: plot.left, y: layout.height - 4, text: 'values <= 0 drawn on the bottom edge' }]
      : [],
    clipId: 'plot',
    escapeText: escapeXml,
  });
}

/** Values as CSV: a `step` column (the steps `sample` evaluates), then one column per curve (full precision). */
export function valuesCsv(
  start: number,
  end: number,
  stride: number,
  curves: readonly { readonly label: string; readonly values: Float64Array }[],
): string {
  const quote = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const rows = [['step', ...curves.map((curve) => quote(curve.label))].join(',')];
  const count = curves.reduce((most, curve) => Math.max(most, curve.values.length), 0);
  for (let i = 0; i < count; i++) {
    const row = [String(Math.min(start + i * stride, end))];
    for (const curve of curves) row.push(i < curve.values.length ? String(curve.values[i]) : '');
    rows.push(row.join(','));
  }
  return `${rows.join('\n')}\n`;
}
