import { describe, expect, it } from 'vitest';
import { exponentialDecay } from './index';
import { expectClosedForm, expectMessages, expectRoundTrip, stepsUpTo } from './test-helpers.test-utils';

/** Independent restatement of optax exponential_decay. */
function closedForm(a: number, D: number, gamma: number, staircase: boolean, B: number, end?: number) {
  return (t: number) => {
    const s = Math.max(0, t - B);
    const p = staircase ? Math.floor(s / D) : s / D;
    const v = a * gamma ** p;
    if (end === undefined || gamma === 1) return v;
    return gamma < 1 ? Math.max(v, end) : Math.min(v, end);
  };
}

describe('exponentialDecay', () => {
  it('follows the closed form (continuous, staircase, delayed, bounded, growing)', () => {
    const cases = [
      { initialValue: 0.1, decaySteps: 10, decayFactor: 0.5 },
      { initialValue: 1, decaySteps: 7, decayFactor: 0.96, staircase: true },
      { initialValue: 0.1, decaySteps: 5, decayFactor: 0.5, endValue: 0.01 },
      { initialValue: 0.1, decaySteps: 5, decayFactor: 0.8, transitionBeginSteps: 3, endValue: 0.02 },
      { initialValue: 0.001, decaySteps: 4, decayFactor: 1.5, endValue: 0.1 },
      { initialValue: 0.3, decaySteps: 4, decayFactor: 1, endValue: 0.5 },
    ];
    for (const o of cases) {
      expectClosedForm(
        exponentialDecay(o),
        closedForm(
          o.initialValue,
          o.decaySteps,
          o.decayFactor,
          o.staircase ?? false,
          o.transitionBeginSteps ?? 0,
          o.endValue,
        ),
        stepsUpTo(80),
      );
    }
  });

  it('holds the bound exactly and never overflows when growing', () => {
    const growing = exponentialDecay({ initialValue: 0.001, decaySteps: 1, decayFactor: 10, endValue: 1 });
    expect(growing(3)).toBeCloseTo(1, 15);
    expect(growing(4)).toBe(1);
    expect(growing(1e6)).toBe(1);
    expect(exponentialDecay({ initialValue: 0, decaySteps: 1, decayFactor: 10, endValue: 1 })(1e6)).toBe(0);
    const bounded = exponentialDecay({ initialValue: 0.1, decaySteps: 5, decayFactor: 0.5, endValue: 0.01 });
    expect(bounded(1e9)).toBe(0.01);
    expect(exponentialDecay({ initialValue: 0.1, decaySteps: 5, decayFactor: 0.5 })(1e9)).toBe(0);
  });

  it('matches the worked example of its TSDoc', () => {
    expect(exponentialDecay({ initialValue: 0.1, decaySteps: 10, decayFactor: 0.5 })(15)).toBeCloseTo(
      0.1 * 0.5 ** 1.5,
      15,
    );
    expect(
      exponentialDecay({ initialValue: 0.1, decaySteps: 10, decayFactor: 0.5, staircase: true })(15),
    ).toBe(0.05);
  });

  it.each([
    [
      'a growing schedule without endValue',
      { initialValue: 0.1, decaySteps: 10, decayFactor: 1.1 },
      [
        'exponentialDecay: endValue is required when decayFactor > 1 (a growing schedule would overflow); decayFactor is 1.1; received undefined.',
      ],
    ],
    [
      'a ceiling below the start when growing',
      { initialValue: 0.1, decaySteps: 10, decayFactor: 1.1, endValue: 0.05 },
      ['exponentialDecay: endValue must be at least initialValue when decayFactor > 1 (0.1); received 0.05.'],
    ],
    [
      'a floor above the start when decaying',
      { initialValue: 0.1, decaySteps: 10, decayFactor: 0.5, endValue: 0.2 },
      ['exponentialDecay: endValue must not exceed initialValue when decayFactor < 1 (0.1); received 0.2.'],
    ],
    [
      'a zero factor and zero decay steps',
      { initialValue: 0.1, decaySteps: 0, decayFactor: 0 },
      [
        'exponentialDecay: decaySteps must be a finite number > 0; received 0.',
        'exponentialDecay: decayFactor must be a finite number > 0; received 0.',
      ],
    ],
  ])('rejects %s', (_, options, messages) => {
    expectMessages(() => exponentialDecay(options as never), messages);
  });

  it('round-trips through JSON', () => {
    expectRoundTrip(
      exponentialDecay({
        initialValue: 0.1,
        decaySteps: 5,
        decayFactor: 0.8,
        transitionBeginSteps: 3,
        endValue: 0.02,
        staircase: true,
      }),
      stepsUpTo(60),
    );
  });
});
