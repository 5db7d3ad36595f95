import { describe, expect, it } from 'vitest';
import { type WsdShape, warmupStableDecay } from './index';
import { expectClosedForm, expectMessages, expectRoundTrip, stepsUpTo } from './test-helpers.test-utils';

/** transformers' _get_wsd_scheduler_lambda restated on absolute values. */
function closedForm(
  P: number,
  T: number,
  D: number,
  w: number,
  a: number,
  b: number,
  up: WsdShape,
  down: WsdShape,
) {
  const stable = T - w - D;
  return (t: number) => {
    if (t < w) {
      const p = t / w;
      const f =
        up === 'linear' ? p : up === 'cosine' ? 0.5 * (1 - Math.cos(Math.PI * p)) : 1 - Math.sqrt(1 - p);
      return a + (P - a) * f;
    }
    if (t < w + stable) return P;
    if (t < T) {
      const p = (t - w - stable) / D;
      const f =
        down === 'linear' ? 1 - p : down === 'cosine' ? 0.5 * (1 + Math.cos(Math.PI * p)) : 1 - Math.sqrt(p);
      return b + (P - b) * f;
    }
    return b;
  };
}

describe('warmupStableDecay', () => {
  it('follows the closed form for every pair of shapes', () => {
    const shapes: WsdShape[] = ['linear', 'cosine', '1-sqrt'];
    for (const warmupShape of shapes) {
      for (const decayShape of shapes) {
        const s = warmupStableDecay({
          peakValue: 0.1,
          totalSteps: 40,
          warmupSteps: 8,
          decaySteps: 16,
          initialValue: 0.005,
          finalValue: 0.005,
          warmupShape,
          decayShape,
        });
        expectClosedForm(s, closedForm(0.1, 40, 16, 8, 0.005, 0.005, warmupShape, decayShape), stepsUpTo(45));
      }
    }
  });

  it('is exact at the peak, through the stable phase and at the floor', () => {
    const s = warmupStableDecay({
      peakValue: 0.1,
      totalSteps: 60,
      warmupSteps: 10,
      decaySteps: 20,
      finalValue: 0.01,
    });
    expect(s(0)).toBe(0);
    expect(s(10)).toBe(0.1);
    expect(s(39.5)).toBe(0.1);
    expect(s(40)).toBe(0.1);
    expect(s(60)).toBe(0.01);
    expect(s(1e9)).toBe(0.01);
    const noStable = warmupStableDecay({
      peakValue: 0.1,
      totalSteps: 10,
      decaySteps: 10,
      decayShape: 'linear',
    });
    expect(noStable(0)).toBe(0.1);
    expect(noStable(5)).toBeCloseTo(0.05, 15);
    expect(warmupStableDecay({ peakValue: 0.1, totalSteps: 10, decaySteps: 0 })(10)).toBe(0);
  });

  it('matches the worked example of its TSDoc', () => {
    const s = warmupStableDecay({
      peakValue: 0.1,
      totalSteps: 100,
      warmupSteps: 10,
      decaySteps: 20,
      decayShape: '1-sqrt',
    });
    expect(s(95)).toBeCloseTo(0.1 * (1 - Math.sqrt(0.75)), 15);
  });

  it.each([
    [
      'warm-up and decay longer than the run, and a floor above the peak',
      { peakValue: 0.1, totalSteps: 100, warmupSteps: 60, decaySteps: 50, finalValue: 0.2 },
      [
        'warmupStableDecay: warmupSteps + decaySteps must not exceed totalSteps (100); received 110.',
        'warmupStableDecay: finalValue must not exceed peakValue (0.1); received 0.2.',
      ],
    ],
    [
      'an unknown shape',
      { peakValue: 0.1, totalSteps: 100, decaySteps: 10, decayShape: 'sqrt' },
      ['warmupStableDecay: decayShape must be one of "linear", "cosine", "1-sqrt"; received "sqrt".'],
    ],
  ])('rejects %s', (_, options, messages) => {
    expectMessages(() => warmupStableDecay(options as never), messages);
  });

  it('round-trips through JSON', () => {
    expectRoundTrip(
      warmupStableDecay({
        peakValue: 0.1,
        totalSteps: 40,
        warmupSteps: 8,
        decaySteps: 16,
        warmupShape: 'cosine',
        decayShape: '1-sqrt',
      }),
      stepsUpTo(45),
    );
  });
});
