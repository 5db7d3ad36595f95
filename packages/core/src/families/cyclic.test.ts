import { describe, expect, it } from 'vitest';
import { cyclic } from './index';
import { expectClosedForm, expectMessages, expectRoundTrip, stepsUpTo } from './test-helpers.test-utils';

/** PyTorch CyclicLR's get_lr restated (cycle counted from 1 there; scale exponent 0-based here). */
function closedForm(
  lo: number,
  hi: number,
  up: number,
  down: number,
  scale: (cycle: number, t: number) => number,
) {
  const total = up + down;
  const ratio = up / total;
  return (t: number) => {
    const cycle = Math.floor(1 + t / total);
    const x = 1 + t / total - cycle;
    const factor = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
    return lo + (hi - lo) * factor * scale(cycle - 1, t);
  };
}

describe('cyclic', () => {
  it('follows the closed form for every mode', () => {
    expectClosedForm(
      cyclic({ minValue: 0.001, maxValue: 0.006, stepUpSteps: 4 }),
      closedForm(0.001, 0.006, 4, 4, () => 1),
      stepsUpTo(40),
    );
    expectClosedForm(
      cyclic({ minValue: 0.001, maxValue: 0.006, stepUpSteps: 3, stepDownSteps: 5, mode: 'triangular2' }),
      closedForm(0.001, 0.006, 3, 5, (k) => 0.5 ** k),
      stepsUpTo(40),
    );
    expectClosedForm(
      cyclic({ minValue: 0.001, maxValue: 0.1, stepUpSteps: 5, mode: 'expRange', decayFactor: 0.9 }),
      closedForm(0.001, 0.1, 5, 5, (_, t) => 0.9 ** t),
      stepsUpTo(40),
    );
    expectClosedForm(
      cyclic({
        minValue: 0.001,
        maxValue: 0.1,
        stepUpSteps: 5,
        mode: 'expRange',
        decayFactor: 0.9,
        scaleMode: 'cycle',
      }),
      closedForm(0.001, 0.1, 5, 5, (k) => 0.9 ** k),
      stepsUpTo(40),
    );
  });

  it('hits the bottom and the top exactly and is periodic in triangular mode', () => {
    const s = cyclic({ minValue: 0.001, maxValue: 0.006, stepUpSteps: 4, stepDownSteps: 2 });
    expect([s(0), s(4), s(6), s(10), s(12)]).toEqual([0.001, 0.006, 0.001, 0.006, 0.001]);
    for (const t of stepsUpTo(30)) expect(s(t + 6)).toBeCloseTo(s(t), 15);
    const sawtooth = cyclic({ minValue: 0, maxValue: 1, stepUpSteps: 0, stepDownSteps: 4 });
    expect([sawtooth(0), sawtooth(2), sawtooth(4)]).toEqual([1, 0.5, 1]);
  });

  it('matches the worked example of its TSDoc', () => {
    expect(cyclic({ minValue: 0.001, maxValue: 0.006, stepUpSteps: 4 })(6)).toBeCloseTo(0.0035, 15);
  });

  it.each([
    [
      'min above max, no cycle length and a factor for the wrong mode',
      { minValue: 0.2, maxValue: 0.1, stepUpSteps: 0, stepDownSteps: 0, decayFactor: 0.5 },
      [
        'cyclic: minValue must not exceed maxValue (0.1); received 0.2.',
        'cyclic: stepUpSteps + stepDownSteps must be greater than 0 (a cycle needs a length); received 0.',
        'cyclic: decayFactor only applies to mode "expRange" (mode is "triangular"); received 0.5.',
      ],
    ],
    [
      'an unknown mode and a growing factor',
      { minValue: 0.1, maxValue: 0.2, stepUpSteps: 2, mode: 'exp_range', decayFactor: 1.1 },
      [
        'cyclic: mode must be one of "triangular", "triangular2", "expRange"; received "exp_range".',
        'cyclic: decayFactor must be a finite number in (0, 1]; received 1.1.',
      ],
    ],
  ])('rejects %s', (_, options, messages) => {
    expectMessages(() => cyclic(options as never), messages);
  });

  it('round-trips through JSON', () => {
    expectRoundTrip(
      cyclic({
        minValue: 0.001,
        maxValue: 0.1,
        stepUpSteps: 5,
        stepDownSteps: 3,
        mode: 'expRange',
        decayFactor: 0.9,
      }),
      stepsUpTo(40),
    );
  });
});

describe('cyclic with a cycle longer than the largest double', () => {
  it('is one rising and falling wave, never repeated (building it looped forever)', () => {
    const s = cyclic({ minValue: 0, maxValue: 1, stepUpSteps: 1e308, stepDownSteps: 1e308 });
    expect(s(0)).toBe(0);
    expect(s(5e307)).toBe(0.5);
    expect(s(1.5e308)).toBe(0.5);
    expect(s(2 ** 53)).toBe(2 ** 53 / 1e308);
  });

  it('a per-cycle amplitude decay stays at its first cycle', () => {
    const s = cyclic({
      minValue: 0,
      maxValue: 1,
      stepUpSteps: 8.98846567431158e307,
      mode: 'triangular2',
    });
    for (const t of [0, 1, 2 ** 53, 1e308]) expect(Number.isFinite(s(t))).toBe(true);
  });
});
