import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromConfig, toConfig } from '../config';
import {
  expectClosedForm,
  expectMessages,
  expectRoundTrip,
  stepsUpTo,
} from '../families/test-helpers.test-utils';
import { getFamily } from '../registry';
import { learningRateSweep } from './sweep';

/** Independent restatement: a · (b / a)^(t / (S − 1)) or a + (b − a) · t / (S − 1), b from S − 1 on. */
function closedForm(a: number, b: number, S: number, mode: 'exponential' | 'linear') {
  return (t: number) => {
    if (t >= S - 1) return b;
    const p = t / (S - 1);
    return mode === 'linear' ? a + (b - a) * p : a * (b / a) ** p;
  };
}

describe('learningRateSweep', () => {
  it('follows the closed form (exponential by default, linear)', () => {
    const cases = [
      { minValue: 1e-7, maxValue: 10, steps: 100 },
      { minValue: 1e-4, maxValue: 1, steps: 5, mode: 'exponential' as const },
      { minValue: 0.001, maxValue: 0.5, steps: 37, mode: 'linear' as const },
      { minValue: 2, maxValue: 3, steps: 2 },
    ];
    for (const o of cases)
      expectClosedForm(
        learningRateSweep(o),
        closedForm(o.minValue, o.maxValue, o.steps, o.mode ?? 'exponential'),
        stepsUpTo(o.steps + 5),
      );
  });

  it('starts at minValue, ends exactly at maxValue at step steps − 1 and holds it', () => {
    const sweep = learningRateSweep({ minValue: 1e-6, maxValue: 3, steps: 50 });
    expect(sweep(0)).toBe(1e-6);
    expect(sweep(49)).toBe(3);
    expect(sweep(1e9)).toBe(3);
    expect(sweep.phases).toEqual([
      { name: 'sweep', start: 0, end: 49 },
      { name: 'held', start: 49, end: Number.POSITIVE_INFINITY },
    ]);
  });

  it('matches the worked example of its TSDoc', () => {
    expect(learningRateSweep({ minValue: 1e-4, maxValue: 1, steps: 5 })(2)).toBeCloseTo(0.01, 15);
    expect(learningRateSweep({ minValue: 1e-4, maxValue: 1, steps: 5, mode: 'linear' })(2)).toBeCloseTo(
      0.50005,
      15,
    );
  });

  it('never overflows for extreme finite bounds (b / a alone would)', () => {
    const sweep = learningRateSweep({ minValue: 5e-324, maxValue: 1e308, steps: 11 });
    for (let t = 0; t <= 10; t++) expect(Number.isFinite(sweep(t))).toBe(true);
    expect(sweep(10)).toBe(1e308);
  });

  it('serializes: config, JSON round trip, registered family', () => {
    const sweep = learningRateSweep({ minValue: 1e-5, maxValue: 1, steps: 30 });
    expect(toConfig(sweep)).toEqual({
      type: 'learningRateSweep',
      minValue: 1e-5,
      maxValue: 1,
      steps: 30,
      mode: 'exponential',
    });
    expectRoundTrip(sweep, stepsUpTo(35));
    expectRoundTrip(
      learningRateSweep({ minValue: 1e-5, maxValue: 1, steps: 30, mode: 'linear' }),
      stepsUpTo(35),
    );
    expect(fromConfig({ type: 'learningRateSweep', minValue: 0.1, maxValue: 1, steps: 10 })(9)).toBe(1);
    expect(getFamily('learningRateSweep')).toBe(learningRateSweep.family);
  });

  it('is increasing, within [minValue, maxValue], with a constant ratio per step when exponential', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-9, max: 1, noNaN: true }),
        fc.double({ min: 1.01, max: 1e6, noNaN: true }),
        fc.integer({ min: 2, max: 500 }),
        fc.constantFrom('exponential' as const, 'linear' as const),
        (minValue, spanFactor, steps, mode) => {
          const maxValue = minValue * spanFactor;
          const sweep = learningRateSweep({ minValue, maxValue, steps, mode });
          let previous = sweep(0);
          expect(previous).toBe(minValue);
          const ratio = (maxValue / minValue) ** (1 / (steps - 1));
          for (let t = 1; t < steps; t++) {
            const value = sweep(t);
            expect(value).toBeGreaterThan(previous);
            expect(value).toBeLessThanOrEqual(maxValue);
            if (mode === 'exponential') expect(Math.abs(value / previous / ratio - 1)).toBeLessThan(1e-9);
            previous = value;
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([
    [
      'non-positive bounds',
      { minValue: 0, maxValue: -1, steps: 10 },
      [
        'learningRateSweep: minValue must be a finite number > 0; received 0.',
        'learningRateSweep: maxValue must be a finite number > 0; received -1.',
      ],
    ],
    [
      'inverted bounds',
      { minValue: 1, maxValue: 0.1, steps: 10 },
      ['learningRateSweep: maxValue must be greater than minValue (1); received 0.1.'],
    ],
    [
      'equal bounds',
      { minValue: 0.1, maxValue: 0.1, steps: 10 },
      ['learningRateSweep: maxValue must be greater than minValue (0.1); received 0.1.'],
    ],
    [
      'too few steps',
      { minValue: 1e-3, maxValue: 1, steps: 1 },
      ['learningRateSweep: steps must be an integer >= 2; received 1.'],
    ],
    [
      'fractional steps and an unknown mode',
      { minValue: 1e-3, maxValue: 1, steps: 2.5, mode: 'cosine' },
      [
        'learningRateSweep: steps must be an integer >= 2; received 2.5.',
        'learningRateSweep: mode must be one of "exponential", "linear"; received "cosine".',
      ],
    ],
  ])('rejects %s with every problem named', (_name, options, messages) => {
    expectMessages(() => learningRateSweep(options as never), messages);
  });
});
