import { describe, expect, it } from 'vitest';
import { inverseSqrt } from './index';
import { expectClosedForm, expectMessages, expectRoundTrip, stepsUpTo } from './test-helpers.test-utils';

/** transformers' lambda restated: t/w during the warm-up, then 1/√((t + τ − w)/τ). */
function closedForm(P: number, w: number, tau: number, a: number) {
  return (t: number) => (t < w ? a + ((P - a) * t) / w : P / Math.sqrt((t + (tau - w)) / tau));
}

describe('inverseSqrt', () => {
  it('follows the closed form', () => {
    expectClosedForm(
      inverseSqrt({ peakValue: 0.1, warmupSteps: 10 }),
      closedForm(0.1, 10, 10, 0),
      stepsUpTo(60),
    );
    expectClosedForm(
      inverseSqrt({ peakValue: 0.1, warmupSteps: 5, timescaleSteps: 20 }),
      closedForm(0.1, 5, 20, 0),
      stepsUpTo(60),
    );
    expectClosedForm(
      inverseSqrt({ peakValue: 0.2, timescaleSteps: 3, initialValue: 0.05 }),
      closedForm(0.2, 0, 3, 0.05),
      stepsUpTo(60),
    );
  });

  it('reaches the peak exactly at the end of the warm-up', () => {
    expect(inverseSqrt({ peakValue: 0.1, warmupSteps: 3, timescaleSteps: 0.1 })(3)).toBe(0.1);
    expect(inverseSqrt({ peakValue: 0.1, warmupSteps: 10 })(0)).toBe(0);
  });

  it('is constant during a flat warm-up, then 1/√t (the rsqrt rule)', () => {
    const s = inverseSqrt({ peakValue: 0.01, warmupSteps: 100, initialValue: 0.01 });
    expect(s(0)).toBe(0.01);
    expect(s(50)).toBe(0.01);
    expect(s(400)).toBeCloseTo(0.005, 15);
  });

  it('matches the worked example of its TSDoc', () => {
    expect(inverseSqrt({ peakValue: 0.1, warmupSteps: 10 })(40)).toBeCloseTo(0.05, 15);
  });

  it.each([
    [
      'no time scale without a warm-up',
      { peakValue: 0.1 },
      [
        'inverseSqrt: timescaleSteps is required when warmupSteps is 0 (it defaults to warmupSteps); received undefined.',
      ],
    ],
    [
      'a zero time scale',
      { peakValue: 0.1, warmupSteps: 10, timescaleSteps: 0 },
      ['inverseSqrt: timescaleSteps must be a finite number > 0; received 0.'],
    ],
  ])('rejects %s', (_, options, messages) => {
    expectMessages(() => inverseSqrt(options as never), messages);
  });

  it('round-trips through JSON, with and without the default time scale', () => {
    expectRoundTrip(inverseSqrt({ peakValue: 0.1, warmupSteps: 10 }), stepsUpTo(40));
    expectRoundTrip(
      inverseSqrt({ peakValue: 0.1, warmupSteps: 5, timescaleSteps: 20, initialValue: 0.01 }),
      stepsUpTo(40),
    );
  });
});
