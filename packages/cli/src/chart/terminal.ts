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

export interface TerminalChartOptions extends ChartOptionsBase {
  /** Total width in character columns, labels included; default 80. */
  readonly width?: number;
  /** Rows of the plot area (each row is 4 braille dots high); default 16. */
  readonly height?: number;
  /** ANSI colours (series, dim axes and phase markers); default false. */
  readonly color?: boolean;
}

// Braille cell: 2 dot columns × 4 dot rows; bit for (column, row).
const brailleBits = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
] as const;
const ansiSeries = [36, 35, 33, 32, 34, 31] as const;

/**
 * Renders series as a braille line chart for a terminal: y-axis labels, x-axis ticks and labels,
 * dotted phase boundaries (┊) inside the plot, a phase ruler under the axis
 * (`│warmup │hold │decay`), and a phase legend with exact spans (wrapped to the width). Returns the text
 * (lines joined with `\n`, ending with one); ANSI colours only when `color` is true.
 *
 * Throws `ChartInputError` listing every problem.
 */
export function renderTerminalChart(
  series: readonly ChartSeries[],
  options: TerminalChartOptions = {},
): string {
  const width = options.width ?? 80;
  const height = options.height ?? 16;
  const sizeIssues: string[] = [];
  if (!(Number.isInteger(width) && width >= 30 && width <= 1000)) {
    sizeIssues.push(`width must be an integer from 30 to 1000 columns; received ${width}`);
  }
  if (!(Number.isInteger(height) && height >= 4 && height <= 200)) {
    sizeIssues.push(`height must be an integer from 4 to 200 rows; received ${height}`);
  }
  if (sizeIssues.length > 0) throw new ChartInputError('renderTerminalChart', sizeIssues);
  const bounds = checkSeries('renderTerminalChart', series, options);
  const color = options.color === true;
  const paint = (code: number | string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);

  const yAxis = valueAxis(bounds.yMin, bounds.yMax, Math.max(2, Math.floor(height / 3)));
  const yLabels = formatValueTicks(yAxis.ticks);
  const labelWidth = Math.max(...yLabels.map((label) => label.length));
  const columns = width - labelWidth - 2;
  const xAxis = stepAxis(bounds.xMin, bounds.xMax, Math.max(2, Math.floor(columns / 12)));
  const dotColumns = columns * 2;
  const dotRows = height * 4;
  const cellBits = new Uint8Array(columns * height);
  const cellSeries = new Int16Array(columns * height).fill(-1);

  const dotX = (x: number) => Math.round(((x - xAxis.min) / (xAxis.max - xAxis.min)) * (dotColumns - 1));
  const dotY = (y: number) => Math.round(((yAxis.max - y) / (yAxis.max - yAxis.min)) * (dotRows - 1));
  const setDot = (x: number, y: number, seriesIndex: number) => {
    if (x < 0 || x >= dotColumns || y < 0 || y >= dotRows) return;
    const cell = Math.floor(y / 4) * columns + Math.floor(x / 2);
    cellBits[cell]! |= brailleBits[x % 2]![y % 4]!;
    cellSeries[cell] = seriesIndex;
  };
  series.forEach((item, seriesIndex) => {
    const decimated = decimate(item, xAxis.min, xAxis.max, dotColumns);
    // Corners only matter while points are sparser than pixels; dense curves look the same without.
    const points =
      options.curve === 'step' && decimated.x.length <= dotColumns ? stepCorners(decimated) : decimated;
    let previous: [number, number] | undefined;
    for (let index = 0; index < points.x.length; index += 1) {
      const current: [number, number] = [dotX(points.x[index]!), dotY(points.y[index]!)];
      if (!previous) setDot(current[0], current[1], seriesIndex);
      else {
        // Bresenham between consecutive points keeps the line connected.
        let [x0, y0] = previous;
        const [x1, y1] = current;
        const dx = Math.abs(x1 - x0);
        const dy = -Math.abs(y1 - y0);
        const sx = x0 < x1 ? 1 : -1;
        const sy = y0 < y1 ? 1 : -1;
        let error = dx + dy;
        while (true) {
          setDot(x0, y0, seriesIndex);
          if (x0 === x1 && y0 === y1) break;
          const doubled = 2 * error;
          if (doubled >= dy) {
            error += dy;
            x0 += sx;
          }
          if (doubled <= dx) {
            error += dx;
            y0 += sy;
          }
        }
      }
      previous = current;
    }
  });

  const phases = visiblePhases(options.phases, xAxis.min, xAxis.max);
  const columnOf = (x: number) => Math.min(columns - 1, Math.floor(dotX(x) / 2));
  const boundaryColumns = new Set(
    phases.filter((phase) => phase.start > xAxis.min).map((phase) => columnOf(phase.start)),
  );
  const labelRows = new Map<number, string>();
  yAxis.ticks.forEach((tick, index) => {
    labelRows.set(Math.min(height - 1, Math.floor(dotY(tick) / 4)), yLabels[index]!);
  });

  const lines: string[] = [];
  const cut = (text: string, room: number) => (text.length <= room ? text : `${text.slice(0, room - 1)}…`);
  if (options.title) lines.push(paint(1, cut(options.title, width)));
  const labelled = series.filter((item) => item.label);
  if (labelled.length > 1 || (labelled.length === 1 && series.length > 1)) {
    // One legend line per row of entries that fit the width.
    let row: string[] = [];
    let used = 0;
    series.forEach((item, index) => {
      const text = cut(`━━ ${item.label ?? `series ${index + 1}`}`, width);
      if (row.length > 0 && used + 3 + text.length > width) {
        lines.push(row.join('   '));
        row = [];
        used = 0;
      }
      used += (row.length > 0 ? 3 : 0) + text.length;
      row.push(paint(ansiSeries[index % ansiSeries.length]!, text));
    });
    lines.push(row.join('   '));
  }
  for (let row = 0; row < height; row += 1) {
    const label = labelRows.get(row);
    let line = label
      ? `${paint(2, label.padStart(labelWidth))} ${paint(2, '┤')}`
      : `${' '.repeat(labelWidth)} ${paint(2, '│')}`;
    let run = '';
    let runCode = -1;
    const flush = () => {
      if (run)
        line +=
          runCode === -1
            ? run
            : runCode === -2
              ? paint(2, run)
              : paint(ansiSeries[runCode % ansiSeries.length]!, run);
      run = '';
    };
    for (let column = 0; column < columns; column += 1) {
      const cell = row * columns + column;
      const bits = cellBits[cell]!;
      let char: string;
      let code: number;
      if (bits === 0 && boundaryColumns.has(column)) {
        char = '┊';
        code = -2;
      } else if (bits === 0) {
        char = ' ';
        code = -1;
      } else {
        char = String.fromCharCode(0x2800 + bits);
        code = cellSeries[cell]!;
      }
      if (code !== runCode) flush();
      runCode = code;
      run += char;
    }
    flush();
    lines.push(line.replace(/\s+$/, ''));
  }

  // X axis with tick marks, then labels placed without overlapping.
  const axisChars = Array.from({ length: columns }, () => '─');
  const labelChars = Array.from({ length: columns }, () => ' ');
  let nextFree = 0;
  const xLabels = formatStepTicks(xAxis.ticks);
  for (const [tickIndex, tick] of xAxis.ticks.entries()) {
    const column = columnOf(tick);
    axisChars[column] = '┬';
    const text = xLabels[tickIndex]!;
    let startColumn = column - Math.floor(text.length / 2);
    if (startColumn < 0) startColumn = 0;
    if (startColumn + text.length > labelChars.length) startColumn = labelChars.length - text.length;
    if (startColumn < nextFree) continue;
    for (let index = 0; index < text.length; index += 1) labelChars[startColumn + index] = text[index]!;
    nextFree = startColumn + text.length + 1;
  }
  lines.push(`${' '.repeat(labelWidth)} ${paint(2, `└${axisChars.join('')}`)}`);
  lines.push(`${' '.repeat(labelWidth + 2)}${labelChars.join('').replace(/\s+$/, '')}`);

  if (phases.length > 0) {
    const ruler = Array.from({ length: columns }, () => ' ');
    phases.forEach((phase, index) => {
      const first = columnOf(phase.start);
      const next = phases[index + 1];
      const last = next ? columnOf(next.start) : columns;
      ruler[first] = '│';
      const room = last - first - 1;
      if (room >= 2) {
        const name = phase.name.length <= room ? phase.name : `${phase.name.slice(0, room - 1)}…`;
        for (let offset = 0; offset < name.length; offset += 1) ruler[first + 1 + offset] = name[offset]!;
      }
    });
    lines.push(`${' '.repeat(labelWidth + 2)}${paint(33, ruler.join('').replace(/\s+$/, ''))}`);
    // The legend wraps at " · " to stay within the width (over-long entries are cut with …).
    const entries = (options.phases ?? []).map(
      (phase) => `${phase.name} ${formatSpan(phase.start, phase.end)}`,
    );
    const indent = ' '.repeat(labelWidth + 2);
    const room = width - indent.length;
    const fit = (text: string) => (text.length <= room ? text : `${text.slice(0, room - 1)}…`);
    const head = 'phases:';
    let current = head;
    entries.forEach((entry, index) => {
      const candidate = current === head ? `${head} ${entry}` : `${current} · ${entry}`;
      const reserve = index < entries.length - 1 ? 2 : 0;
      if (current === head || candidate.length + reserve <= room) {
        current = candidate;
      } else {
        lines.push(`${indent}${paint(2, fit(`${current} ·`))}`);
        current = `${' '.repeat(head.length + 1)}${entry}`;
      }
    });
    lines.push(`${indent}${paint(2, fit(current))}`);
  }
  return `${lines.join('\n')}\n`;
}
