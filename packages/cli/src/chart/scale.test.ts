import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultStepRange, sampleSchedule, valueRange } from './sample';
import { formatStepTicks, formatValueTick, formatValueTicks, niceStep, stepAxis, valueAxis } from './scale';

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

describe('sampling for plots', () => {
  it('defaults to the last finite phase boundary + 10%, else 0:1000', () => {
    expect(
      defaultStepRange([
        { name: 'warmup', start: 0, end: 500 },
        { name: 'final', start: 10000, end: Number.POSITIVE_INFINITY },
      ]),
    ).toEqual({ start: 0, end: 11000 });
    expect(defaultStepRange([{ name: 'a', start: 0, end: 33 }])).toEqual({ start: 0, end: 37 });
    expect(defaultStepRange([])).toEqual({ start: 0, end: 1000 });
    expect(defaultStepRange([{ name: 'cycle', start: 0, end: Number.POSITIVE_INFINITY }])).toEqual({
      start: 0,
      end: 1000,
    });
  });

  it('evaluates every integer step, or a stride that keeps the end', () => {
    const dense = sampleSchedule((step) => step * 2, { start: 3, end: 7 });
    expect(Array.from(dense.x)).toEqual([3, 4, 5, 6, 7]);
    expect(Array.from(dense.y)).toEqual([6, 8, 10, 12, 14]);
    const strided = sampleSchedule((step) => step, { start: 0, end: 10 }, 'line', 4);
    expect(Array.from(strided.x)).toEqual([0, 3, 6, 9, 10]);
    expect(strided.label).toBe('line');
    expect(valueRange(strided.y)).toEqual({ min: 0, max: 10 });
  });
});
