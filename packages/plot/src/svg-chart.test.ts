import { describe, expect, it } from 'vitest';
import { checkXml } from '../test/check-xml';
import { ChartInputError } from './errors';
import { renderSvgChart } from './svg-chart';

const ramp = { x: [0, 50, 100], y: [0, 0.5, 1] };

function pathPoints(svg: string): number[][] {
  return [...svg.matchAll(/<path d="([^"]+)"/g)].map((match) =>
    match[1]!
      .split(/[ML ]+/)
      .filter(Boolean)
      .map(Number),
  );
}

describe('renderSvgChart', () => {
  it('renders a well-formed, self-contained SVG with axes, grid, labels, title and a path', () => {
    const svg = renderSvgChart([ramp], { title: 'ramp <1> & "2"', width: 600, height: 300 });
    expect(checkXml(svg).problems).toEqual([]);
    expect(
      svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"'),
    ).toBe(true);
    expect(svg).toContain('viewBox="0 0 600 300"');
    expect(svg).toContain('>ramp &lt;1&gt; &amp; &quot;2&quot;</text>');
    expect(svg).toContain('class="grid"');
    expect(svg).toContain('class="axes"');
    expect(svg).toContain('>step</text>');
    expect(svg).toContain('>learning rate</text>');
    for (const label of ['0', '0.5', '1', '40', '100']) expect(svg).toContain(`>${label}</text>`);
    expect(svg).not.toMatch(/href=|<script|@import|url\((?!#anneal-plot-\d+-\d+-\d+-\d+\))/);
    const points = pathPoints(svg);
    expect(points).toHaveLength(1);
    expect(points[0]!.every((value) => Number.isFinite(value) && value >= 0 && value <= 600)).toBe(true);
  });

  it('maps data to pixels linearly: equal steps give equal x distances', () => {
    const svg = renderSvgChart([{ x: [0, 1, 2, 3, 4], y: [0, 0, 0, 0, 0] }]);
    const coordinates = pathPoints(svg)[0]!;
    const xs = coordinates.filter((_, index) => index % 2 === 0);
    const gaps = xs.slice(1).map((x, index) => x - xs[index]!);
    for (const gap of gaps) expect(Math.abs(gap - gaps[0]!)).toBeLessThanOrEqual(0.02);
  });

  it("curve: 'step' holds each value until the next point", () => {
    const svg = renderSvgChart([{ x: [0, 1, 2], y: [1, 0.5, 0.5] }], { curve: 'step' });
    const coordinates = pathPoints(svg)[0]!;
    const points = coordinates.flatMap((value, index) =>
      index % 2 === 0 ? [[value, coordinates[index + 1]!]] : [],
    );
    // (0,1) → (1,1) → (1,0.5) → (2,0.5): a corner is inserted where the value changes.
    expect(points).toHaveLength(4);
    expect(points[1]![1]).toBe(points[0]![1]);
    expect(points[2]![0]).toBe(points[1]![0]);
    expect(points[3]![1]).toBe(points[2]![1]);
  });

  it('draws named, shaded phase bands clipped to the range', () => {
    const svg = renderSvgChart([ramp], {
      phases: [
        { name: 'warmup', start: 0, end: 40 },
        { name: 'decay', start: 40, end: 90 },
        { name: 'final', start: 90, end: Number.POSITIVE_INFINITY },
        { name: 'later', start: 500, end: 600 },
      ],
    });
    expect(checkXml(svg).problems).toEqual([]);
    expect(svg).toContain('>warmup</text>');
    expect(svg).toContain('>decay</text>');
    expect(svg).not.toContain('>later</text>');
    expect(svg.match(/<rect [^>]*fill="#(?:eef2ff|f8fafc)"/g)).toHaveLength(3);
    expect(svg).toContain('<desc>phases: warmup 0–40, decay 40–90, final 90–∞, later 500–600</desc>');
  });

  it('overlays several series with a legend', () => {
    const svg = renderSvgChart([
      { label: 'torch', ...ramp },
      { label: 'anneal', x: [0, 100], y: [1, 0] },
    ]);
    expect(checkXml(svg).problems).toEqual([]);
    expect(pathPoints(svg)).toHaveLength(2);
    expect(svg).toContain('class="legend"');
    expect(svg).toContain('>torch</text>');
    expect(svg).toContain('>anneal</text>');
    expect(svg).toContain('stroke="#2563eb" data-label="torch"');
    expect(svg).toContain('stroke="#dc2626" stroke-dasharray="7 5" data-label="anneal"');
  });

  it('decimates a million points to a small file that keeps the extremes', () => {
    const length = 1_000_000;
    const x = new Float64Array(length);
    const y = new Float64Array(length);
    for (let index = 0; index < length; index += 1) {
      x[index] = index;
      y[index] = index === 654_321 ? 2 : 1; // one spike
    }
    const svg = renderSvgChart([{ x, y }]);
    expect(svg.length).toBeLessThan(200_000);
    const coordinates = pathPoints(svg)[0]!;
    const ys = coordinates.filter((_, index) => index % 2 === 1);
    expect(new Set(ys).size).toBe(2);
  });

  it('throws one ChartInputError listing every problem', () => {
    let caught: unknown;
    try {
      renderSvgChart(
        [
          { x: [0, 1], y: [0] },
          { x: [0, 1], y: [0, Number.NaN] },
          { x: [], y: [] },
        ],
        { xRange: [5, 1] },
      );
    } catch (error) {
      caught = error;
    }
    expect(ChartInputError.isInstance(caught)).toBe(true);
    expect((caught as ChartInputError).message).toBe(
      [
        'renderSvgChart: 4 invalid inputs:',
        '- series[0].x and .y must have the same length; received 2 and 1',
        '- series[1] point 1 must be finite; received (1, NaN)',
        '- series[2] must have at least one point; received 0',
        '- xRange must be two finite numbers [start, end] with start < end; received [5, 1]',
      ].join('\n'),
    );
    expect(() => renderSvgChart([], {})).toThrow(
      'renderSvgChart: series must be a non-empty array of { x, y }; received none',
    );
    expect(() => renderSvgChart([ramp], { width: 10, height: 10.5 })).toThrow(
      'renderSvgChart: 2 invalid inputs:\n- width must be an integer from 200 to 10000 pixels; received 10\n- height must be an integer from 120 to 10000 pixels; received 10.5',
    );
  });
});

describe('renderSvgChart for other charts', () => {
  const losses = { x: [1e-4, 1e-3, 1e-2, 1e-1, 1], y: [2.3, 2.1, 1.2, 0.8, 9] };

  it('draws a log x axis over exactly the x range, with a tick per decade', () => {
    const svg = renderSvgChart([losses], { xScale: 'log', width: 760, height: 400, xmlDeclaration: false });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(checkXml(svg).problems).toEqual([]);
    const labels = [
      ...svg.matchAll(/<text x="([\d.]+)" y="369" font-size="11" text-anchor="middle"[^>]*>([^<]+)</g),
    ];
    expect(labels.map((match) => match[2])).toEqual(['1e-4', '1e-3', '0.01', '0.1', '1']);
    const xs = labels.map((match) => Number(match[1]));
    expect(xs[0]).toBe(64);
    expect(xs[4]).toBe(740);
    for (let i = 1; i < xs.length; i += 1)
      expect(Math.abs(xs[i]! - xs[i - 1]! - 169)).toBeLessThanOrEqual(0.1);
    expect(() => renderSvgChart([{ x: [0, 1], y: [1, 1] }], { xScale: 'log' })).toThrow(
      "renderSvgChart: xScale 'log' needs x values (and xRange) above 0; received 0",
    );
  });

  it('fixes the y range on request and clips the lines that leave it', () => {
    const svg = renderSvgChart([losses], { xScale: 'log', yMin: 0.5, yMax: 2.5 });
    expect(svg).toMatch(/<clipPath id="anneal-plot-\d+-\d+-\d+-\d+">/);
    expect(svg).toMatch(/<path d="[^"]+" [^>]*clip-path="url\(#anneal-plot-\d+-\d+-\d+-\d+\)"/);
    expect(svg).toContain('>0.5</text>');
    expect(svg).toContain('>2.5</text>');
    expect(renderSvgChart([ramp])).not.toContain('clip');
  });

  it('draws dots, rings, rules and an explicit legend; labels y ticks with a given notation', () => {
    const svg = renderSvgChart(
      [
        { ...losses, marks: 'dots', radius: 1.6, opacity: 0.25, color: '#dc2626' },
        { x: [1e-2], y: [1.2], marks: 'rings', color: '#dc2626' },
        { ...losses, color: '#dc2626', width: 1.8, dash: '' },
      ],
      {
        xScale: 'log',
        yMax: 3,
        rules: [{ x: 0.1, color: '#dc2626', dash: '3 3' }, { x: 100 }],
        legend: [{ label: 'onnxruntime: valley 0.01', color: '#dc2626' }],
        formatYTicks: (ticks) => ticks.map((tick) => `${tick} u`),
      },
    );
    expect(checkXml(svg).problems).toEqual([]);
    // The dot above yMax is left out.
    expect(svg.match(/fill-opacity="0.25"/g)).toHaveLength(4);
    expect(svg.match(/<circle [^>]*r="6" fill="none" stroke="#dc2626"/g)).toHaveLength(1);
    expect(svg.match(/stroke-dasharray="3 3"/g)).toHaveLength(1);
    expect(svg).toContain('>onnxruntime: valley 0.01</text>');
    expect(svg).toContain('>1 u</text>');
    expect(svg.match(/<path /g)).toHaveLength(1);
  });

  it('draws the frame, the legend and a message when there is nothing to plot and a message is given', () => {
    const svg = renderSvgChart([], {
      title: 'range test',
      legend: [{ label: 'tfjs: no suggestion', color: '#000' }],
      noDataMessage: 'nothing to plot',
    });
    expect(checkXml(svg).problems).toEqual([]);
    expect(svg).toContain('>tfjs: no suggestion</text>');
    expect(svg).toContain('>nothing to plot</text>');
    expect(svg).not.toContain('<path');
    expect(() => renderSvgChart([{ x: [], y: [] }], {})).toThrow('series[0] must have at least one point');
    expect(() => renderSvgChart([], { noDataMessage: 'x', width: 10 })).toThrow('width must be an integer');
  });
});
