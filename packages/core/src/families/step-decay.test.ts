import { describe, expect, it } from 'vitest';
import { stepDecay } from './index';
import { expectClosedForm, expectMessages, expectRoundTrip, stepsUpTo } from './test-helpers.test-utils';

describe('stepDecay', () => {
  it('follows the closed form a · γ^⌊t / N⌋', () => {
    expectClosedForm(
      stepDecay({ initialValue: 0.1, intervalSteps: 3, decayFactor: 0.5 }),
      (t) => 0.1 * 0.5 ** Math.floor(t / 3),
      stepsUpTo(40),
    );
    expectClosedForm(
      stepDecay({ initialValue: 0.1, intervalSteps: 2.5, decayFactor: 0.9 }),
      (t) => 0.1 * 0.9 ** Math.floor(t / 2.5),
      stepsUpTo(40),
    );
  });

  it('decays exactly at multiples of the interval', () => {
    const s = stepDecay({ initialValue: 0.1, intervalSteps: 3, decayFactor: 0.5 });
    expect([s(0), s(2), s(2.99), s(3), s(5), s(6)]).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.025]);
    const zero = stepDecay({ initialValue: 0.1, intervalSteps: 3, decayFactor: 0 });
    expect([zero(0), zero(3), zero(1e9)]).toEqual([0.1, 0, 0]);
  });

  it('matches the worked example of its TSDoc', () => {
    expect(stepDecay({ initialValue: 0.1, intervalSteps: 3, decayFactor: 0.5 })(7)).toBe(0.025);
  });

  it.each([
    [
      'a growing factor and a zero interval',
      { initialValue: 0.1, intervalSteps: 0, decayFactor: 1.5 },
      [
        'stepDecay: intervalSteps must be a finite number > 0; received 0.',
        'stepDecay: decayFactor must be a finite number in [0, 1]; received 1.5.',
      ],
    ],
  ])('rejects %s', (_, options, messages) => {
    expectMessages(() => stepDecay(options as never), messages);
  });

  it('round-trips through JSON', () => {
    expectRoundTrip(stepDecay({ initialValue: 0.1, intervalSteps: 2.5, decayFactor: 0.9 }), stepsUpTo(30));
  });
});
