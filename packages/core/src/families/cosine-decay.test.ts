import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cosineDecay } from './index';
import {
  expectClose,
  expectClosedForm,
  expectMessages,
  expectRoundTrip,
  stepsUpTo,
} from './test-helpers.test-utils';

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

  it('computes the periodic angle as π · t / D, bit for bit the value PyTorch and transformers compute', () => {
    // torch CosineAnnealingLR (closed form) and transformers' cosine lambda, restated in their order.
    const library = (t: number) => 0.001 + ((0.1 - 0.001) * (1 + Math.cos((Math.PI * t) / 13))) / 2;
    const s = cosineDecay({ initialValue: 0.1, decaySteps: 13, finalValue: 0.001, periodic: true });
    for (const t of stepsUpTo(200)) expect(s(t)).toBe(library(t));
  });

  it('reduces the step modulo 2 · decaySteps far out, so the wave keeps its shape at any step', () => {
    const s = cosineDecay({ initialValue: 0.1, decaySteps: 8, finalValue: 0.01, periodic: true });
    // 2^49 + 3 is exact and 2^49 is a multiple of the period 16: the same phase as step 3.
    expect(s(2 ** 49 + 3)).toBe(s(3));
    expect(s(2 ** 49 + 8)).toBe(0.01);
    for (const t of [1e300, Number.MAX_VALUE]) {
      const v = s(t);
      expect(v).toBeGreaterThanOrEqual(0.01);
      expect(v).toBeLessThanOrEqual(0.1);
    }
    // D near Number.MAX_VALUE: 2D overflows and π · t would too; the angle is still finite.
    const huge = cosineDecay({ initialValue: 1, decaySteps: Number.MAX_VALUE / 2, periodic: true });
    expectClose(huge(Number.MAX_VALUE), 0.5 * (1 + Math.cos(2 * Math.PI)));
  });

  it('stays finite and within [finalValue, initialValue] in the periodic form, down to subnormal lengths', () => {
    // b + (a − b) · w rounds twice, so it may land an ulp past a; arithmetic on subnormal learning
    // rates rounds to multiples of Number.MIN_VALUE.
    const slack = (hi: number) => 1e-12 * hi + 4 * Number.MIN_VALUE;
    const value = fc.double({ min: 0, max: 10, noNaN: true });
    fc.assert(
      fc.property(
        value,
        value,
        fc.double({ min: Number.MIN_VALUE, max: 1e6, noNaN: true }),
        fc.oneof(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 1000 })),
        (a, b, decaySteps, t) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          const v = cosineDecay({ initialValue: hi, finalValue: lo, decaySteps, periodic: true })(t);
          return Number.isFinite(v) && v >= lo - slack(hi) && v <= hi + slack(hi);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('round-trips through JSON in the periodic form', () => {
    expectRoundTrip(
      cosineDecay({ initialValue: 0.1, decaySteps: 7, finalValue: 0.01, periodic: true }),
      stepsUpTo(40),
    );
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
