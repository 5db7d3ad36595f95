import { describe, expect, it } from 'vitest';
import { ScheduleConfigError, fromConfig, toConfig, warmupCosineDecay } from '../index';

describe('warmupCosineDecay', () => {
  it('follows the closed form', () => {
    const s = warmupCosineDecay({ peakValue: 1, totalSteps: 100, warmupSteps: 10, holdSteps: 10, finalValue: 0.1 });
    expect(s(0)).toBe(0);
    expect(s(5)).toBeCloseTo(0.5, 15);
    expect(s(10)).toBe(1);
    expect(s(19)).toBe(1);
    expect(s(20)).toBe(1);
    const t = 60;
    const expected = 0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * (t - 20)) / 80));
    expect(Math.abs(s(t) - expected) / expected).toBeLessThan(1e-12);
    expect(s(100)).toBe(0.1);
    expect(s(1e9)).toBe(0.1);
  });
  it('round-trips through JSON', () => {
    const s = warmupCosineDecay({ peakValue: 1, totalSteps: 100, warmupSteps: 10 });
    const back = fromConfig(JSON.parse(JSON.stringify(toConfig(s))));
    for (let t = 0; t < 120; t += 0.5) expect(back(t)).toBe(s(t));
  });
  it('lists every issue', () => {
    expect(() => warmupCosineDecay({ peakValue: -1, totalSteps: 100, warmupSteps: 80, holdSteps: 30 })).toThrow(ScheduleConfigError);
    try {
      fromConfig({ type: 'warmupCosineDecay', peakValue: Number.NaN, totalSteps: 0, bogus: 1 });
    } catch (error) {
      expect(ScheduleConfigError.isInstance(error)).toBe(true);
      expect((error as ScheduleConfigError).issues.map((i) => i.path)).toEqual(['bogus', 'peakValue', 'totalSteps']);
      expect((error as Error).message).toContain('warmupCosineDecay: peakValue must be a finite number >= 0; received NaN.');
    }
  });
});
