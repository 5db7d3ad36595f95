import { describe, expect, it } from 'vitest';
import { constant, custom, float32, fromConfig, ScheduleConfigError } from '../index';

describe('float32', () => {
  it('rounds every value to the nearest float32', () => {
    const s = float32({ schedule: constant({ value: 0.1 }) });
    expect(s(0)).toBe(Math.fround(0.1));
  });

  it.each([
    [
      { type: 'constant', value: 1e39 },
      'float32: the largest value of schedule must be below 3.4028235677973366e+38, where float32 rounding gives Infinity (the largest float32 is 3.4028234663852886e+38); received 1e+39.',
    ],
    [
      { type: 'linear', initialValue: 0, finalValue: 3.5e38, transitionSteps: 100 },
      'float32: the largest value of schedule must be below 3.4028235677973366e+38, where float32 rounding gives Infinity (the largest float32 is 3.4028234663852886e+38); received 3.5000000000035006e+38.',
    ],
  ])('rejects a schedule whose values round to Infinity in float32: %o', (schedule, message) => {
    expect(() => fromConfig({ type: 'float32', schedule })).toThrow(ScheduleConfigError);
    expect(() => fromConfig({ type: 'float32', schedule })).toThrow(message);
  });

  it('keeps values up to the largest float32', () => {
    const s = float32({ schedule: constant({ value: 3.4028234663852886e38 }) });
    expect(s(0)).toBe(3.4028234663852886e38);
  });

  it('a custom function has no bound to check when built: a value that rounds to Infinity throws at that step', () => {
    const s = float32({ schedule: custom((t) => (t < 1 ? 1 : 1e39)) });
    expect(s(0)).toBe(1);
    expect(() => s(1)).toThrow(
      'float32: fround(schedule(t)) is Infinity at step 1; it holds a custom function, whose values float32 could not bound when it was built.',
    );
  });
});
