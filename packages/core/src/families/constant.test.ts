import { describe, expect, it } from 'vitest';
import { constant } from './index';
import { expectMessages, expectRoundTrip, stepsUpTo } from './test-helpers.test-utils';

describe('constant', () => {
  it('returns the value at every step, fractional and large ones included', () => {
    const s = constant({ value: 0.1 });
    for (const t of [0, 0.5, 1, 123, 1e9, 1e300]) expect(s(t)).toBe(0.1);
    expect(constant({ value: 0 })(7)).toBe(0);
  });

  it.each([
    ['a negative value', { value: -1 }, ['constant: value must be a finite number >= 0; received -1.']],
    ['NaN', { value: Number.NaN }, ['constant: value must be a finite number >= 0; received NaN.']],
    [
      'Infinity',
      { value: Number.POSITIVE_INFINITY },
      ['constant: value must be a finite number >= 0; received Infinity.'],
    ],
    ['a string', { value: '0.1' }, ['constant: value must be a finite number >= 0; received "0.1".']],
    ['a missing value', {}, ['constant: value is required (a finite number >= 0); received undefined.']],
    [
      'an unknown option',
      { value: 1, peakValue: 2 },
      ['constant: unknown option "peakValue" (expected one of value); received 2.'],
    ],
  ])('rejects %s', (_, options, messages) => {
    expectMessages(() => constant(options as never), messages);
  });

  it('round-trips through JSON', () => {
    expectRoundTrip(constant({ value: 3e-4 }), stepsUpTo(20));
  });
});
