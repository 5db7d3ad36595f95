import { describe, expect, it } from 'vitest';
import { linear } from './index';
import { expectClosedForm, expectMessages, expectRoundTrip, stepsUpTo } from './test-helpers.test-utils';

/** Independent restatement: a + (b − a) · clip((t − B) / T, 0, 1). */
function closedForm(a: number, b: number, T: number, B: number) {
  return (t: number) => {
    const progress = Math.min(1, Math.max(0, (t - B) / T));
    return a + (b - a) * progress;
  };
}

describe('linear', () => {
  it('follows the closed form (decreasing, increasing, delayed)', () => {
    expectClosedForm(
      linear({ initialValue: 0.1, finalValue: 0.001, transitionSteps: 20 }),
      closedForm(0.1, 0.001, 20, 0),
      stepsUpTo(30),
    );
    expectClosedForm(
      linear({ initialValue: 0, finalValue: 0.5, transitionSteps: 8 }),
      closedForm(0, 0.5, 8, 0),
      stepsUpTo(12),
    );
    expectClosedForm(
      linear({ initialValue: 1, finalValue: 0.25, transitionSteps: 10, transitionBeginSteps: 5 }),
      closedForm(1, 0.25, 10, 5),
      stepsUpTo(20),
    );
  });

  it('holds exactly before, at and after the line', () => {
    const s = linear({ initialValue: 0.1, finalValue: 0.001, transitionSteps: 20, transitionBeginSteps: 5 });
    expect(s(0)).toBe(0.1);
    expect(s(5)).toBe(0.1);
    expect(s(25)).toBe(0.001);
    expect(s(1e12)).toBe(0.001);
    expect(s(15)).toBeCloseTo(0.0505, 15);
  });

  it('jumps at transitionBeginSteps when transitionSteps is 0', () => {
    const s = linear({ initialValue: 0.2, finalValue: 0.1, transitionSteps: 0, transitionBeginSteps: 3 });
    expect([s(0), s(2.9), s(3), s(3.1), s(9)]).toEqual([0.2, 0.2, 0.1, 0.1, 0.1]);
  });

  it('matches the worked example of its TSDoc', () => {
    expect(linear({ initialValue: 0.1, finalValue: 0.001, transitionSteps: 20 })(5)).toBeCloseTo(0.07525, 15);
  });

  it.each([
    [
      'negative values and durations',
      { initialValue: -0.1, finalValue: 0.1, transitionSteps: -1, transitionBeginSteps: -2 },
      [
        'linear: initialValue must be a finite number >= 0; received -0.1.',
        'linear: transitionSteps must be a finite number >= 0; received -1.',
        'linear: transitionBeginSteps must be a finite number >= 0; received -2.',
      ],
    ],
    [
      'missing options',
      {},
      [
        'linear: initialValue is required (a finite number >= 0); received undefined.',
        'linear: finalValue is required (a finite number >= 0); received undefined.',
        'linear: transitionSteps is required (a finite number >= 0); received undefined.',
      ],
    ],
    [
      'non-finite numbers',
      { initialValue: Number.NaN, finalValue: Number.POSITIVE_INFINITY, transitionSteps: 10 },
      [
        'linear: initialValue must be a finite number >= 0; received NaN.',
        'linear: finalValue must be a finite number >= 0; received Infinity.',
      ],
    ],
  ])('rejects %s', (_, options, messages) => {
    expectMessages(() => linear(options as never), messages);
  });

  it('round-trips through JSON', () => {
    expectRoundTrip(
      linear({ initialValue: 0.1, finalValue: 0.001, transitionSteps: 20, transitionBeginSteps: 3 }),
      stepsUpTo(30),
    );
  });
});
