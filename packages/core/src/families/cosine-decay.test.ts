import { describe, expect, it } from 'vitest';
import { cosineDecay } from './index';
import { expectClosedForm, expectMessages, expectRoundTrip, stepsUpTo } from './test-helpers.test-utils';

/** optax cosine_decay_schedule restated: a · ((1 − α) · c^e + α), c = (1 + cos(π min(t, D) / D)) / 2, α = b / a. */
function closedForm(a: number, D: number, b: number, e: number) {
  return (t: number) => {
    const c = 0.5 * (1 + Math.cos((Math.PI * Math.min(t, D)) / D));
    return b + (a - b) * c ** e;
  };
}

describe('cosineDecay', () => {
  it('follows the closed form, with and without an exponent', () => {
    expectClosedForm(
      cosineDecay({ initialValue: 0.1, decaySteps: 50 }),
      closedForm(0.1, 50, 0, 1),
      stepsUpTo(50).filter((t) => t < 50),
    );
    expectClosedForm(
      cosineDecay({ initialValue: 0.1, decaySteps: 50, finalValue: 0.01, exponent: 2 }),
      closedForm(0.1, 50, 0.01, 2),
      stepsUpTo(70),
    );
    expectClosedForm(
      cosineDecay({ initialValue: 1, decaySteps: 7, finalValue: 0.5, exponent: 0.5 }),
      closedForm(1, 7, 0.5, 0.5),
      stepsUpTo(10),
    );
  });

  it('starts exactly at initialValue and reaches the floor exactly at decaySteps', () => {
    const s = cosineDecay({ initialValue: 0.1, decaySteps: 50, finalValue: 0.01 });
    expect(s(0)).toBe(0.1);
    expect(s(50)).toBe(0.01);
    expect(s(1e12)).toBe(0.01);
  });

  it('follows the whole cosine wave with periodic, as PyTorch CosineAnnealingLR', () => {
    const torchForm = (t: number) => 0.01 + ((0.05 - 0.01) * (1 + Math.cos((Math.PI * t) / 7))) / 2;
    expectClosedForm(
      cosineDecay({ initialValue: 0.05, decaySteps: 7, finalValue: 0.01, periodic: true }),
      torchForm,
      stepsUpTo(40),
    );
    const s = cosineDecay({ initialValue: 0.1, decaySteps: 50, finalValue: 0.01, periodic: true });
    expect([s(0), s(50), s(100), s(150)]).toEqual([0.1, 0.01, 0.1, 0.01]);
    expect(s(75)).toBeCloseTo(0.055, 15);
  });

  it('matches the worked example of its TSDoc', () => {
    expect(cosineDecay({ initialValue: 0.1, decaySteps: 50, finalValue: 0.01 })(25)).toBeCloseTo(0.055, 15);
  });

  it.each([
    [
      'a floor above the start',
      { initialValue: 0.1, decaySteps: 50, finalValue: 0.2 },
      ['cosineDecay: finalValue must not exceed initialValue (0.1); received 0.2.'],
    ],
    [
      'a zero exponent and a negative duration',
      { initialValue: 0.1, decaySteps: -50, exponent: 0 },
      [
        'cosineDecay: decaySteps must be a finite number > 0; received -50.',
        'cosineDecay: exponent must be a finite number > 0; received 0.',
      ],
    ],
  ])('rejects %s', (_, options, messages) => {
    expectMessages(() => cosineDecay(options as never), messages);
  });

  it('round-trips through JSON', () => {
    expectRoundTrip(
      cosineDecay({ initialValue: 0.1, decaySteps: 50, finalValue: 0.01, exponent: 1.5 }),
      stepsUpTo(60),
    );
  });
});
