import { describe, expect, it } from 'vitest';
import { custom, fromConfig, scale } from '../index';
import { supremumOf } from './supremum';

describe('supremumOf', () => {
  it('reads the largest value a native config can take, nested composites included', () => {
    expect(supremumOf(fromConfig({ type: 'constant', value: 0.1 }))).toBe(0.1);
    expect(
      supremumOf(
        fromConfig({
          type: 'exponentialDecay',
          initialValue: 1,
          decaySteps: 1,
          decayFactor: 2,
          endValue: 8,
        }),
      ),
    ).toBe(8);
    expect(
      supremumOf(
        fromConfig({
          type: 'clamp',
          maxValue: 0.5,
          schedule: { type: 'scale', factor: 3, schedule: { type: 'constant', value: 1 } },
        }),
      ),
    ).toBe(0.5);
    // A growing peak: the peak of the last cycle, 0.1 · 2^9 (with the 1e-12 rounding allowance).
    const cycles = fromConfig({
      type: 'cycleRestarts',
      peakValue: 0.1,
      firstCycleSteps: 10,
      peakDecayFactor: 2,
      cycleLimit: 10,
    });
    expect(supremumOf(cycles)).toBe(0.1 * 2 ** 9 * (1 + 1e-12));
    expect(cycles(90)).toBe(0.1 * 2 ** 9);
  });

  it('is unknown for a custom function, and for a composite that holds one', () => {
    expect(supremumOf(custom(() => 1))).toBeUndefined();
    expect(supremumOf(scale({ schedule: custom(() => 1), factor: 2 }))).toBeUndefined();
  });
});
