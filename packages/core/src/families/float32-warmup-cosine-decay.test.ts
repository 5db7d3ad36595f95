import { describe, expect, it } from 'vitest';
import { fromConfig, ScheduleConfigError } from '../index';
import { float32WarmupCosineDecay } from './float32-warmup-cosine-decay';
import { libraryCosFloat32, numpyCosFloat32 } from './python-math';

const f = Math.fround;

describe('float32WarmupCosineDecay: finite float32 arithmetic', () => {
  it.each([
    [
      { peakValue: 1, totalSteps: 5e-324 },
      'float32WarmupCosineDecay: totalSteps − warmupSteps − holdSteps must be at least the smallest float32 (1.401298464324817e-45): the cosine divides by it in float32, where it would round to 0; received 5e-324.',
    ],
    [
      { peakValue: 1e39, totalSteps: 100 },
      'float32WarmupCosineDecay: peakValue must not exceed 2^127 (1.7014118346046923e+38), half the largest float32: above it the float32 warm-up can round to Infinity; received 1e+39.',
    ],
    [
      { peakValue: 1, totalSteps: 1e38 },
      "float32WarmupCosineDecay: totalSteps must not exceed 2^126 (8.507059173023462e+37): the cosine's angle π · (t − warmupSteps − holdSteps) is a float32, which overflows past 1.08e38; received 1e+38.",
    ],
    [
      { peakValue: 0, initialValue: 8.744431180288001e-44, warmupSteps: 0.19531250745058065, totalSteps: 19 },
      'float32WarmupCosineDecay: initialValue must not exceed peakValue (0) when warmupSteps > 0, as TensorFlow requires (learning_rate_base >= warmup_learning_rate): a falling float32 warm-up can round below 0; received 8.744431180288001e-44.',
    ],
    [
      { peakValue: 1, warmupSteps: 1e-45, totalSteps: 10 },
      "float32WarmupCosineDecay: (peakValue − initialValue) / warmupSteps must not exceed the largest float32 (3.4028234663852886e+38): the warm-up's slope is a float32, which would overflow to Infinity; received 1.0000000000000001e+45.",
    ],
  ])('rejects %o', (options, message) => {
    expect(() => float32WarmupCosineDecay(options)).toThrow(ScheduleConfigError);
    expect(() => float32WarmupCosineDecay(options)).toThrow(message);
  });

  it('lists every rule a config breaks, under the same sentence as TensorFlow where it has one', () => {
    let caught: unknown;
    try {
      fromConfig({
        type: 'float32WarmupCosineDecay',
        peakValue: 1e39,
        initialValue: 2e39,
        warmupSteps: 1e-45,
        totalSteps: 1e38,
      });
    } catch (error) {
      caught = error;
    }
    expect(ScheduleConfigError.isInstance(caught)).toBe(true);
    expect((caught as ScheduleConfigError).issues.map((issue) => issue.path)).toEqual([
      'peakValue',
      'totalSteps',
      'initialValue',
      'warmupSteps',
    ]);
  });

  it('keeps a falling initialValue when there is no warm-up (TensorFlow ignores it then)', () => {
    const s = float32WarmupCosineDecay({ peakValue: 0.1, initialValue: 1, totalSteps: 10 });
    expect(s(0)).toBe(f(0.1));
  });

  it('past the NumPy kernel range the cosine is the C library one: the value stays within [0, peakValue]', () => {
    // float32 steps near 1e15 are 2^27 apart while the cosine lasts 0.25 steps, so its angle is
    // π · (f(t) − w) / 0.25, far past 71476.0625 (the old reduction gave 669275.875 here).
    const warmupSteps = 1e15 + 3e7;
    const s = float32WarmupCosineDecay({ peakValue: 1, warmupSteps, totalSteps: warmupSteps + 0.25 });
    const angle = f(f(f(Math.PI) * f(f(f(warmupSteps + 0.125) - warmupSteps) - 0)) / f(0.25));
    expect(Math.abs(angle)).toBeGreaterThan(71476.0625);
    const value = s(warmupSteps + 0.125);
    expect(value).toBe(f(f(0.5) * f(1 + f(Math.cos(angle)))));
    expect(value >= 0 && value <= 1).toBe(true);
  });
});

describe('libraryCosFloat32', () => {
  it('is the float32 of the C library cosine, within [−1, 1] where the kernel falls apart', () => {
    expect(numpyCosFloat32(1e9)).toBeGreaterThan(1);
    for (const x of [71477, 1e9, 1e12, 1e20, 3e38]) {
      const value = libraryCosFloat32(x);
      expect(value).toBe(f(Math.cos(f(x))));
      expect(value >= -1 && value <= 1).toBe(true);
    }
  });
});
