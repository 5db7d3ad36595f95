import { sample, warmupCosineDecay } from '@anneal/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ChartInput,
  type CurvePath,
  formatTick,
  layoutChart,
  niceTicks,
  pixelX,
  pixelY,
  stepAt,
} from '../src/chart';
import { chartSvg, escapeXml, valuesCsv } from '../src/svg';

const input = (values: Float64Array, changes: Partial<ChartInput> = {}): ChartInput => ({
  width: 400,
  height: 240,
  start: 0,
  end: values.length - 1,
  stride: 1,
  scale: 'linear',
  curves: [{ label: 'a', color: '#2563eb', dashed: false, values }],
  phases: [],
  ...changes,
});

/** Pixel columns → [min y, max y] of a list of x, y pairs. */
function columns(points: ArrayLike<number>, length: number): Map<number, [number, number]> {
  const result = new Map<number, [number, number]>();
  for (let i = 0; i < length; i += 2) {
    const x = Math.round(points[i]!);
    const y = points[i + 1]!;
    const range = result.get(x);
    if (range) result.set(x, [Math.min(range[0], y), Math.max(range[1], y)]);
    else result.set(x, [y, y]);
  }
  return result;
}

describe('layoutChart', () => {
  it('keeps every sample when there are at most two per pixel column', () => {
    const values = Float64Array.from({ length: 101 }, (_, i) => i / 100);
    const layout = layoutChart(input(values));
    expect(layout.paths[0]!.length).toBe(202);
    expect(layout.paths[0]!.points[0]).toBe(layout.plot.left);
    expect(layout.paths[0]!.points[200]).toBeCloseTo(layout.plot.left + layout.plot.width, 9);
  });

  it('reduces 100,000 samples to at most four points per column covering the same pixels (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2000, maxLength: 4000 }),
        fc.constantFrom('linear' as const, 'log' as const),
        (list, scale) => {
          const values = Float64Array.from(list);
          const layout = layoutChart(input(values, { scale }));
          const path = layout.paths[0]!;
          expect(path.length).toBeLessThanOrEqual((layout.plot.width + 2) * 8);
          // The full polyline, in the same pixel space.
          const full = new Float64Array(values.length * 2);
          values.forEach((value, i) => {
            full[2 * i] = pixelX(layout.map, i);
            full[2 * i + 1] = pixelY(layout.map, value);
          });
          expect(columns(path.points, path.length)).toEqual(columns(full, full.length));
          // In step order: x never goes back; first and last samples are kept.
          for (let i = 2; i < path.length; i += 2)
            expect(path.points[i]!).toBeGreaterThanOrEqual(path.points[i - 2]!);
          expect(path.points[1]).toBe(full[1]);
          expect(path.points[path.length - 1]).toBe(full[full.length - 1]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('uses round ticks, a zero-based linear axis and decades on a log axis', () => {
    const values = sample(
      warmupCosineDecay({ peakValue: 1e-3, totalSteps: 1000, warmupSteps: 100, finalValue: 1e-6 }),
      {
        end: 1000,
      },
    );
    const linear = layoutChart(input(values, { width: 800 }));
    expect(linear.yDomain[0]).toBe(0);
    expect(linear.yTicks.map((tick) => tick.label)).toEqual(['0', '2e-4', '4e-4', '6e-4', '8e-4', '1e-3']);
    expect(linear.xTicks.map((tick) => tick.value)).toEqual([0, 200, 400, 600, 800, 1000]);
    const log = layoutChart(input(values, { scale: 'log' }));
    expect(log.yDomain).toEqual([1e-6, 1e-3]);
    expect(log.yTicks.map((tick) => tick.label)).toEqual(['1e-6', '1e-5', '1e-4', '1e-3']);
    expect(log.clippedZeros).toBe(true);
  });

  it('marks phase boundaries inside the range and maps pixels back to steps', () => {
    const values = new Float64Array(1001).fill(1);
    const layout = layoutChart(
      input(values, {
        phases: [
          { step: 0, name: 'warmup', color: '#000000' },
          { step: 250, name: 'decay', color: '#000000' },
          { step: 1000, name: 'final', color: '#000000' },
        ],
      }),
    );
    expect(layout.phases.map((phase) => phase.name)).toEqual(['decay']);
    expect(stepAt(layout, layout.phases[0]!.x)).toBeCloseTo(250, 9);
    expect(stepAt(layout, -50)).toBe(0);
    expect(stepAt(layout, 10_000)).toBe(1000);
  });
});

describe('layoutChart over progressive samples', () => {
  const values = Float64Array.from({ length: 20_001 }, (_, i) => 0.5 + 0.5 * Math.sin(i / 37));
  const copy = () => Float64Array.from(values);

  it('lays a curve out the same from its cached extent and decimation as from a fresh array, at any size and scale', () => {
    for (const [width, scale] of [
      [800, 'linear'],
      [640, 'linear'],
      [640, 'log'],
      [800, 'linear'],
    ] as const) {
      // `values` keeps its extent and its last decimation; a copy starts from nothing.
      const cached = layoutChart(input(values, { width, scale, end: 20_000 }));
      const fresh = layoutChart(input(copy(), { width, scale, end: 20_000 }));
      expect(cached.yDomain).toEqual(fresh.yDomain);
      expect(Array.from(cached.paths[0]!.points)).toEqual(Array.from(fresh.paths[0]!.points));
    }
  });

  it('draws a preview curve at its own stride over the same steps', () => {
    const preview = Float64Array.from({ length: 201 }, (_, i) => values[i * 100]!);
    const layout = layoutChart({
      ...input(values, { end: 20_000 }),
      curves: [
        { label: 'all', color: '#2563eb', dashed: false, values },
        { label: 'preview', color: '#dc2626', dashed: false, values: preview, stride: 100 },
      ],
    });
    const [all, coarse] = layout.paths as [CurvePath, CurvePath];
    expect(coarse.points[0]).toBe(all.points[0]);
    expect(coarse.points[coarse.length - 2]).toBeCloseTo(all.points[all.length - 2]!, 9);
    expect(coarse.length).toBe(402);
  });
});

describe('ticks', () => {
  it.each([
    [0, 1, 5, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [0, 1100, 6, [0, 200, 400, 600, 800, 1000]],
    [3, 7, 4, [3, 4, 5, 6, 7]],
    [0, 1.05e-3, 6, [0, 2e-4, 4e-4, 6e-4, 8e-4, 1e-3]],
  ])('niceTicks(%s, %s, %s)', (low, high, count, expected) => {
    expect(niceTicks(low, high, count)).toEqual(expected);
  });

  it.each([
    [0, false, '0'],
    [0.25, false, '0.25'],
    [1500, false, '1500'],
    [1e-4, false, '1e-4'],
    [2.5e-5, false, '2.5e-5'],
    [0.002, true, '2e-3'],
    [2e6, false, '2e6'],
  ])('formatTick(%s, exponent %s) is %s', (value, exponent, label) => {
    expect(formatTick(value, exponent)).toBe(label);
  });
});

describe('exports', () => {
  it('writes a standalone SVG with one path per curve, a legend and escaped labels', () => {
    const values = Float64Array.from({ length: 50 }, (_, i) => 1 - i / 49);
    const layout = layoutChart({
      ...input(values),
      curves: [
        { label: 'a <&> "b"', color: '#2563eb', dashed: false, values },
        { label: 'native', color: '#2563eb', dashed: true, values },
      ],
      phases: [{ step: 10, name: 'hold', color: '#dc2626' }],
      legendRows: 1,
    });
    const svg = chartSvg(layout, 'Learning rate');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(svg.match(/clip-path="url\(#plot\)"/g)).toHaveLength(2);
    expect(svg.match(/stroke-dasharray="7 5"/g)).toHaveLength(1);
    expect(svg).toContain('a &#60;&#38;&#62; &#34;b&#34;');
    expect(svg).not.toContain('a <&>');
    expect(svg).toContain('>hold</text>');
    expect(svg).not.toMatch(/NaN|undefined/);
    expect(escapeXml(`'`)).toBe('&#39;');
  });

  it('writes CSV rows at the sampled steps, values at full precision', () => {
    const schedule = warmupCosineDecay({ peakValue: 0.1, totalSteps: 10, warmupSteps: 3 });
    const values = sample(schedule, { start: 1, end: 8, stride: 2.5 });
    const csv = valuesCsv(1, 8, 2.5, [
      { label: 'plain', values },
      { label: 'with, comma "quoted"', values },
    ]);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('step,plain,"with, comma ""quoted"""');
    expect(lines.slice(1).map((line) => line.split(',').map(Number))).toEqual(
      [1, 3.5, 6].map((step) => [step, schedule(step), schedule(step)]),
    );
  });
});
