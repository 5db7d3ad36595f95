import type { ChartLayout } from './chart';
import { legendPositions, wideAlpha } from './paint';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const round = (value: number) => String(Math.round(value * 10) / 10);

/** The chart as a standalone SVG document (legend included), from the same layout the canvas draws. */
export function chartSvg(layout: ChartLayout, title: string): string {
  const { plot } = layout;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  );
  const grid = [
    ...layout.yTicks.map((t) => `M${plot.left} ${round(t.position)}H${round(plot.left + plot.width)}`),
    ...layout.xTicks.map((t) => `M${round(t.position)} ${plot.top}V${round(plot.top + plot.height)}`),
  ].join('');
  parts.push(`<path d="${grid}" stroke="#e5e7eb" fill="none"/>`);
  for (const tick of layout.yTicks)
    parts.push(
      `<text x="${plot.left - 6}" y="${round(tick.position)}" text-anchor="end" dominant-baseline="middle" fill="#4b5563">${escapeXml(tick.label)}</text>`,
    );
  for (const tick of layout.xTicks)
    parts.push(
      `<text x="${round(tick.position)}" y="${round(plot.top + plot.height + 18)}" text-anchor="middle" fill="#4b5563">${escapeXml(tick.label)}</text>`,
    );
  parts.push(
    `<text x="${round(plot.left + plot.width)}" y="${layout.height - 4}" text-anchor="end" fill="#4b5563">step</text>`,
    `<rect x="${plot.left}" y="${plot.top}" width="${round(plot.width)}" height="${round(plot.height)}" fill="none" stroke="#4b5563"/>`,
  );
  let labelEnd = Number.NEGATIVE_INFINITY;
  for (const phase of layout.phases) {
    parts.push(
      `<path d="M${round(phase.x)} ${plot.top}V${round(plot.top + plot.height)}" stroke="${phase.color}" stroke-opacity="0.55" stroke-dasharray="3 3"/>`,
    );
    const width = phase.name.length * 7;
    if (phase.x + 3 >= labelEnd + 4 && phase.x + 3 + width <= plot.left + plot.width) {
      parts.push(
        `<text x="${round(phase.x + 3)}" y="${plot.top + 14}" fill="${phase.color}">${escapeXml(phase.name)}</text>`,
      );
      labelEnd = phase.x + 3 + width;
    }
  }
  parts.push(
    `<clipPath id="plot"><rect x="${plot.left}" y="${plot.top - 1}" width="${round(plot.width)}" height="${round(plot.height + 2)}"/></clipPath>`,
  );
  for (const path of layout.paths) {
    const d: string[] = [];
    for (let i = 0; i < path.length; i += 2)
      d.push(`${i === 0 ? 'M' : 'L'}${round(path.points[i]!)} ${round(path.points[i + 1]!)}`);
    if (d.length === 0) continue;
    parts.push(
      `<path d="${d.join('')}" fill="none" stroke="${path.color}" stroke-width="${path.wide ? 7 : path.dashed ? 2 : 2.5}"${path.wide ? ` stroke-opacity="${wideAlpha}"` : ''} stroke-linejoin="bevel"${path.dashed ? ' stroke-dasharray="7 5"' : ''} clip-path="url(#plot)"><title>${escapeXml(path.label)}</title></path>`,
    );
  }
  for (const entry of legendPositions(layout, (text) => text.length * 7)) {
    parts.push(
      `<path d="M${entry.x} ${entry.y}h22" stroke="${entry.color}" stroke-width="${entry.wide ? 7 : 2.5}"${entry.wide ? ` stroke-opacity="${wideAlpha}"` : ''}${entry.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
      `<text x="${entry.x + 28}" y="${entry.y}" dominant-baseline="middle" fill="#111827">${escapeXml(entry.label)}</text>`,
    );
  }
  if (layout.clippedZeros)
    parts.push(
      `<text x="${plot.left}" y="${layout.height - 4}" fill="#4b5563">values &lt;= 0 drawn on the bottom edge</text>`,
    );
  parts.push('</svg>');
  return parts.join('\n');
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
