import { describe, expect, it } from 'vitest';
import { polynomial } from './index';
import { expectClosedForm, expectMessages, expectRoundTrip, stepsUpTo } from './test-helpers.test-utils';

/** Independent restatement of Keras PolynomialDecay (with optax's transition_begin). */
function closedForm(a: number, b: number, D: number, p: number, cycle: boolean, B: number) {
  return (t: number) => {
    let s = Math.max(0, t - B);
    let span = D;
    if (cycle) span = D * Math.max(1, Math.ceil(s / D));
    else s = Math.min(s, D);
    return (a - b) * (1 - s / span) ** p + b;
  };
}

describe('polynomial', () => {
  it('follows the closed form', () => {
    for (const [power, cycle, begin] of [
      [1, false, 0],
      [2, false, 5],
      [0.5, false, 0],
      [2, true, 0],
      [0.5, true, 3],
    ] as const) {
      const s = polynomial({
        initialValue: 1,
        finalValue: 0.01,
        decaySteps: 16,
        power,
        cycle,
        transitionBeginSteps: begin,
      });
      expectClosedForm(s, closedForm(1, 0.01, 16, power, cycle, begin), stepsUpTo(60));
    }
  });

  it('reaches finalValue exactly and stays there without cycle', () => {
    const s = polynomial({ initialValue: 0.05, decaySteps: 16, power: 0.5 });
    expect(s(0)).toBe(0.05);
    expect(s(16)).toBe(0);
    expect(s(1e9)).toBe(0);
  });

  it('jumps back up after each span with cycle, as Keras', () => {
    const s = polynomial({ initialValue: 1, decaySteps: 10, power: 2, cycle: true });
    expect(s(10)).toBe(0);
    expect(s(11)).toBeCloseTo((1 - 11 / 20) ** 2, 15);
    expect(s(20)).toBe(0);
    expect(s(21)).toBeCloseTo((1 - 21 / 30) ** 2, 15);
  });

  it('matches the worked example of its TSDoc', () => {
    expect(polynomial({ initialValue: 1, finalValue: 0.01, decaySteps: 100, power: 2 })(50)).toBeCloseTo(
      0.2575,
      15,
    );
  });

  it.each([
    [
      'a zero decay and a non-positive power',
      { initialValue: 1, decaySteps: 0, power: 0 },
      [
        'polynomial: decaySteps must be a finite number > 0; received 0.',
        'polynomial: power must be a finite number > 0; received 0.',
      ],
    ],
    [
      'a non-boolean cycle',
      { initialValue: 1, decaySteps: 10, cycle: 'yes' },
      ['polynomial: cycle must be a boolean; received "yes".'],
    ],
  ])('rejects %s', (_, options, messages) => {
    expectMessages(() => polynomial(options as never), messages);
  });

  it('round-trips through JSON', () => {
    expectRoundTrip(
      polynomial({ initialValue: 1, finalValue: 0.01, decaySteps: 16, power: 0.5, cycle: true }),
      stepsUpTo(60),
    );
  });
});
