/**
 * Charts of a range test: loss against learning rate on a logarithmic x axis, as an SVG document
 * and as terminal text. Dependency-free; the demo's own charts (svg.ts) have linear axes only.
 */
import type { RangeTestResult } from '@anneal/core';
import { escapeXml } from './svg';

export interface FindLrCurve {
  /** Legend name, e.g. `tfjs (wasm)`. */
  readonly name: string;
  readonly color: string;
  readonly result: RangeTestResult;
}

/** Powers of ten covering [low, high] (both > 0). */
export function decadeTicks(low: number, high: number): number[] {
  const ticks: number[] = [];
  for (
    let exponent = Math.ceil(Math.log10(low) - 1e-9);
    exponent <= Math.floor(Math.log10(high) + 1e-9);
    exponent++
  )
    ticks.push(Number(`1e${exponent}`)); // exact decimal (10 ** -4 is 0.00009999999999999999)
  return ticks;
}

/** `1e-3`, `0.01`, `0.1`, `1`, `10`: short labels for decade ticks and suggestions. */
export function formatRate(value: number): string {
  if (value >= 0.01 && value < 1000) return String(Number(value.toPrecision(3)));
  const short = value.toExponential(0);
  return (Number(short) === value ? short : value.toExponential(2)).replace('e+', 'e');
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
  // The legend sits under the title, one line per curve, so it never hides the curves.
  const margin = { left: 64, right: 20, top: 40 + 16 * curves.length, bottom: 48 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const frame = frameOf(curves) ?? { xMin: 1e-6, xMax: 1, yMin: 0, yMax: 1 };
  const logMin = Math.log10(frame.xMin);
  const logSpan = Math.log10(frame.xMax) - logMin;
  const sx = (x: number) => margin.left + ((Math.log10(x) - logMin) / logSpan) * plotWidth;
  const sy = (y: number) => {
    const clamped = Math.min(frame.yMax, Math.max(frame.yMin, y));
    return margin.top + plotHeight - ((clamped - frame.yMin) / (frame.yMax - frame.yMin)) * plotHeight;
  };
  const f = (value: number) => value.toFixed(1);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${margin.left}" y="22" font-size="14" font-weight="600">${escapeXml(title)}</text>`,
  ];
  const yTicks = 5;
  for (let i = 0; i <= yTicks; i++) {
    const value = frame.yMin + ((frame.yMax - frame.yMin) * i) / yTicks;
    const y = f(sy(value));
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`,
      `<text x="${margin.left - 6}" y="${y}" font-size="11" text-anchor="end" dominant-baseline="middle" fill="#4b5563">${Number(value.toPrecision(3))}</text>`,
    );
  }
  for (const tick of decadeTicks(frame.xMin, frame.xMax)) {
    const x = f(sx(tick));
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="#f3f4f6"/>`,
      `<line x1="${x}" x2="${x}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight + 4}" stroke="#6b7280"/>`,
      `<text x="${x}" y="${margin.top + plotHeight + 17}" font-size="11" text-anchor="middle" fill="#4b5563">${formatRate(tick)}</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#9ca3af"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 10}" font-size="12" text-anchor="middle">learning rate (log scale)</text>`,
    `<text transform="translate(16 ${margin.top + plotHeight / 2}) rotate(-90)" font-size="12" text-anchor="middle">loss (smoothed; dots: per batch)</text>`,
  );
  const dashes = ['', '7 4', '2 3'];
  curves.forEach(({ color, result }, index) => {
    const { learningRates: xs, losses, smoothedLosses } = result;
    for (let k = 0; k < xs.length; k++)
      parts.push(
        `<circle cx="${f(sx(xs[k]!))}" cy="${f(sy(losses[k]!))}" r="1.6" fill="${color}" fill-opacity="0.25"/>`,
      );
    if (xs.length > 0) {
      const d = xs.map((x, k) => `${k === 0 ? 'M' : 'L'}${f(sx(x))} ${f(sy(smoothedLosses[k]!))}`).join('');
      const dash = dashes[index % dashes.length];
      parts.push(
        `<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"${dash ? ` stroke-dasharray="${dash}"` : ''} stroke-linejoin="round"/>`,
      );
    }
    if (result.divergenceValue !== undefined) {
      const x = f(sx(result.divergenceValue));
      parts.push(
        `<line x1="${x}" x2="${x}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="${color}" stroke-dasharray="3 3"/>`,
      );
    }
    const valley = result.suggestions?.valley;
    if (valley)
      parts.push(
        `<circle cx="${f(sx(valley.value))}" cy="${f(sy(valley.loss))}" r="6" fill="none" stroke="${color}" stroke-width="2"/>`,
      );
  });
  curves.forEach(({ name, color, result }, index) => {
    const y = 40 + index * 16;
    const x = margin.left;
    const valley = result.suggestions?.valley;
    const label = valley
      ? `${name}: valley ${formatRate(valley.value)}${result.divergenceValue !== undefined ? `, diverges ≈ ${formatRate(result.divergenceValue)}` : ''}`
      : `${name}: no suggestion (${result.stopReason})`;
    parts.push(
      `<line x1="${x}" x2="${x + 18}" y1="${y - 4}" y2="${y - 4}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${x + 24}" y="${y}" font-size="11" fill="#111827">${escapeXml(label)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
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
  const logMin = Math.log10(frame.xMin);
  const logSpan = Math.log10(frame.xMax) - logMin;
  const column = (x: number) =>
    Math.min(width - 1, Math.max(0, Math.round(((Math.log10(x) - logMin) / logSpan) * (width - 1))));
  const row = (y: number) => {
    const clamped = Math.min(frame.yMax, Math.max(frame.yMin, y));
    return rows - 1 - Math.round(((clamped - frame.yMin) / (frame.yMax - frame.yMin)) * (rows - 1));
  };
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
  const axis = Array<string>(width).fill('─');
  const ticks = Array<string>(width + 2).fill(' ');
  for (const tick of decadeTicks(frame.xMin, frame.xMax)) {
    const c = column(tick);
    axis[c] = '┬';
    const text = formatRate(tick);
    const start = Math.min(width + 2 - text.length, Math.max(0, c - Math.floor(text.length / 2)));
    if (ticks.slice(start, start + text.length + 1).every((cell) => cell === ' '))
      for (let i = 0; i < text.length; i++) ticks[start + i] = text[i]!;
  }
  lines.push(`${' '.repeat(8)} └${axis.join('')}`, `${' '.repeat(10)}${ticks.join('').trimEnd()}`);
  const legend = curves.map(({ name }) => `${name.charAt(0)} = ${name}`).join(', ');
  lines.push(
    `${' '.repeat(10)}learning rate (log scale); ${legend}${valley ? '; | = valley suggestion' : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
