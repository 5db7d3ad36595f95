import { describe, expect, it } from 'vitest';
import { piecewiseConstant } from './index';
import { expectMessages, expectRoundTrip, stepsUpTo } from './test-helpers.test-utils';

describe('piecewiseConstant', () => {
  it('uses values[i + 1] from boundaries[i] on', () => {
    const boundaries = [10, 20, 30];
    const values = [0.1, 0.05, 0.01, 0.001];
    const s = piecewiseConstant({ boundaries, values });
    for (const t of stepsUpTo(40)) {
      const k = boundaries.filter((b) => b <= t).length;
      expect(s(t)).toBe(values[k]);
    }
    expect([s(9.999), s(10), s(19), s(20), s(30), s(1e12)]).toEqual([0.1, 0.05, 0.05, 0.01, 0.001, 0.001]);
  });

  it('handles a boundary at 0 and a single value', () => {
    expect(piecewiseConstant({ boundaries: [0], values: [1, 0.5] })(0)).toBe(0.5);
    expect(piecewiseConstant({ boundaries: [], values: [0.2] })(5)).toBe(0.2);
  });

  it.each([
    [
      'boundaries out of order and a length mismatch',
      { boundaries: [10, 10, 5], values: [0.1, 0.2] },
      [
        'piecewiseConstant: boundaries must be sorted in strictly increasing order: boundaries[1] must be > boundaries[0] (10); received 10.',
        'piecewiseConstant: boundaries must be sorted in strictly increasing order: boundaries[2] must be > boundaries[1] (10); received 5.',
        'piecewiseConstant: values must have one more entry than boundaries (4); received 2.',
      ],
    ],
    [
      'a negative value',
      { boundaries: [1], values: [0.1, -0.2] },
      ['piecewiseConstant: values[1] must be a finite number >= 0; received -0.2.'],
    ],
  ])('rejects %s', (_, options, messages) => {
    expectMessages(() => piecewiseConstant(options as never), messages);
  });

  it('round-trips through JSON', () => {
    expectRoundTrip(
      piecewiseConstant({ boundaries: [10, 20, 30], values: [0.1, 0.05, 0.01, 0.001] }),
      stepsUpTo(40),
    );
  });
});
