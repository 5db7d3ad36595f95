import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkXml } from '../test/check-xml';
import { renderSvgChart } from './svg-chart';
import { renderTerminalChart } from './terminal';

const finite = fc.double({ min: 0, max: 1e3, noNaN: true, noDefaultInfinity: true });
const seriesArbitrary = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 100_000 }), finite), { minLength: 1, maxLength: 200 })
  .map((points) => {
    const sorted = [...points].sort((a, b) => a[0] - b[0]);
    return { x: sorted.map((point) => point[0]), y: sorted.map((point) => point[1]) };
  });
const phasesArbitrary = fc.array(
  fc
    .tuple(
      fc.constantFrom('warmup', 'hold', 'decay', 'a & <b>'),
      fc.integer({ min: 0, max: 100_000 }),
      fc.integer({ min: 1, max: 50_000 }),
    )
    .map(([name, start, length]) => ({
      name,
      start,
      end: length > 40_000 ? Number.POSITIVE_INFINITY : start + length,
    })),
  { maxLength: 5 },
);

describe('renderer properties', () => {
  it('the SVG is always well-formed, with one finite path per series inside the canvas', () => {
    fc.assert(
      fc.property(
        fc.array(seriesArbitrary, { minLength: 1, maxLength: 3 }),
        phasesArbitrary,
        fc.boolean(),
        (series, phases, step) => {
          const svg = renderSvgChart(series, { phases, title: 'property', curve: step ? 'step' : 'linear' });
          expect(checkXml(svg).problems).toEqual([]);
          const paths = [...svg.matchAll(/<path d="([^"]+)"/g)].map((match) => match[1]!);
          expect(paths).toHaveLength(series.length);
          for (const d of paths) {
            for (const value of d
              .split(/[MLh ]+/)
              .filter(Boolean)
              .map(Number)) {
              expect(Number.isFinite(value)).toBe(true);
              expect(value).toBeGreaterThanOrEqual(0);
              expect(value).toBeLessThanOrEqual(800);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('every terminal line fits the width and the plot has exactly `height` rows', () => {
    fc.assert(
      fc.property(
        fc.array(seriesArbitrary, { minLength: 1, maxLength: 3 }),
        phasesArbitrary,
        fc.integer({ min: 30, max: 140 }),
        fc.integer({ min: 4, max: 30 }),
        (series, phases, width, height) => {
          const labelled = series.map((item, index) => ({ ...item, label: `series label number ${index}` }));
          const title =
            'torch.optim.lr_scheduler.CosineAnnealingWarmRestarts (as cycleRestarts) · steps 0–1000';
          const text = renderTerminalChart(labelled, { phases, width, height, title });
          const lines = text.split('\n');
          for (const line of lines) expect([...line].length).toBeLessThanOrEqual(width);
          // Plot rows carry the y axis (┤ or │) in the column of the x axis corner └.
          const axisLine = lines.find((line) => line.includes('└'))!;
          const axisColumn = [...axisLine].indexOf('└');
          expect(lines.filter((line) => '┤│'.includes([...line][axisColumn] ?? 'x'))).toHaveLength(height);
        },
      ),
      { numRuns: 200 },
    );
  });
});
