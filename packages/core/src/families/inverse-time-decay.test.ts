import { describe, expect, it } from 'vitest';
import { inverseTimeDecay } from './index';
import { expectClosedForm, expectMessages, expectRoundTrip, stepsUpTo } from './test-helpers.test-utils';

describe('inverseTimeDecay', () => {
  it('follows the closed form a / (1 + r · p)', () => {
    expectClosedForm(
      inverseTimeDecay({ initialValue: 0.1, decaySteps: 5, decayRate: 0.5 }),
      (t) => 0.1 / (1 + 0.5 * (t / 5)),
      stepsUpTo(50),
    );
    expectClosedForm(
      inverseTimeDecay({ initialValue: 0.3, decaySteps: 4, decayRate: 2, staircase: true }),
      (t) => 0.3 / (1 + 2 * Math.floor(t / 4)),
      stepsUpTo(50),
    );
  });

  it('starts exactly at initialValue and is constant with a zero rate', () => {
    expect(inverseTimeDecay({ initialValue: 0.1, decaySteps: 5, decayRate: 0.5 })(0)).toBe(0.1);
    expect(inverseTimeDecay({ initialValue: 0.1, decaySteps: 5, decayRate: 0 })(1e9)).toBe(0.1);
  });

  it('matches the worked example of its TSDoc', () => {
    expect(inverseTimeDecay({ initialValue: 0.1, decaySteps: 5, decayRate: 0.5 })(10)).toBe(0.05);
  });

  it.each([
    [
      'a negative rate and zero decay steps',
      { initialValue: 0.1, decaySteps: 0, decayRate: -1 },
      [
        'inverseTimeDecay: decaySteps must be a finite number > 0; received 0.',
        'inverseTimeDecay: decayRate must be a finite number >= 0; received -1.',
      ],
    ],
  ])('rejects %s', (_, options, messages) => {
    expectMessages(() => inverseTimeDecay(options as never), messages);
  });

  it('round-trips through JSON', () => {
    expectRoundTrip(
      inverseTimeDecay({ initialValue: 0.1, decaySteps: 5, decayRate: 0.5, staircase: true }),
      stepsUpTo(30),
    );
  });
});
