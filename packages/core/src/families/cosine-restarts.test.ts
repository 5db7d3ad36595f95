import { describe, expect, it } from 'vitest';
import { cosineRestarts } from './index';
import {
  expectClose,
  expectClosedForm,
  expectMessages,
  expectRoundTrip,
  stepsUpTo,
} from './test-helpers.test-utils';

/** SGDR restated by walking the cycles one by one (independent of the closed-form index). */
function closedForm(
  P: number,
  L: number,
  f: number,
  m: number,
  b: number,
  w: number,
  limit = Number.POSITIVE_INFINITY,
) {
  return (t: number) => {
    let start = 0;
    let length = L;
    let i = 0;
    while (t >= start + length) {
      start += length;
      length *= f;
      i += 1;
    }
    if (i >= limit) return b;
    const s = t - start;
    const height = (P - b) * m ** i;
    if (s < w) return b + (height * s) / w;
    return b + (height * (1 + Math.cos((Math.PI * (s - w)) / (length - w)))) / 2;
  };
}

describe('cosineRestarts', () => {
  it('follows the closed form for integer and real cycle factors', () => {
    const cases = [
      { peakValue: 0.1, firstCycleSteps: 10 },
      { peakValue: 0.1, firstCycleSteps: 10, cycleLengthFactor: 2, peakDecayFactor: 0.5, finalValue: 0.001 },
      { peakValue: 0.1, firstCycleSteps: 8, cycleLengthFactor: 1.5, peakDecayFactor: 0.8, finalValue: 0.001 },
      { peakValue: 0.1, firstCycleSteps: 3, cycleLengthFactor: 3 },
      {
        peakValue: 0.1,
        firstCycleSteps: 8,
        cycleLengthFactor: 1.5,
        warmupSteps: 3,
        cycleLimit: 3,
        finalValue: 1e-4,
      },
    ];
    for (const o of cases) {
      const expected = closedForm(
        o.peakValue,
        o.firstCycleSteps,
        o.cycleLengthFactor ?? 1,
        o.peakDecayFactor ?? 1,
        o.finalValue ?? 0,
        o.warmupSteps ?? 0,
        o.cycleLimit,
      );
      expectClosedForm(cosineRestarts(o), expected, stepsUpTo(150));
      // Evaluated backwards too: the cycle memo must not change any value.
      const fresh = cosineRestarts(o);
      for (let t = 150; t >= 0; t -= 0.75) expectClose(fresh(t), expected(t), `step ${t}:`);
    }
  });

  it('restarts exactly at the peak on each cycle start', () => {
    const s = cosineRestarts({
      peakValue: 0.1,
      firstCycleSteps: 10,
      cycleLengthFactor: 2,
      peakDecayFactor: 0.5,
    });
    expect([s(0), s(10), s(30), s(70)]).toEqual([0.1, 0.05, 0.025, 0.0125]);
    const real = cosineRestarts({ peakValue: 0.1, firstCycleSteps: 8, cycleLengthFactor: 1.5 });
    expect([real(8), real(20), real(38)]).toEqual([0.1, 0.1, 0.1]);
    const torchLogTrap = cosineRestarts({ peakValue: 0.1, firstCycleSteps: 1, cycleLengthFactor: 3 });
    // Cycle starts at 0, 1, 4, 13, 40, 121: log(243)/log(3) rounds to 4.999…, corrected here.
    expect(torchLogTrap(121)).toBe(0.1);
  });

  it('starts each cycle at the floor when warming up, and stays at the floor after the limit', () => {
    const s = cosineRestarts({
      peakValue: 0.1,
      firstCycleSteps: 10,
      warmupSteps: 4,
      finalValue: 0.01,
      cycleLimit: 2,
    });
    expect([s(0), s(4), s(10), s(14)]).toEqual([0.01, 0.1, 0.01, 0.1]);
    expect(s(20)).toBe(0.01);
    expect(s(1e12)).toBe(0.01);
  });

  it('follows the closed form past the first 4096 cycles, where its table of cycle starts ends', () => {
    // f = 1.001: cycle 4096 starts near step 59,000, cycle 5000 near 147,000.
    const [P, L, f, m, b, w] = [0.1, 1, 1.001, 0.9999, 0.001, 0.25];
    const start = (i: number) => (i === 0 ? 0 : i === 1 ? L : (L * (f ** i - 1)) / (f - 1));
    const expected = (t: number) => {
      let i = 0;
      while (start(i + 1) <= t) i += 1;
      const s = t - start(i);
      const height = (P - b) * m ** i;
      if (s < w) return b + (height * s) / w;
      return b + (height * (1 + Math.cos((Math.PI * (s - w)) / (L * f ** i - w)))) / 2;
    };
    const schedule = cosineRestarts({
      peakValue: P,
      firstCycleSteps: L,
      cycleLengthFactor: f,
      peakDecayFactor: m,
      finalValue: b,
      warmupSteps: w,
    });
    for (const i of [4000, 4095, 4096, 4097, 4500, 5000]) {
      const cycleStart = start(i);
      for (const offset of [0, 0.1, 0.25, 0.5, 0.75]) {
        const t = cycleStart + offset * L * f ** i;
        expectClose(schedule(t), expected(t), `cycle ${i}, step ${t}:`);
      }
      // A restart lands exactly on the cycle's floor (warm-up start), on either side of the table's end.
      expect(schedule(cycleStart)).toBe(b);
    }
  });

  it('stays finite for astronomically large steps', () => {
    const s = cosineRestarts({
      peakValue: 0.1,
      firstCycleSteps: 1,
      cycleLengthFactor: 1e10,
      warmupSteps: 0.5,
    });
    for (const t of [1e100, 1e300, Number.MAX_VALUE]) {
      const value = s(t);
      expect(Number.isFinite(value) && value >= 0 && value <= 0.1).toBe(true);
    }
  });

  it('matches the worked example of its TSDoc', () => {
    expect(cosineRestarts({ peakValue: 0.1, firstCycleSteps: 10, cycleLengthFactor: 2 })(20)).toBeCloseTo(
      0.05,
      15,
    );
  });

  it.each([
    [
      'a cycle factor below 1, a peak decay above 1 and a fractional limit',
      { peakValue: 0.1, firstCycleSteps: 10, cycleLengthFactor: 0.5, peakDecayFactor: 2, cycleLimit: 1.5 },
      [
        'cosineRestarts: cycleLengthFactor must be a finite number >= 1; received 0.5.',
        'cosineRestarts: peakDecayFactor must be a finite number in [0, 1]; received 2.',
        'cosineRestarts: cycleLimit must be an integer >= 1; received 1.5.',
      ],
    ],
    [
      'a floor above the peak and a warm-up longer than the first cycle',
      { peakValue: 0.1, firstCycleSteps: 10, finalValue: 0.5, warmupSteps: 11 },
      [
        'cosineRestarts: finalValue must not exceed peakValue (0.1); received 0.5.',
        'cosineRestarts: warmupSteps must not exceed firstCycleSteps (10); received 11.',
      ],
    ],
  ])('rejects %s', (_, options, messages) => {
    expectMessages(() => cosineRestarts(options as never), messages);
  });

  it('round-trips through JSON', () => {
    expectRoundTrip(
      cosineRestarts({
        peakValue: 0.1,
        firstCycleSteps: 8,
        cycleLengthFactor: 1.5,
        peakDecayFactor: 0.8,
        finalValue: 0.001,
        cycleLimit: 4,
        warmupSteps: 2,
      }),
      stepsUpTo(120),
    );
  });
});
