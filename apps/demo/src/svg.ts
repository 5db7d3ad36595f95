/** Small dependency-free SVG charts for the self-contained report page. */

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
  /** Most points drawn per series (evenly thinned beyond it). */
  readonly maxPoints?: number;
  /** Corner of the legend inside the plot. Default `'top'` (top right). */
  readonly legend?: 'top' | 'bottom';
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** About `count` round tick values covering [low, high]. */
export function niceTicks(low: number, high: number, count = 5): number[] {
  if (!(high > low)) return [low];
  const rough = (high - low) / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step)
    ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

export function formatTick(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e4 || abs < 1e-3) return value.toExponential(1).replace('e+', 'e');
  return Number(value.toPrecision(4)).toString();
}

function thin(points: readonly (readonly [number, number])[], max: number): (readonly [number, number])[] {
  if (points.length <= max) return [...points];
  const stride = points.length / max;
  const result: (readonly [number, number])[] = [];
  for (let i = 0; i < max; i++) result.push(points[Math.floor(i * stride)]!);
  result.push(points[points.length - 1]!);
  return result;
}

export function lineChart(options: LineChartOptions): string {
  const width = options.width ?? 560;
  const height = options.height ?? 300;
  const margin = { left: 64, right: 16, top: 34, bottom: 44 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const all = options.series
    .flatMap((s) => s.points)
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  let yMin = options.yMin ?? (ys.length ? Math.min(...ys) : 0);
  let yMax = options.yMax ?? (ys.length ? Math.max(...ys) : 1);
  // Headroom above the data when the top is automatic, so the highest point is not on the frame.
  if (options.yMax === undefined && yMax > yMin) yMax += (yMax - yMin) * 0.05;
  if (!(yMax > yMin)) {
    const pad = Math.abs(yMax) * 0.1 || 1;
    yMin -= pad;
    yMax += pad;
  }
  const xSpan = xMax > xMin ? xMax - xMin : 1;
  const sx = (x: number) => margin.left + ((x - xMin) / xSpan) * plotWidth;
  const sy = (y: number) => margin.top + plotHeight - ((y - yMin) / (yMax - yMin)) * plotHeight;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(options.title)}">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${margin.left}" y="20" font-size="14" font-weight="600">${escapeXml(options.title)}</text>`,
  );
  for (const tick of niceTicks(yMin, yMax)) {
    const y = sy(tick).toFixed(1);
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`,
      `<text x="${margin.left - 6}" y="${y}" font-size="11" text-anchor="end" dominant-baseline="middle" fill="#4b5563">${formatTick(tick)}</text>`,
    );
  }
  for (const tick of niceTicks(xMin, xMax, 6)) {
    const x = sx(tick).toFixed(1);
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight + 4}" stroke="#6b7280"/>`,
      `<text x="${x}" y="${margin.top + plotHeight + 16}" font-size="11" text-anchor="middle" fill="#4b5563">${formatTick(tick)}</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#9ca3af"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 8}" font-size="12" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text transform="translate(14 ${margin.top + plotHeight / 2}) rotate(-90)" font-size="12" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
  );
  for (const series of options.series) {
    const points = thin(
      series.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)),
      options.maxPoints ?? 1500,
    );
    if (points.length === 0) continue;
    if (series.markers) {
      for (const [x, y] of points) {
        parts.push(
          `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="${series.markerRadius ?? 3.5}" fill="${series.color}"/>`,
        );
      }
    } else {
      const d = points
        .map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${sx(x).toFixed(1)} ${sy(y).toFixed(1)}`)
        .join('');
      parts.push(
        `<path d="${d}" fill="none" stroke="${series.color}" stroke-width="${series.width ?? 1.6}"${series.dash ? ` stroke-dasharray="${series.dash}"` : ''} stroke-linejoin="round"/>`,
      );
    }
  }
  options.series.forEach((series, i) => {
    const x = margin.left + plotWidth - 170;
    const y =
      options.legend === 'bottom'
        ? margin.top + plotHeight - 12 - (options.series.length - 1 - i) * 16
        : margin.top + 14 + i * 16;
    parts.push(
      series.markers
        ? `<circle cx="${x + 11}" cy="${y}" r="3.5" fill="${series.color}"/>`
        : `<line x1="${x}" x2="${x + 22}" y1="${y}" y2="${y}" stroke="${series.color}" stroke-width="2"${series.dash ? ` stroke-dasharray="${series.dash}"` : ''}/>`,
      `<text x="${x + 28}" y="${y}" font-size="11" dominant-baseline="middle">${escapeXml(series.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

export interface Bar {
  readonly name: string;
  readonly value: number;
  readonly color: string;
  readonly label: string;
}

export function barChart(options: {
  title: string;
  xLabel: string;
  bars: readonly Bar[];
  width?: number;
}): string {
  const width = options.width ?? 560;
  const rowHeight = 34;
  const margin = { left: 130, right: 90, top: 34, bottom: 36 };
  const height = margin.top + margin.bottom + rowHeight * Math.max(1, options.bars.length);
  const plotWidth = width - margin.left - margin.right;
  const max = Math.max(1e-12, ...options.bars.map((bar) => bar.value));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(options.title)}">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${margin.left}" y="20" font-size="14" font-weight="600">${escapeXml(options.title)}</text>`,
  ];
  options.bars.forEach((bar, i) => {
    const y = margin.top + i * rowHeight + 6;
    const barWidth = Math.max(1, (bar.value / max) * plotWidth);
    parts.push(
      `<text x="${margin.left - 8}" y="${y + 11}" font-size="12" text-anchor="end" dominant-baseline="middle">${escapeXml(bar.name)}</text>`,
      `<path d="M${margin.left} ${y}h${barWidth.toFixed(1)}v22h${(-barWidth).toFixed(1)}z" fill="${bar.color}"/>`,
      `<text x="${margin.left + barWidth + 6}" y="${y + 11}" font-size="12" dominant-baseline="middle">${escapeXml(bar.label)}</text>`,
    );
  });
  parts.push(
    `<text x="${margin.left + plotWidth / 2}" y="${height - 10}" font-size="12" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    '</svg>',
  );
  return parts.join('\n');
}
