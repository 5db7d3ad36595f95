import { describe, expect, it } from 'vitest';
import { ChartInputError } from './errors';
import { renderTerminalChart } from './terminal';

const line = { x: [0, 100], y: [0, 1] };

/** Dot rows set in each braille cell column, for checking the drawn shape. */
function brailleCells(chart: string): string[] {
  return chart.split('\n').filter((row) => /[\u2801-\u28ff]/.test(row));
}

describe('renderTerminalChart', () => {
  it('draws y labels, a y axis, an x axis with ticks and x labels', () => {
    const chart = renderTerminalChart([line], { width: 40, height: 8 });
    const rows = chart.split('\n');
    expect(rows).toHaveLength(8 + 2 + 1); // plot rows, axis, labels, trailing newline
    expect(rows[0]).toMatch(/^ {0,2}1 ┤/);
    expect(rows[7]).toMatch(/^ {0,2}0 ┤⡀?/);
    expect(rows[8]).toMatch(/^\s+└┬─+┬─+┬$/);
    expect(rows[9]).toMatch(/^\s+0\s+50\s+100$/);
    for (const row of rows) expect([...row].length).toBeLessThanOrEqual(40);
  });

  it('draws a connected line: a rising ramp sets dots in every column, lowest on the left', () => {
    const chart = renderTerminalChart([line], { width: 40, height: 8 });
    const cells = brailleCells(chart);
    expect(cells.length).toBe(8);
    // Top row's dots sit at the right, bottom row's at the left.
    const firstDot = (row: string) => [...row].findIndex((char) => char >= '\u2801' && char <= '\u28ff');
    expect(firstDot(cells[0]!)).toBeGreaterThan(firstDot(cells[7]!));
  });

  it('marks phases: boundaries inside the plot, a ruler with names and a legend', () => {
    const chart = renderTerminalChart([line], {
      width: 60,
      height: 6,
      title: 'demo',
      phases: [
        { name: 'warmup', start: 0, end: 30 },
        { name: 'decay', start: 30, end: 100 },
        { name: 'final', start: 100, end: Number.POSITIVE_INFINITY },
      ],
    });
    const rows = chart.split('\n');
    expect(rows[0]).toBe('demo');
    expect(chart).toContain('┊');
    expect(chart).toMatch(/│warmup\s+│decay/);
    expect(rows.at(-2)).toMatch(/phases: warmup 0–30 · decay 30–100 · final 100–∞$/);
  });

  it('lists at most 24 phases in the legend: the first 22, a count and the last', () => {
    const phases = Array.from({ length: 10_000 }, (_, i) => ({
      name: `segment ${i}`,
      start: i / 100,
      end: (i + 1) / 100,
    }));
    const chart = renderTerminalChart([line], { width: 80, height: 6, phases });
    expect(chart.length).toBeLessThan(4_000);
    expect(chart).toContain('segment 21 0.21–0.22');
    expect(chart).not.toContain('segment 22 ');
    expect(chart).toContain('… 9977 more …');
    expect(chart).toContain('segment 9999 99.99–100');
  });

  it('shows a legend and colours for several series only when asked', () => {
    const series = [
      { label: 'a', ...line },
      { label: 'b', x: [0, 100], y: [1, 0] },
    ];
    const plain = renderTerminalChart(series, { width: 40, height: 6 });
    expect(plain.split('\n')[0]).toBe('━━ a   ━━ b');
    expect(plain).not.toContain('\u001b[');
    const colored = renderTerminalChart(series, { width: 40, height: 6, color: true });
    expect(colored).toContain('\u001b[36m━━ a\u001b[0m');
    expect(colored).toContain('\u001b[35m');
  });

  it('throws ChartInputError for sizes out of range and bad series', () => {
    expect(() => renderTerminalChart([line], { width: 10, height: 2 })).toThrow(
      'renderTerminalChart: 2 invalid inputs:\n- width must be an integer from 30 to 1000 columns; received 10\n- height must be an integer from 4 to 200 rows; received 2',
    );
    let caught: unknown;
    try {
      renderTerminalChart([{ x: [0], y: [Number.POSITIVE_INFINITY] }]);
    } catch (error) {
      caught = error;
    }
    expect(ChartInputError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toBe(
      'renderTerminalChart: series[0] point 0 must be finite; received (0, Infinity)',
    );
  });
});
