import { ChartInputError } from '../errors';
import { formatSpan, formatStepTicks, formatValueTicks, stepAxis, valueAxis } from './scale';
import {
  type ChartOptionsBase,
  type ChartSeries,
  checkSeries,
  decimate,
  stepCorners,
  visiblePhases,
} from './series';

export interface SvgChartOptions extends ChartOptionsBase {
  /** Pixels; default 800. */
  readonly width?: number;
  /** Pixels; default 400. */
  readonly height?: number;
  /** Default `step`. */
  readonly xLabel?: string;
  /** Default `learning rate`. */
  readonly yLabel?: string;
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
const SERIES_DASHES = ['', '7 5', '2 4', '10 4 2 4'] as const;

function seriesStyle(index: number): { color: string; dash: string } {
  return {
    color: SERIES_COLORS[index % SERIES_COLORS.length]!,
    dash: SERIES_DASHES[index % SERIES_DASHES.length]!,
  };
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (char) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[char]};`,
  );
}

const round = (value: number) => String(Math.round(value * 100) / 100);
const fontFamily = 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif';

/** Rough text width for layout decisions (no font metrics in a string renderer). */
function textWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.6;
}

/**
 * Renders series as a self-contained SVG document (no external fonts, styles or scripts): a
 * title, shaded phase bands with their names, grid, axes with ticks and labels, one path per
 * series and a legend when there is more than one labelled series. Long series are decimated
 * (first/min/max/last per pixel column), so a million points stay a small file.
 *
 * Throws `ChartInputError` listing every problem (empty or mismatched series, non-finite
 * points, sizes out of range).
 */
export function renderSvgChart(series: readonly ChartSeries[], options: SvgChartOptions = {}): string {
  const width = options.width ?? 800;
  const height = options.height ?? 400;
  const sizeIssues: string[] = [];
  if (!(Number.isInteger(width) && width >= 200 && width <= 10_000)) {
    sizeIssues.push(`width must be an integer from 200 to 10000 pixels; received ${width}`);
  }
  if (!(Number.isInteger(height) && height >= 120 && height <= 10_000)) {
    sizeIssues.push(`height must be an integer from 120 to 10000 pixels; received ${height}`);
  }
  if (sizeIssues.length > 0) throw new ChartInputError('renderSvgChart', sizeIssues);
  const bounds = checkSeries('renderSvgChart', series, options);
  const fullTitle = options.title ?? '';
  // Bold 15 px text runs about 0.68 em per character.
  const titleRoom = Math.floor((width - 24) / (15 * 0.68));
  const title = fullTitle.length <= titleRoom ? fullTitle : `${fullTitle.slice(0, titleRoom - 1)}…`;
  const labelled = series.filter((item) => item.label);
  const showLegend = labelled.length > 1 || (labelled.length === 1 && series.length > 1);

  const yAxis = valueAxis(bounds.yMin, bounds.yMax, Math.max(2, Math.round(height / 70)));
  const yLabels = formatValueTicks(yAxis.ticks);
  const left = 28 + Math.max(...yLabels.map((label) => textWidth(label, 12))) + 10;
  const hasPhases = visiblePhases(options.phases, bounds.xMin, bounds.xMax).length > 0;
  const right = 24;
  // Legend entries flow left to right and wrap to new rows within the width.
  const legendTop = (title ? 40 : 16) + 8;
  const legend: { label: string; x: number; y: number; index: number }[] = [];
  if (showLegend) {
    let x = left;
    let y = legendTop;
    series.forEach((item, index) => {
      const label = item.label ?? `series ${index + 1}`;
      const entryWidth = 24 + textWidth(label, 12) + 18;
      if (x > left && x + entryWidth - 18 > width - right) {
        x = left;
        y += 18;
      }
      legend.push({ label, x, y, index });
      x += entryWidth;
    });
  }
  const legendHeight = legend.length > 0 ? legend.at(-1)!.y - legendTop + 22 : 0;
  const top = (title ? 40 : 16) + legendHeight + (hasPhases ? 18 : 0);
  const bottom = 52;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  if (plotWidth < 40 || plotHeight < 40) {
    throw new ChartInputError('renderSvgChart', [
      `the plot area is too small (${Math.round(plotWidth)}×${Math.round(plotHeight)} px) for ${width}×${height} px with these labels`,
    ]);
  }
  const xAxis = stepAxis(bounds.xMin, bounds.xMax, Math.max(2, Math.round(plotWidth / 90)));
  const px = (x: number) => left + ((x - xAxis.min) / (xAxis.max - xAxis.min)) * plotWidth;
  const py = (y: number) => top + plotHeight - ((y - yAxis.min) / (yAxis.max - yAxis.min)) * plotHeight;

  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(fullTitle || 'learning-rate schedule')}" font-family="${fontFamily}">`,
  );
  out.push(`<title>${escapeXml(fullTitle || 'learning-rate schedule')}</title>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  if (title) {
    out.push(
      `<text x="${round(width / 2)}" y="24" text-anchor="middle" font-size="15" font-weight="600" fill="#111827">${escapeXml(title)}</text>`,
    );
  }

  // Phase bands, alternately tinted, with the phase name at the top of each band.
  const phases = visiblePhases(options.phases, xAxis.min, xAxis.max);
  if (phases.length > 0) {
    out.push('<g class="phases">');
    phases.forEach((phase, index) => {
      const x0 = px(phase.start);
      const x1 = px(phase.end);
      const fill = index % 2 === 0 ? '#eef2ff' : '#f8fafc';
      out.push(
        `<rect x="${round(x0)}" y="${round(top)}" width="${round(Math.max(0, x1 - x0))}" height="${round(plotHeight)}" fill="${fill}"/>`,
      );
      if (phase.start > xAxis.min) {
        out.push(
          `<line x1="${round(x0)}" y1="${round(top - 18)}" x2="${round(x0)}" y2="${round(top + plotHeight)}" stroke="#94a3b8" stroke-dasharray="4 3"/>`,
        );
      }
      if (textWidth(phase.name, 11) + 8 <= x1 - x0) {
        out.push(
          `<text x="${round(x0 + 4)}" y="${round(top - 6)}" font-size="11" fill="#475569">${escapeXml(phase.name)}</text>`,
        );
      }
    });
    out.push('</g>');
  }

  // Grid and ticks.
  out.push('<g class="grid" stroke="#e5e7eb" stroke-width="1">');
  for (const tick of yAxis.ticks) {
    out.push(
      `<line x1="${round(left)}" y1="${round(py(tick))}" x2="${round(left + plotWidth)}" y2="${round(py(tick))}"/>`,
    );
  }
  for (const tick of xAxis.ticks) {
    out.push(
      `<line x1="${round(px(tick))}" y1="${round(top)}" x2="${round(px(tick))}" y2="${round(top + plotHeight)}"/>`,
    );
  }
  out.push('</g>');
  out.push('<g class="axes" stroke="#374151" stroke-width="1">');
  out.push(
    `<line x1="${round(left)}" y1="${round(top)}" x2="${round(left)}" y2="${round(top + plotHeight)}"/>`,
  );
  out.push(
    `<line x1="${round(left)}" y1="${round(top + plotHeight)}" x2="${round(left + plotWidth)}" y2="${round(top + plotHeight)}"/>`,
  );
  for (const tick of yAxis.ticks) {
    out.push(
      `<line x1="${round(left - 5)}" y1="${round(py(tick))}" x2="${round(left)}" y2="${round(py(tick))}"/>`,
    );
  }
  for (const tick of xAxis.ticks) {
    const x = round(px(tick));
    out.push(
      `<line x1="${x}" y1="${round(top + plotHeight)}" x2="${x}" y2="${round(top + plotHeight + 5)}"/>`,
    );
  }
  out.push('</g>');
  out.push('<g class="tick-labels" font-size="12" fill="#374151">');
  yAxis.ticks.forEach((tick, index) => {
    out.push(
      `<text x="${round(left - 8)}" y="${round(py(tick) + 4)}" text-anchor="end">${escapeXml(yLabels[index]!)}</text>`,
    );
  });
  const xLabels = formatStepTicks(xAxis.ticks);
  xAxis.ticks.forEach((tick, index) => {
    out.push(
      `<text x="${round(px(tick))}" y="${round(top + plotHeight + 19)}" text-anchor="middle">${escapeXml(xLabels[index]!)}</text>`,
    );
  });
  out.push('</g>');
  out.push(
    `<text x="${round(left + plotWidth / 2)}" y="${round(height - 10)}" text-anchor="middle" font-size="12" fill="#4b5563">${escapeXml(options.xLabel ?? 'step')}</text>`,
  );
  out.push(
    `<text transform="translate(14 ${round(top + plotHeight / 2)}) rotate(-90)" text-anchor="middle" font-size="12" fill="#4b5563">${escapeXml(options.yLabel ?? 'learning rate')}</text>`,
  );

  // Curves, clipped to the plot area.
  // The id is derived from the clip geometry: charts inlined in one HTML page either get distinct
  // ids or share an identical clip rectangle, so a reference never clips the wrong chart.
  const clipId = `anneal-plot-${[left, top, plotWidth, plotHeight].map((value) => Math.round(value)).join('-')}`;
  out.push(
    `<clipPath id="${clipId}"><rect x="${round(left)}" y="${round(top - 2)}" width="${round(plotWidth)}" height="${round(plotHeight + 4)}"/></clipPath>`,
  );
  out.push(
    `<g class="series" clip-path="url(#${clipId})" fill="none" stroke-width="2" stroke-linejoin="round">`,
  );
  series.forEach((item, index) => {
    const decimated = decimate(item, xAxis.min, xAxis.max, Math.ceil(plotWidth));
    // Corners only matter while points are sparser than pixels; dense curves look the same without.
    const points =
      options.curve === 'step' && decimated.x.length <= Math.ceil(plotWidth)
        ? stepCorners(decimated)
        : decimated;
    if (points.x.length === 0) return;
    const { color, dash } = seriesStyle(index);
    const commands = points.x.map(
      (x, point) => `${point === 0 ? 'M' : 'L'}${round(px(x))} ${round(py(points.y[point]!))}`,
    );
    if (points.x.length === 1) commands.push(`h0.01`);
    const dashAttribute = dash ? ` stroke-dasharray="${dash}"` : '';
    const label = item.label ? ` data-label="${escapeXml(item.label)}"` : '';
    out.push(`<path d="${commands.join(' ')}" stroke="${color}"${dashAttribute}${label}/>`);
  });
  out.push('</g>');

  if (legend.length > 0) {
    out.push('<g class="legend" font-size="12" fill="#111827">');
    for (const entry of legend) {
      const { color, dash } = seriesStyle(entry.index);
      const dashAttribute = dash ? ` stroke-dasharray="${dash}"` : '';
      out.push(
        `<line x1="${round(entry.x)}" y1="${round(entry.y)}" x2="${round(entry.x + 18)}" y2="${round(entry.y)}" stroke="${color}" stroke-width="3"${dashAttribute}/>`,
      );
      out.push(`<text x="${round(entry.x + 24)}" y="${round(entry.y + 4)}">${escapeXml(entry.label)}</text>`);
    }
    out.push('</g>');
  }
  if (options.phases && options.phases.length > 0) {
    const described = options.phases
      .map((phase) => `${phase.name} ${formatSpan(phase.start, phase.end)}`)
      .join(', ');
    out.push(`<desc>phases: ${escapeXml(described)}</desc>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
