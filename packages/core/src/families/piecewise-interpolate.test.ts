import { describe, expect, it } from 'vitest';
import { piecewiseInterpolate } from './index';
import { expectClosedForm, expectMessages, expectRoundTrip, stepsUpTo } from './test-helpers.test-utils';

/** Independent restatement of optax's piecewise interpolation on explicit points. */
function closedForm(b: number[], v: number[], cosine: boolean) {
  return (t: number) => {
    if (t < (b[0] as number)) return v[0] as number;
    for (let i = b.length - 1; i >= 1; i--) {
      const lo = b[i - 1] as number;
      const hi = b[i] as number;
      if (t >= lo && t < hi) {
        const pct = (t - lo) / (hi - lo);
        const start = v[i - 1] as number;
        const end = v[i] as number;
        return cosine
          ? end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1)
          : start + pct * (end - start);
      }
    }
    return v[v.length - 1] as number;
  };
}

describe('piecewiseInterpolate', () => {
  it('follows the closed form (linear and cosine)', () => {
    const boundaries = [0, 4, 8, 20];
    const values = [1, 0.1, 0.01, 0.5];
    for (const interpolation of ['linear', 'cosine'] as const) {
      expectClosedForm(
        piecewiseInterpolate({ boundaries, values, interpolation }),
        closedForm(boundaries, values, interpolation === 'cosine'),
        stepsUpTo(30),
      );
    }
  });

  it('is flat outside the points, exact at them, and jumps at a repeated boundary', () => {
    const s = piecewiseInterpolate({ boundaries: [5, 10, 10, 20], values: [0.2, 0.4, 0.1, 0.05] });
    expect([s(0), s(5), s(10), s(20), s(1e9)]).toEqual([0.2, 0.2, 0.1, 0.05, 0.05]);
    expect(s(7.5)).toBe(0.2 + (0.4 - 0.2) * 0.5);
    expect(s(15)).toBe(0.1 + (0.05 - 0.1) * 0.5);
    expect(s(9.999)).toBeCloseTo(0.4, 3);
  });

  it('matches the worked example of its TSDoc (optax doc example)', () => {
    const s = piecewiseInterpolate({ boundaries: [0, 4, 8], values: [1, 0.1, 0.01] });
    expect(s(2)).toBeCloseTo(0.55, 15);
    expect(s(6)).toBeCloseTo(0.055, 15);
  });

  it.each([
    [
      'decreasing boundaries and a length mismatch',
      { boundaries: [0, 5, 3], values: [1, 2] },
      [
        'piecewiseInterpolate: boundaries must be sorted in non-decreasing order: boundaries[2] must be >= boundaries[1] (5); received 3.',
        'piecewiseInterpolate: values must have as many entries as boundaries (3); received 2.',
      ],
    ],
    [
      'an unknown interpolation',
      { boundaries: [0], values: [1], interpolation: 'cubic' },
      ['piecewiseInterpolate: interpolation must be one of "linear", "cosine"; received "cubic".'],
    ],
  ])('rejects %s', (_, options, messages) => {
    expectMessages(() => piecewiseInterpolate(options as never), messages);
  });

  it('round-trips through JSON', () => {
    expectRoundTrip(
      piecewiseInterpolate({ boundaries: [0, 4, 8], values: [1, 0.1, 0.01], interpolation: 'cosine' }),
      stepsUpTo(12),
    );
  });
});
