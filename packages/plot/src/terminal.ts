import {
  type ChartOptionsBase,
  type ChartPhase,
  type ChartSeries,
  checkSeries,
  checkSizes,
  plotPoints,
  visiblePhases,
} from './series';
import { formatSpan, formatStepTicks, formatValueTicks } from './tick-labels';
import { type Axis, stepAxis, valueAxis } from './ticks';

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

type Paint = (code: number | string, text: string) => string;

/** `text` cut to `room` characters, ending with … when cut. */
function cut(text: string, room: number): string {
  return text.length <= room ? text : `${text.slice(0, room - 1)}…`;
}

/**
 * The x axis under a text chart, `columns` wide: the axis line (`└` then `─`, with `┬` at each
 * tick's column) and the line of labels, each centred under its tick within the width; a label
 * that would touch the previous one is left out. Both without indentation or trailing spaces.
 */
export function textAxis(
  columns: number,
  ticks: readonly { readonly column: number; readonly label: string }[],
): { axis: string; labels: string } {
  const axisChars = Array.from({ length: columns }, () => '─');
  const labelChars = Array.from({ length: columns }, () => ' ');
  let nextFree = 0;
  for (const { column, label } of ticks) {
    axisChars[column] = '┬';
    let startColumn = column - Math.floor(label.length / 2);
    if (startColumn < 0) startColumn = 0;
    if (startColumn + label.length > labelChars.length) startColumn = labelChars.length - label.length;
    if (startColumn < nextFree) continue;
    for (let index = 0; index < label.length; index += 1) labelChars[startColumn + index] = label[index]!;
    nextFree = startColumn + label.length + 1;
  }
  return { axis: `└${axisChars.join('')}`, labels: labelChars.join('').replace(/\s+$/, '') };
}

/**
 * The braille dot grid: `columns` × `rows` cells of 2 × 4 dots, which dots each cell has set and
 * the series that set its last one; `dotX` and `dotY` map data onto dots.
 */
class DotGrid {
  readonly bits: Uint8Array;
  readonly series: Int16Array;
  readonly dotColumns: number;
  readonly dotRows: number;

  constructor(
    readonly columns: number,
    readonly rows: number,
    private readonly xAxis: Axis,
    private readonly yAxis: Axis,
  ) {
    this.bits = new Uint8Array(columns * rows);
    this.series = new Int16Array(columns * rows).fill(-1);
    this.dotColumns = columns * 2;
    this.dotRows = rows * 4;
  }

  dotX(x: number): number {
    return Math.round(((x - this.xAxis.min) / (this.xAxis.max - this.xAxis.min)) * (this.dotColumns - 1));
  }

  dotY(y: number): number {
    return Math.round(((this.yAxis.max - y) / (this.yAxis.max - this.yAxis.min)) * (this.dotRows - 1));
  }

  /** The character column of `x`. */
  columnOf(x: number): number {
    return Math.min(this.columns - 1, Math.floor(this.dotX(x) / 2));
  }

  setDot(x: number, y: number, seriesIndex: number): void {
    if (x < 0 || x >= this.dotColumns || y < 0 || y >= this.dotRows) return;
    const cell = Math.floor(y / 4) * this.columns + Math.floor(x / 2);
    this.bits[cell]! |= brailleBits[x % 2]![y % 4]!;
    this.series[cell] = seriesIndex;
  }

