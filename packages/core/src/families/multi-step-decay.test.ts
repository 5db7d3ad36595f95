import { describe, expect, it } from 'vitest';
import { multiStepDecay } from './index';
import { expectClosedForm, expectMessages, expectRoundTrip, stepsUpTo } from './test-helpers.test-utils';

describe('multiStepDecay', () => {
  it('follows the closed form a · γ^(milestones <= t)', () => {
    const milestones = [3, 7, 15];
    expectClosedForm(
      multiStepDecay({ initialValue: 0.1, milestones, decayFactor: 0.5 }),
      (t) => 0.1 * 0.5 ** milestones.filter((m) => m <= t).length,
      stepsUpTo(20),
    );
  });

  it('switches at the milestone itself and applies a repeated milestone twice', () => {
    const s = multiStepDecay({ initialValue: 1, milestones: [2, 2, 5], decayFactor: 0.1 });
    expect(s(1.999)).toBe(1);
    expect(s(2)).toBeCloseTo(0.01, 17);
    expect(s(5)).toBeCloseTo(0.001, 17);
    expect(multiStepDecay({ initialValue: 0.3, milestones: [], decayFactor: 0.1 })(1e9)).toBe(0.3);
  });

  it('matches the worked example of its TSDoc', () => {
    const s = multiStepDecay({ initialValue: 0.1, milestones: [3, 7], decayFactor: 0.5 });
    expect([s(2), s(3), s(6), s(7), s(100)]).toEqual([0.1, 0.05, 0.05, 0.025, 0.025]);
  });

  it.each([
    [
      'unsorted milestones',
      { initialValue: 0.1, milestones: [10, 2, 6, 4], decayFactor: 0.3 },
      [
        'multiStepDecay: milestones must be sorted in non-decreasing order: milestones[1] must be >= milestones[0] (10); received 2.',
        'multiStepDecay: milestones must be sorted in non-decreasing order: milestones[3] must be >= milestones[2] (6); received 4.',
      ],
    ],
    [
      'negative and non-finite milestones',
      { initialValue: 0.1, milestones: [-1, Number.NaN], decayFactor: 0.3 },
      [
        'multiStepDecay: milestones[0] must be a finite number >= 0; received -1.',
        'multiStepDecay: milestones[1] must be a finite number >= 0; received NaN.',
      ],
    ],
  ])('rejects %s', (_, options, messages) => {
    expectMessages(() => multiStepDecay(options as never), messages);
  });

  it('round-trips through JSON', () => {
    expectRoundTrip(
      multiStepDecay({ initialValue: 0.1, milestones: [3, 7, 7, 15], decayFactor: 0.5 }),
      stepsUpTo(20),
    );
  });
});
