import { svgNumber as n, svgDocument, textWidth } from './svg';

export interface SvgBar {
  readonly name: string;
  readonly value: number;
  readonly color: string;
  /** Written after the bar, e.g. `4,800 /s`. */
  readonly label: string;
}

export interface SvgBarChartOptions {
  readonly title: string;
  /** Under the bars: what their length measures. */
  readonly xLabel: string;
  readonly bars: readonly SvgBar[];
  /** Pixels; default 560. The height follows from the number of bars. */
  readonly width?: number;
  /** Start with `<?xml …?>` and end with a newline, as a file (default true); false to inline the SVG. */
  readonly xmlDeclaration?: boolean;
  /** A `class` for the root `<svg>`, for the page it is inlined in. */
  readonly className?: string;
}

/**
 * A horizontal bar chart as a self-contained SVG document: one row per bar with its name on the
 * left, the bar (its length proportional to `value`, the largest spanning the plot) and `label`
 * after it.
 */
export function renderSvgBarChart(options: SvgBarChartOptions): string {
  const width = options.width ?? 560;
  const rowHeight = 34;
  // The names sit left of the bars: the margin fits the longest one (at least 130 px), up to half the width.
  const longestName = Math.max(0, ...options.bars.map((bar) => textWidth(bar.name, 12)));
  const left = Math.min(width / 2, Math.max(130, Math.ceil(longestName) + 16));
  const margin = { left, right: 90, top: 40, bottom: 36 };
  const height = margin.top + margin.bottom + rowHeight * Math.max(1, options.bars.length);
  const plotWidth = width - margin.left - margin.right;
  const largest = Math.max(1e-12, ...options.bars.map((bar) => bar.value));
  const head = {
    ...options,
    width,
    height,
    label: options.title,
    xmlDeclaration: options.xmlDeclaration ?? true,
  };
  return svgDocument(head, (escapeText) => [
    '<g class="bars" font-size="12" fill="#111827">',
    ...options.bars.flatMap((bar, index) => {
      const y = margin.top + index * rowHeight + 6;
      const barWidth = Math.max(1, (bar.value / largest) * plotWidth);
      return [
        `<text x="${margin.left - 8}" y="${y + 15}" text-anchor="end">${escapeText(bar.name)}</text>`,
        `<path d="M${margin.left} ${y}h${n(barWidth)}v22h${n(-barWidth)}z" fill="${bar.color}"/>`,
        `<text x="${n(margin.left + barWidth + 6)}" y="${y + 15}">${escapeText(bar.label)}</text>`,
      ];
    }),
    '</g>',
    `<text x="${n(margin.left + plotWidth / 2)}" y="${height - 10}" text-anchor="middle" font-size="12" fill="#4b5563">${escapeText(options.xLabel)}</text>`,
  ]);
}
