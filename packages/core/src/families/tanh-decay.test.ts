import { describe, expect, it } from 'vitest';
import { tanhDecay } from './index';
import { expectClosedForm, expectMessages, expectRoundTrip, stepsUpTo } from './test-helpers.test-utils';

/** timm TanhLRScheduler's single-cycle formula restated. */
function closedForm(a: number, D: number, b: number, lb: number, ub: number) {
  return (t: number) => {
    if (t >= D) return b;
    const tr = t / D;
    return b + 0.5 * (a - b) * (1 - Math.tanh(lb * (1 - tr) + ub * tr));
  };
}

describe('tanhDecay', () => {
  it('follows the closed form', () => {
    expectClosedForm(
      tanhDecay({ initialValue: 0.1, decaySteps: 40, finalValue: 1e-5 }),
      closedForm(0.1, 40, 1e-5, -7, 3),
      stepsUpTo(50),
    );
    expectClosedForm(
      tanhDecay({ initialValue: 1, decaySteps: 10, lowerBound: -3, upperBound: 5 }),
      closedForm(1, 10, 0, -3, 5),
      stepsUpTo(12),
    );
  });

  it('steps to the floor at decaySteps', () => {
    const s = tanhDecay({ initialValue: 0.1, decaySteps: 40, finalValue: 0.001 });
    expect(s(39.999)).toBeGreaterThan(0.001);
    expect(s(40)).toBe(0.001);
    expect(s(1e9)).toBe(0.001);
  });

  it('matches the worked example of its TSDoc', () => {
    expect(tanhDecay({ initialValue: 0.1, decaySteps: 40 })(28)).toBeCloseTo(0.05, 15);
  });

  it.each([
    [
      'crossed bounds and a floor above the start',
      { initialValue: 0.1, decaySteps: 10, finalValue: 0.2, lowerBound: 3, upperBound: 3 },
      [
        'tanhDecay: finalValue must not exceed initialValue (0.1); received 0.2.',
        'tanhDecay: upperBound must be greater than lowerBound (3); received 3.',
      ],
    ],
    [
      'a non-finite bound',
      { initialValue: 0.1, decaySteps: 10, lowerBound: Number.NEGATIVE_INFINITY },
      ['tanhDecay: lowerBound must be a finite number; received -Infinity.'],
    ],
  ])('rejects %s', (_, options, messages) => {
    expectMessages(() => tanhDecay(options as never), messages);
  });

  it('round-trips through JSON', () => {
    expectRoundTrip(
      tanhDecay({ initialValue: 0.1, decaySteps: 40, finalValue: 1e-5, lowerBound: -6 }),
      stepsUpTo(45),
    );
  });
});
