import { describe, expect, it } from 'vitest';
import { oneCycle } from './index';
import { expectClosedForm, expectMessages, expectRoundTrip, stepsUpTo } from './test-helpers.test-utils';

/** PyTorch OneCycleLR's phase walk restated, with the peak at q·T and the minimum at T. */
function closedForm(
  M: number,
  T: number,
  q: number,
  div: number,
  finalDiv: number,
  three: boolean,
  cosine: boolean,
) {
  const a0 = M / div;
  const aMin = a0 / finalDiv;
  const W = q * T;
  const phases = three
    ? [
        { end: W, from: a0, to: M },
        { end: 2 * W, from: M, to: a0 },
        { end: T, from: a0, to: aMin },
      ]
    : [
        { end: W, from: a0, to: M },
        { end: T, from: M, to: aMin },
      ];
  const anneal = (from: number, to: number, pct: number) =>
    cosine ? to + ((from - to) / 2) * (Math.cos(Math.PI * pct) + 1) : (to - from) * pct + from;
  return (t: number) => {
    if (t >= T) return aMin;
    let start = 0;
    for (const phase of phases) {
      if (phase.end > start && t <= phase.end)
        return anneal(phase.from, phase.to, (t - start) / (phase.end - start));
      start = phase.end;
    }
    return aMin;
  };
}

describe('oneCycle', () => {
  it('follows the closed form (two and three phases, cosine and linear)', () => {
    for (const threePhase of [false, true]) {
      for (const annealShape of ['cosine', 'linear'] as const) {
        const s = oneCycle({
          maxValue: 0.5,
          totalSteps: 50,
          warmupFraction: 0.25,
          initialDivFactor: 10,
          finalDivFactor: 100,
          threePhase,
          annealShape,
        });
        expectClosedForm(
          s,
          closedForm(0.5, 50, 0.25, 10, 100, threePhase, annealShape === 'cosine'),
          stepsUpTo(55),
        );
      }
    }
    expectClosedForm(
      oneCycle({ maxValue: 0.1, totalSteps: 30 }),
      closedForm(0.1, 30, 0.3, 25, 1e4, false, true),
      stepsUpTo(35),
    );
  });

  it('is exact at the start, the peak and the end', () => {
    for (const annealShape of ['cosine', 'linear'] as const) {
      const s = oneCycle({ maxValue: 0.1, totalSteps: 30, annealShape });
      expect(s(0)).toBe(0.1 / 25);
      expect(s(9)).toBe(0.1);
      expect(s(30)).toBe(0.1 / 25 / 1e4);
      expect(s(1e9)).toBe(0.1 / 25 / 1e4);
    }
    const three = oneCycle({ maxValue: 0.1, totalSteps: 40, threePhase: true });
    expect([three(12), three(24)]).toEqual([0.1, 0.1 / 25]);
    const noWarmup = oneCycle({ maxValue: 0.1, totalSteps: 10, warmupFraction: 0 });
    expect(noWarmup(0)).toBe(0.1);
  });

  it('matches the worked example of its TSDoc', () => {
    expect(oneCycle({ maxValue: 0.1, totalSteps: 100 })(15)).toBeCloseTo(0.052, 15);
  });

  it.each([
    [
      'a three-phase warm-up over half the run and division factors below 1',
      {
        maxValue: 0.1,
        totalSteps: 100,
        warmupFraction: 0.6,
        threePhase: true,
        initialDivFactor: 0.5,
        finalDivFactor: 0,
      },
      [
        'oneCycle: initialDivFactor must be a finite number >= 1; received 0.5.',
        'oneCycle: finalDivFactor must be a finite number >= 1; received 0.',
      ],
    ],
    [
      'a three-phase warm-up over half the run',
      { maxValue: 0.1, totalSteps: 100, warmupFraction: 0.6, threePhase: true },
      [
        'oneCycle: warmupFraction must not exceed 0.5 when threePhase is true (the rise and the mirrored fall share the run); received 0.6.',
      ],
    ],
    [
      'a fraction above 1 and an unknown shape',
      { maxValue: 0.1, totalSteps: 100, warmupFraction: 1.5, annealShape: 'cos' },
      [
        'oneCycle: warmupFraction must be a finite number in [0, 1]; received 1.5.',
        'oneCycle: annealShape must be one of "cosine", "linear"; received "cos".',
      ],
    ],
  ])('rejects %s', (_, options, messages) => {
    expectMessages(() => oneCycle(options as never), messages);
  });

  it('round-trips through JSON', () => {
    expectRoundTrip(
      oneCycle({
        maxValue: 0.5,
        totalSteps: 50,
        warmupFraction: 0.25,
        threePhase: true,
        annealShape: 'linear',
      }),
      stepsUpTo(55),
    );
  });
});