  /** A line of dots from one dot to another (Bresenham), so consecutive points stay connected. */
  line(from: readonly [number, number], to: readonly [number, number], seriesIndex: number): void {
    let [x0, y0] = from;
    const [x1, y1] = to;
    const dx = Math.abs(x1 - x0);
    const dy = -Math.abs(y1 - y0);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    let error = dx + dy;
    while (true) {
      this.setDot(x0, y0, seriesIndex);
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

  /** Draws a series, decimated per dot column. */
  draw(item: ChartSeries, seriesIndex: number, curve: ChartOptionsBase['curve']): void {
    const points = plotPoints(item, this.xAxis.min, this.xAxis.max, this.dotColumns, curve);
    let previous: [number, number] | undefined;
    for (let index = 0; index < points.x.length; index += 1) {
      const current: [number, number] = [this.dotX(points.x[index]!), this.dotY(points.y[index]!)];
      if (previous) this.line(previous, current, seriesIndex);
      else this.setDot(current[0], current[1], seriesIndex);
      previous = current;
    }
  }
}

/** One legend line per row of `━━ label` entries that fit the width. */
function seriesLegend(series: readonly ChartSeries[], width: number, paint: Paint): string[] {
  const lines: string[] = [];
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
  return lines;
}

/** The plot rows: y labels on the axis (`┤`), braille cells coloured by series, `┊` at phase boundaries. */
function plotRows(
  grid: DotGrid,
  labelRows: ReadonlyMap<number, string>,
  labelWidth: number,
  boundaryColumns: ReadonlySet<number>,
  paint: Paint,
): string[] {
  const lines: string[] = [];
  for (let row = 0; row < grid.rows; row += 1) {
    const label = labelRows.get(row);
    let line = label
      ? `${paint(2, label.padStart(labelWidth))} ${paint(2, '┤')}`
      : `${' '.repeat(labelWidth)} ${paint(2, '│')}`;
    let run = '';
    let runCode = -1;
    const flush = () => {
      if (run) {
        line +=
          runCode === -1
            ? run
            : runCode === -2
              ? paint(2, run)
              : paint(ansiSeries[runCode % ansiSeries.length]!, run);
      }
      run = '';
    };
    for (let column = 0; column < grid.columns; column += 1) {
      const cell = row * grid.columns + column;
      const bits = grid.bits[cell]!;
      const [char, code] =
        bits !== 0
          ? [String.fromCharCode(0x2800 + bits), grid.series[cell]!]
          : boundaryColumns.has(column)
            ? ['┊', -2]
            : [' ', -1];
      if (code !== runCode) flush();
      runCode = code;
      run += char;
    }
    flush();
    lines.push(line.replace(/\s+$/, ''));
  }
  return lines;
}

/** Phases listed in the legend at most; past it the legend ends with a count and the last phase. */
const MAX_LEGEND_PHASES = 24;

/** The phase ruler (`│warmup │hold │decay`) and the phase legend with exact spans, wrapped at ` · `. */
function phaseLines(
  phases: readonly ChartPhase[],
  allPhases: readonly ChartPhase[],
  columnOf: (x: number) => number,
  columns: number,
  indent: string,
  width: number,
  paint: Paint,
): string[] {
  const ruler = Array.from({ length: columns }, () => ' ');
  phases.forEach((phase, index) => {
    const first = columnOf(phase.start);
    const next = phases[index + 1];
    const last = next ? columnOf(next.start) : columns;
    ruler[first] = '│';
    const room = last - first - 1;
    if (room >= 2) {
      const name = cut(phase.name, room);
      for (let offset = 0; offset < name.length; offset += 1) ruler[first + 1 + offset] = name[offset]!;
    }
  });
  const lines = [`${indent}${paint(33, ruler.join('').replace(/\s+$/, ''))}`];
  const entryOf = (phase: ChartPhase) => `${phase.name} ${formatSpan(phase.start, phase.end)}`;
  // A schedule of thousands of phases (a long join) gets the first ones, a count and the last one.
  const entries =
    allPhases.length <= MAX_LEGEND_PHASES
      ? allPhases.map(entryOf)
      : [
          ...allPhases.slice(0, MAX_LEGEND_PHASES - 2).map(entryOf),
          `… ${allPhases.length - MAX_LEGEND_PHASES + 1} more …`,
          entryOf(allPhases[allPhases.length - 1]!),
        ];
  const room = width - indent.length;
  const head = 'phases:';
  let current = head;
  entries.forEach((entry, index) => {
    const candidate = current === head ? `${head} ${entry}` : `${current} · ${entry}`;
    const reserve = index < entries.length - 1 ? 2 : 0;
    if (current === head || candidate.length + reserve <= room) {
      current = candidate;
    } else {
      lines.push(`${indent}${paint(2, cut(`${current} ·`, room))}`);
      current = `${' '.repeat(head.length + 1)}${entry}`;
    }
  });
  lines.push(`${indent}${paint(2, cut(current, room))}`);
  return lines;
}

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
  checkSizes('renderTerminalChart', {
    width: [width, 30, 1000, 'columns'],
    height: [height, 4, 200, 'rows'],
  });
  const bounds = checkSeries('renderTerminalChart', series, options);
  const paint: Paint = (code, text) => (options.color === true ? `\u001b[${code}m${text}\u001b[0m` : text);

  const yAxis = valueAxis(bounds.yMin, bounds.yMax, Math.max(2, Math.floor(height / 3)));
  const yLabels = formatValueTicks(yAxis.ticks);
  const labelWidth = Math.max(...yLabels.map((label) => label.length));
  const columns = width - labelWidth - 2;
  const xAxis = stepAxis(bounds.xMin, bounds.xMax, Math.max(2, Math.floor(columns / 12)));
  const grid = new DotGrid(columns, height, xAxis, yAxis);
  series.forEach((item, index) => {
    grid.draw(item, index, options.curve);
  });
  const columnOf = (x: number) => grid.columnOf(x);
  const labelRows = new Map<number, string>();
  yAxis.ticks.forEach((tick, index) => {
    labelRows.set(Math.min(height - 1, Math.floor(grid.dotY(tick) / 4)), yLabels[index]!);
  });
  const phases = visiblePhases(options.phases, xAxis.min, xAxis.max);
  const boundaryColumns = new Set(
    phases.filter((phase) => phase.start > xAxis.min).map((phase) => columnOf(phase.start)),
  );

  const lines: string[] = [];
  if (options.title) lines.push(paint(1, cut(options.title, width)));
  const labelled = series.filter((item) => item.label);
  if (labelled.length > 1 || (labelled.length === 1 && series.length > 1)) {
    lines.push(...seriesLegend(series, width, paint));
  }
  lines.push(...plotRows(grid, labelRows, labelWidth, boundaryColumns, paint));
  const xLabels = formatStepTicks(xAxis.ticks);
  const axis = textAxis(
    columns,
    xAxis.ticks.map((tick, index) => ({ column: columnOf(tick), label: xLabels[index]! })),
  );
  lines.push(`${' '.repeat(labelWidth)} ${paint(2, axis.axis)}`);
  lines.push(`${' '.repeat(labelWidth + 2)}${axis.labels}`);
  if (phases.length > 0) {
    const indent = ' '.repeat(labelWidth + 2);
    lines.push(...phaseLines(phases, options.phases ?? [], columnOf, columns, indent, width, paint));
  }
  return `${lines.join('\n')}\n`;
}
