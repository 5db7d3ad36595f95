import { describe, expect, it } from 'vitest';
import { fromConfig, ScheduleConfigError } from '../index';
import { cycleRestarts } from './cycle-restarts';

describe('cycleRestarts: a growing peak (peakDecayFactor > 1) stays finite', () => {
  it.each([
    [
      // Was 102.4 at step 1,000, 1.07e300 at 100,000 and NaN at 1,000,000 (timm cycle_decay 2 alike).
      { peakValue: 0.1, firstCycleSteps: 100, peakDecayFactor: 2 },
      'cycleRestarts: cycleLimit must be at most 1024 when peakDecayFactor is 2 (> 1: the peak grows every cycle and exceeds Number.MAX_VALUE from cycle 1024 on; without cycleLimit the cycles run on up to step Number.MAX_VALUE, about cycle 1.7976931348623156e+306); received undefined.',
    ],
    [
      { peakValue: 0.1, firstCycleSteps: 100, peakDecayFactor: 2, cycleLimit: 1025 },
      'cycleRestarts: cycleLimit must be at most 1024 when peakDecayFactor is 2 (> 1: the peak grows every cycle and exceeds Number.MAX_VALUE from cycle 1024 on); received 1025.',
    ],
    [
      {
        peakValue: 1,
        firstCycleSteps: 1,
        cycleLengthFactor: 2,
        peakDecayFactor: 4,
        decayTarget: 'height' as const,
      },
      'cycleRestarts: cycleLimit must be at most 512 when peakDecayFactor is 4 (> 1: the peak grows every cycle and exceeds Number.MAX_VALUE from cycle 512 on; without cycleLimit the cycles run on up to step Number.MAX_VALUE, about cycle 1025); received undefined.',
    ],
  ])('rejects %o', (options, message) => {
    expect(() => cycleRestarts(options)).toThrow(ScheduleConfigError);
    expect(() => cycleRestarts(options)).toThrow(message);
  });

  it('runs up to the last cycle whose peak is finite', () => {
    const s = cycleRestarts({ peakValue: 0.1, firstCycleSteps: 100, peakDecayFactor: 2, cycleLimit: 1024 });
    expect(s(1000)).toBe(0.1 * 2 ** 10);
    expect(s(102_300)).toBe(0.1 * 2 ** 1023);
    // After the last cycle: the floor.
    for (const step of [102_400, 1e6, 2 ** 53]) expect(s(step)).toBe(0);
  });

  it('keeps a slow growth in lengthening cycles, finite up to Number.MAX_VALUE (Keras m_mul 1.1, t_mul 2)', () => {
    const s = cycleRestarts({
      peakValue: 1,
      firstCycleSteps: 1,
      cycleLengthFactor: 2,
      peakDecayFactor: 1.1,
      decayTarget: 'height',
    });
    for (const step of [0, 1e6, 2 ** 53, 1e300, Number.MAX_VALUE]) {
      const value = s(step);
      expect(Number.isFinite(value) && value >= 0).toBe(true);
    }
  });

  it('is 0 for a zero peak however it grows (was NaN: 0 · Infinity)', () => {
    const s = fromConfig({ type: 'cycleRestarts', peakValue: 0, firstCycleSteps: 100, peakDecayFactor: 2 });
    for (const step of [0, 1000, 1e6, 2 ** 53]) expect(s(step)).toBe(0);
  });

  it('is the floor where the height is 0 (peakValue = minValue, decayTarget "height")', () => {
    const s = cycleRestarts({
      peakValue: 1,
      minValue: 1,
      firstCycleSteps: 1,
      peakDecayFactor: 2,
      decayTarget: 'height',
    });
    for (const step of [0, 0.5, 1e6, 2 ** 53]) expect(s(step)).toBe(1);
  });
});

describe('cycleRestarts: values never go below 0', () => {
  it('a subnormal peak decayed below a subnormal floor rises towards the floor without rounding past 0', () => {
    // 0.5 · height first rounded the subnormal height away from 0, past −minValue: −5e-324.
    const s = cycleRestarts({
      peakValue: 3.5e-323,
      minValue: 3.5e-323,
      firstCycleSteps: 5e-324,
      cycleLengthFactor: 2,
      peakDecayFactor: 5e-324,
      positionExponent: 0.1,
    });
    for (const step of [0, 5e-324, 1.5e-323, 1, 2 ** 53]) expect(s(step)).toBeGreaterThanOrEqual(0);
  });
});
