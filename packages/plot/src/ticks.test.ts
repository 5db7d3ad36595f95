import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDecadeTick, formatStepTicks, formatValueTick, formatValueTicks } from './tick-labels';
import { decadeAxis, decadeTicks, niceStep, niceTicks, stepAxis, valueAxis } from './ticks';

describe('axes', () => {
  it.each([
    [1, 5, 0.2],
    [0.001, 4, 0.00025],
    [11000, 5, 2500],
    [7, 10, 1],
    [1e-9, 4, 2.5e-10],
  ])('niceStep(%d, %i) = %d', (span, count, step) => {
    expect(niceStep(span, count)).toBe(step);
  });

  it('the value axis starts at 0, ends 4% above the maximum and has ticks inside', () => {
    const axis = valueAxis(0.00001, 0.001, 5);
    expect(axis.min).toBe(0);
    expect(axis.max).toBeCloseTo(0.00104, 15);
    expect(axis.ticks).toEqual([0, 0.00025, 0.0005, 0.00075, 0.001]);
  });

  it('the value axis extends below 0 for negative data and handles a flat line', () => {
    expect(valueAxis(-0.02, 0.1, 4).min).toBe(-0.05);
    const flat = valueAxis(0, 0, 4);
    expect(flat.min).toBe(0);
    expect(flat.max).toBe(1);
  });

  it('the step axis has integer ticks within [start, end]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e7 }),
        fc.integer({ min: 1, max: 1e7 }),
        fc.integer({ min: 2, max: 12 }),
        (start, length, count) => {
          const axis = stepAxis(start, start + length, count);
          expect(axis.ticks.length).toBeGreaterThan(0);
          for (const tick of axis.ticks) {
            expect(Number.isInteger(tick)).toBe(true);
            expect(tick).toBeGreaterThanOrEqual(start);
            expect(tick).toBeLessThanOrEqual(start + length);
          }
        },
      ),
    );
  });

  it('value ticks always cover the data', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (a, b) => {
          const axis = valueAxis(Math.min(a, b), Math.max(a, b), 4);
          expect(axis.min).toBeLessThanOrEqual(Math.min(a, b));
          expect(axis.max).toBeGreaterThan(Math.max(a, b) - 1e-12);
          expect(axis.ticks.every((tick) => tick >= axis.min && tick <= axis.max)).toBe(true);
        },
      ),
    );
  });
});

describe('tick labels', () => {
  it('use one notation per axis', () => {
    expect(formatValueTicks([0, 0.00025, 0.0005, 0.00075, 0.001])).toEqual([
      '0',
      '2.5e-4',
      '5e-4',
      '7.5e-4',
      '1e-3',
    ]);
    expect(formatValueTicks([0, 0.025, 0.05, 0.075, 0.1])).toEqual(['0', '0.025', '0.05', '0.075', '0.1']);
    expect(formatValueTicks([0, 2e6, 4e6])).toEqual(['0', '2e6', '4e6']);
    expect(formatStepTicks([0, 2500, 5000, 7500, 10000])).toEqual(['0', '2.5k', '5k', '7.5k', '10k']);
    expect(formatStepTicks([0, 250, 500])).toEqual(['0', '250', '500']);
    expect(formatStepTicks([0, 500000, 1000000])).toEqual(['0', '0.5M', '1M']);
  });

  it('read back as the tick value', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-12, max: 1e9, noNaN: true }), (value) => {
        const tick = Number(value.toPrecision(3));
        expect(Number(formatValueTick(tick))).toBeCloseTo(tick, 10);
        expect(Math.abs(Number(formatValueTick(tick)) - tick)).toBeLessThanOrEqual(tick * 1e-9);
      }),
    );
  });
});

describe('niceTicks', () => {
  it('gives round ticks inside the range, about `count` intervals apart', () => {
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(-3, 17)).toEqual([0, 5, 10, 15]);
    expect(niceTicks(1.2e-5, 9.9e-5, 4)).toEqual([2.5e-5, 5e-5, 7.5e-5]);
    expect(niceTicks(2, 2, 5)).toEqual([2]);
  });
});

describe('log axes', () => {
  it('decade ticks are exact powers of ten inside the range, thinned on request', () => {
    expect(decadeTicks(5e-7, 2e-2)).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 1e-2]);
    expect(decadeTicks(1e-12, 1, 4)).toEqual([1e-12, 1e-8, 1e-4, 1]);
    expect(decadeTicks(2e-3, 8e-3)).toEqual([]);
  });

  it('decadeAxis widens to whole decades, thins wide ranges and has a default', () => {
    expect(decadeAxis(2.5e-6, 1e-3)).toEqual({
      min: 1e-6,
      max: 1e-3,
      ticks: [1e-6, 1e-5, 1e-4, 1e-3],
      tickStep: 1,
    });
    const wide = decadeAxis(1e-20, 1);
    expect(wide.ticks).toEqual([1e-20, 1e-17, 1e-14, 1e-11, 1e-8, 1e-5, 1e-2]);
    expect(decadeAxis(Number.POSITIVE_INFINITY, 0)).toMatchObject({ min: 0.1, max: 1 });
    expect(decadeAxis(0.5, 0.5)).toMatchObject({ min: 0.1, max: 1 });
    expect(decadeAxis(5e-324, 1).min).toBe(1e-300);
  });

  it('decade labels read plainly from 0.01 to 100, with an exponent beyond', () => {
    const decades = [1e-7, 1e-2, 1e2, 1e3, 1e21];
    expect(decades.map(formatDecadeTick)).toEqual(['1e-7', '0.01', '100', '1e3', '1e21']);
  });
});
