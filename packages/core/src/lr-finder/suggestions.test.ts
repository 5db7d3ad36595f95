import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../families/test-helpers.test-utils';
import { RangeTestConfigError } from './errors';
import { smoothLosses, suggestMinimum, suggestSteepest, suggestValley } from './suggestions';

function messagesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (RangeTestConfigError.isInstance(error)) return error.issues.map((issue) => issue.message);
    throw error;
  }
  return expect.fail('expected a RangeTestConfigError');
}

const rates = (n: number) => Array.from({ length: n }, (_, k) => 10 ** (k / 4 - 3));

describe('smoothLosses', () => {
  it('is the bias-corrected moving average, restated as a normalised weighted sum', () => {
    const losses = [2.3, 2.1, 2.25, 1.7, 1.2, 1.35, 0.9, 4, 0.5];
    for (const beta of [0, 0.5, 0.9, 0.98]) {
      const smoothed = smoothLosses(losses, beta);
      losses.forEach((_, k) => {
        // s_k = Σ_{i<=k} β^(k−i) (1 − β) ℓ_i / (1 − β^(k+1))
        let sum = 0;
        for (let i = 0; i <= k; i++) sum += beta ** (k - i) * (1 - beta) * (losses[i] as number);
        expectClose(smoothed[k] as number, sum / (1 - beta ** (k + 1)), `β ${beta}, k ${k}:`);
      });
    }
  });

  it('keeps the first loss and a constant series unchanged; defaults to β = 0.98', () => {
    expect(smoothLosses([3.5, 1])[0]).toBe(3.5);
    for (const value of smoothLosses(Array(50).fill(0.7))) expectClose(value, 0.7);
    expect(smoothLosses([1, 2, 3])).toEqual(smoothLosses([1, 2, 3], 0.98));
  });

  it('rejects β outside [0, 1) and non-finite losses', () => {
    expect(messagesOf(() => smoothLosses([1, Number.NaN], 1))).toEqual([
      'smoothLosses: smoothingFactor must be a number in [0, 1); received 1.',
      'smoothLosses: losses[1] must be a finite number; received NaN.',
    ]);
  });
});

describe('suggestSteepest', () => {
  it('picks the left point of the most negative forward difference per unit of ln lr', () => {
    const learningRates = [1e-3, 1e-2, 1e-1, 1, 10];
    const losses = [2.0, 1.9, 1.2, 1.0, 3.0];
    // slopes per ln 10: −0.1, −0.7, −0.2, +2.0 → the second, at 1e-2
    expect(suggestSteepest(learningRates, losses)).toEqual({ value: 1e-2, index: 1, loss: 1.9 });
  });

  it('weighs each difference by the log spacing (uneven grids)', () => {
    // drops of 0.5 over ln(10) and 0.3 over ln(1.1): the second is far steeper per unit of ln lr
    expect(suggestSteepest([0.01, 0.1, 0.11], [1.5, 1.0, 0.7]).index).toBe(1);
  });

  it('takes the first point on ties', () => {
    expect(suggestSteepest([1, 10, 100], [3, 2, 1]).index).toBe(0);
  });
});

describe('suggestValley', () => {
  // Known answers from fastai's `valley` (fastai/callback/schedule.py) run in Python.
  it.each([
    ['a steady fall', [5, 4, 3, 2, 1], 0],
    ['no fall at all', [3, 3, 3], 0],
    ['a rise only', [1, 2], 0],
    ['a two-point run at the start (Python negative index: the last point)', [2, 1], 1],
    ['a fall with bumps, then a rise', [9, 8, 7, 8, 6, 5, 4, 6, 9], 3],
    ['a noisy range-test curve', [1.0, 0.8, 0.9, 0.5, 0.6, 0.4, 0.3, 0.5, 1.2, 3.0], 2],
  ])('%s', (_name, losses, index) => {
    const learningRates = rates(losses.length);
    expect(suggestValley(learningRates, losses)).toEqual({
      value: learningRates[index],
      index,
      loss: losses[index],
    });
  });

  it('lands inside the falling stretch of a fall-then-rise curve (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 60 }), fc.integer({ min: 0, max: 30 }), (fall, rise) => {
        const losses = [
          ...Array.from({ length: fall }, (_, k) => 10 - k),
          ...Array.from({ length: rise }, (_, k) => 11 - fall + 2 * (k + 1)),
        ];
        const { index } = suggestValley(rates(losses.length), losses);
        expect(index).toBeGreaterThanOrEqual(0);
        expect(index).toBeLessThan(fall);
      }),
    );
  });
});

describe('suggestMinimum', () => {
  it('is one tenth of the learning rate at the lowest loss (the first on ties)', () => {
    expect(suggestMinimum([0.001, 0.01, 0.1, 1], [2, 0.5, 0.5, 4])).toEqual({
      value: 0.001,
      index: 1,
      loss: 0.5,
    });
  });
});

describe('suggestion input checks', () => {
  it.each([
    [
      'mismatched lengths and too few points',
      () => suggestSteepest([0.1], [1, 2]),
      [
        'suggestSteepest: learningRates and losses must have the same length (1); received 2.',
        'suggestSteepest: learningRates must be an array of at least 2 points; received 1.',
      ],
    ],
    [
      'non-positive, unsorted learning rates and a NaN loss',
      () => suggestValley([0.1, 0, 0.2, 0.15], [1, 2, Number.NaN, 1]),
      [
        'suggestValley: learningRates[1] must be a finite number > 0; received 0.',
        'suggestValley: learningRates must increase strictly: learningRates[3] must be > learningRates[2] (0.2); received 0.15.',
        'suggestValley: losses[2] must be a finite number; received NaN.',
      ],
    ],
    [
      'an empty series',
      () => suggestMinimum([], []),
      ['suggestMinimum: learningRates must be an array of at least 1 points; received 0.'],
    ],
    [
      'not arrays',
      () => suggestMinimum('a' as never, null as never),
      [
        'suggestMinimum: learningRates must be an array of finite numbers > 0; received "a".',
        'suggestMinimum: losses must be an array of finite numbers; received null.',
      ],
    ],
  ])('rejects %s', (_name, run, messages) => {
    expect(messagesOf(run)).toEqual(messages);
  });
});
