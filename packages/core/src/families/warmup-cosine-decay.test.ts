import { describe, expect, it } from 'vitest';
import { fromConfig } from '../config';
import { warmupCosineDecay } from './index';
import {
  expectClosedForm,
  expectMessages,
  expectRoundTrip,
  issuesOf,
  stepsUpTo,
} from './test-helpers.test-utils';

/** The issue's definition restated. */
function closedForm(P: number, T: number, w: number, h: number, a: number, b: number) {
  return (t: number) => {
    if (t < w) return a + ((P - a) * t) / w;
    if (t < w + h) return P;
    if (t >= T) return b;
    return b + ((P - b) * (1 + Math.cos((Math.PI * (t - w - h)) / (T - w - h)))) / 2;
  };
}

describe('warmupCosineDecay', () => {
  it('follows the closed form', () => {
    const cases = [
      { peakValue: 1, totalSteps: 100, warmupSteps: 10, holdSteps: 10, finalValue: 0.1 },
      { peakValue: 1e-3, totalSteps: 1000, warmupSteps: 100 },
      { peakValue: 0.1, totalSteps: 50, initialValue: 0.02 },
      { peakValue: 0.1, totalSteps: 40, warmupSteps: 5, holdSteps: 35, initialValue: 0.05 },
    ];
    for (const o of cases) {
      expectClosedForm(
        warmupCosineDecay(o),
        closedForm(
          o.peakValue,
          o.totalSteps,
          o.warmupSteps ?? 0,
          o.holdSteps ?? 0,
          o.initialValue ?? 0,
          o.finalValue ?? 0,
        ),
        stepsUpTo(o.totalSteps + 10),
      );
    }
  });

  it('reaches the peak exactly at warmupSteps and the floor exactly at totalSteps', () => {
    const s = warmupCosineDecay({
      peakValue: 0.3,
      totalSteps: 100,
      warmupSteps: 7,
      holdSteps: 3,
      initialValue: 0.01,
      finalValue: 0.1,
    });
    expect(s(0)).toBe(0.01);
    expect(s(7)).toBe(0.3);
    expect(s(9.99)).toBe(0.3);
    expect(s(10)).toBe(0.3);
    expect(s(100)).toBe(0.1);
    expect(s(1e12)).toBe(0.1);
  });

  it('matches the worked example of its TSDoc', () => {
    const s = warmupCosineDecay({ peakValue: 1e-3, totalSteps: 1000, warmupSteps: 100 });
    expect(s(50)).toBeCloseTo(5e-4, 18);
    expect(s(100)).toBe(1e-3);
    expect(s(550)).toBeCloseTo(5e-4, 18);
    expect(s(1000)).toBe(0);
  });

  it.each([
    [
      'warm-up + hold longer than the run and a floor above the peak',
      { peakValue: 0.1, totalSteps: 1000, warmupSteps: 800, holdSteps: 400, finalValue: 0.2 },
      [
        'warmupCosineDecay: warmupSteps + holdSteps must not exceed totalSteps (1000); received 1200.',
        'warmupCosineDecay: finalValue must not exceed peakValue (0.1); received 0.2.',
      ],
    ],
    [
      'a negative peak and a zero run',
      { peakValue: -1, totalSteps: 0 },
      [
        'warmupCosineDecay: peakValue must be a finite number >= 0; received -1.',
        'warmupCosineDecay: totalSteps must be a finite number > 0; received 0.',
      ],
    ],
  ])('rejects %s', (_, options, messages) => {
    expectMessages(() => warmupCosineDecay(options as never), messages);
  });

  it('reports unknown keys of a JSON config with their paths', () => {
    const issues = issuesOf(() =>
      fromConfig({ type: 'warmupCosineDecay', peakValue: Number.NaN, totalSteps: 0, bogus: 1 }),
    );
    expect(issues.map((issue) => issue.path)).toEqual(['bogus', 'peakValue', 'totalSteps']);
    expect(issues[1]?.message).toBe(
      'warmupCosineDecay: peakValue must be a finite number >= 0; received NaN.',
    );
  });

  it('round-trips through JSON', () => {
    expectRoundTrip(
      warmupCosineDecay({
        peakValue: 1,
        totalSteps: 100,
        warmupSteps: 10,
        holdSteps: 5,
        initialValue: 0.1,
        finalValue: 0.01,
      }),
      stepsUpTo(120),
    );
  });
});

describe('warmupCosineDecay at the top of the double range', () => {
  it('a peak of Number.MAX_VALUE is reached, not rounded past to Infinity', () => {
    // finalValue + (peakValue − finalValue) rounded half an ulp past Number.MAX_VALUE: Infinity at step 0.
    const s = warmupCosineDecay({
      peakValue: Number.MAX_VALUE,
      totalSteps: 5e-324,
      finalValue: 5.005544691764651e306,
    });
    expect(s(0)).toBeLessThanOrEqual(Number.MAX_VALUE);
    expect(s(0)).toBeGreaterThan(Number.MAX_VALUE * (1 - 1e-15));
    const slower = warmupCosineDecay({
      peakValue: Number.MAX_VALUE,
      totalSteps: 100,
      finalValue: 5.005544691764651e306,
    });
    for (const step of [0, 1e-300, 1, 50, 100]) expect(Number.isFinite(slower(step))).toBe(true);
  });
});
