import { type ChartLayout, legendRowHeight } from './chart';

export const chartFont = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const axisColor = '#4b5563';
const gridColor = '#e5e7eb';
/** Opacity of a wide curve (a reference drawn under its native equivalent). */
export const wideAlpha = 0.35;

/** Legend entries laid out in rows that fit the width (shared with the SVG export). */
export function legendPositions(
  layout: ChartLayout,
  measure: (text: string) => number,
): { x: number; y: number; label: string; color: string; dashed: boolean; wide: boolean }[] {
  const result: { x: number; y: number; label: string; color: string; dashed: boolean; wide: boolean }[] = [];
  let x = layout.plot.left;
  let row = 0;
  for (const entry of layout.legend) {
    const width = 28 + measure(entry.label) + 16;
    if (x + width > layout.width - 8 && x > layout.plot.left && row < layout.legendRows - 1) {
      row++;
      x = layout.plot.left;
    }
    result.push({ x, y: 10 + row * legendRowHeight, ...entry });
    x += width;
  }
  return result;
}

/** How many legend rows `labels` need at `width` (estimating 7 px per character). */
export function legendRowsFor(labels: readonly string[], width: number): number {
  let rows = 1;
  let x = 64;
  for (const label of labels) {
    const entry = 28 + label.length * 7 + 16;
    if (x + entry > width - 8 && x > 64) {
      rows++;
      x = 64;
    }
    x += entry;
  }
  return labels.length === 0 ? 0 : rows;
}

/** Draws a layout on a 2D canvas context (already scaled for the device pixel ratio). */
export function paintChart(context: CanvasRenderingContext2D, layout: ChartLayout): void {
  context.save();
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, layout.width, layout.height);
  context.font = chartFont;
  context.lineWidth = 1;
  paintAxes(context, layout);
  paintPhases(context, layout);
  paintCurves(context, layout);
  // Legend (exports only: the page shows an HTML legend).
  if (layout.legendRows > 0) paintLegend(context, layout);
  if (layout.clippedZeros) {
    context.fillStyle = axisColor;
    context.textAlign = 'left';
    context.textBaseline = 'bottom';
    context.fillText('values <= 0 drawn on the bottom edge', layout.plot.left, layout.height - 2);
  }
  context.restore();
}

/** Grid lines, tick labels, the "step" axis title and the plot frame. */
function paintAxes(context: CanvasRenderingContext2D, layout: ChartLayout): void {
  const { plot } = layout;
  context.strokeStyle = gridColor;
  context.beginPath();
  for (const tick of layout.yTicks) {
    const y = Math.round(tick.position) + 0.5;
    context.moveTo(plot.left, y);
    context.lineTo(plot.left + plot.width, y);
  }
  for (const tick of layout.xTicks) {
    const x = Math.round(tick.position) + 0.5;
    context.moveTo(x, plot.top);
    context.lineTo(x, plot.top + plot.height);
  }
  context.stroke();
  context.fillStyle = axisColor;
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  for (const tick of layout.yTicks) context.fillText(tick.label, plot.left - 6, tick.position);
  context.textAlign = 'center';
  context.textBaseline = 'top';
  for (const tick of layout.xTicks) context.fillText(tick.label, tick.position, plot.top + plot.height + 6);
  context.textAlign = 'right';
  context.textBaseline = 'bottom';
  context.fillText('step', plot.left + plot.width, layout.height - 2);
  context.strokeStyle = axisColor;
  context.strokeRect(plot.left + 0.5, plot.top + 0.5, plot.width, plot.height);
}

/** Phase boundaries: dashed lines in the series' colour, labelled where the label fits. */
function paintPhases(context: CanvasRenderingContext2D, layout: ChartLayout): void {
  const { plot } = layout;
  context.save();
  context.setLineDash([3, 3]);
  context.textAlign = 'left';
  context.textBaseline = 'top';
  let labelEnd = Number.NEGATIVE_INFINITY;
  for (const phase of layout.phases) {
    const x = Math.round(phase.x) + 0.5;
    context.strokeStyle = phase.color;
    context.globalAlpha = 0.55;
    context.beginPath();
    context.moveTo(x, plot.top);
    context.lineTo(x, plot.top + plot.height);
    context.stroke();
    context.globalAlpha = 1;
    // Labels that would overlap the previous one are left out (the line stays).
    const width = context.measureText(phase.name).width;
    if (x + 3 >= labelEnd + 4 && x + 3 + width <= plot.left + plot.width) {
      context.fillStyle = phase.color;
      context.fillText(phase.name, x + 3, plot.top + 3);
      labelEnd = x + 3 + width;
    }
  }
  context.restore();
}

/** The curves, clipped to the plot. */
function paintCurves(context: CanvasRenderingContext2D, layout: ChartLayout): void {
  const { plot } = layout;
  context.save();
  context.beginPath();
  context.rect(plot.left, plot.top - 1, plot.width, plot.height + 2);
  context.clip();
  // Bevel joins: as good as round at these widths on dense paths, and cheaper to rasterize.
  context.lineJoin = 'bevel';
  for (const path of layout.paths) {
    context.strokeStyle = path.color;
    context.globalAlpha = path.wide ? wideAlpha : 1;
    context.lineWidth = path.wide ? 7 : path.dashed ? 2 : 2.5;
    context.setLineDash(path.dashed ? [7, 5] : []);
    context.beginPath();
    const points = path.points;
    if (path.length >= 2) context.moveTo(points[0]!, points[1]!);
    for (let i = 2; i < path.length; i += 2) context.lineTo(points[i]!, points[i + 1]!);
    if (path.length === 2) context.lineTo(points[0]! + 0.01, points[1]!);
    context.stroke();
  }
  context.globalAlpha = 1;
  context.restore();
}

/** The legend above the plot, in rows that fit the width. */
function paintLegend(context: CanvasRenderingContext2D, layout: ChartLayout): void {
  context.textAlign = 'left';
  context.textBaseline = 'middle';
  for (const entry of legendPositions(layout, (text) => context.measureText(text).width)) {
    context.strokeStyle = entry.color;
    context.globalAlpha = entry.wide ? wideAlpha : 1;
    context.lineWidth = entry.wide ? 7 : 2.5;
    context.setLineDash(entry.dashed ? [5, 3] : []);
    context.beginPath();
    context.moveTo(entry.x, entry.y);
    context.lineTo(entry.x + 22, entry.y);
    context.stroke();
    context.globalAlpha = 1;
    context.fillStyle = '#111827';
    context.fillText(entry.label, entry.x + 28, entry.y);
  }
  context.setLineDash([]);
}
