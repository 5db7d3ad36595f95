import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  constant,
  InvalidMetricError,
  isPlateauController,
  NotSerializableError,
  type PlateauOptions,
  type PlateauState,
  reduceOnPlateau,
  ScheduleConfigError,
  toConfig,
  warmupCosineDecay,
} from '../index';

describe('reduceOnPlateau', () => {
  it('applies the defaults and exposes the normalized config', () => {
    const plateau = reduceOnPlateau();
    expect(plateau.config).toEqual({
      type: 'reduceOnPlateau',
      initialValue: 1,
      mode: 'min',
      factor: 0.1,
      patience: 10,
      threshold: 1e-4,
      thresholdMode: 'relative',
      cooldown: 0,
      minValue: 0,
      minDelta: 1e-8,
    });
    expect([plateau.value, plateau.multiplier, plateau.reductions]).toEqual([1, 1, 0]);
    expect(isPlateauController(plateau)).toBe(true);
    expect(isPlateauController({ report: () => 1 })).toBe(false);
  });

  it('reduces after more than `patience` reports without improvement', () => {
    const plateau = reduceOnPlateau({ initialValue: 0.1, factor: 0.5, patience: 2 });
    // best 1.0 at report 1; reports 2, 3, 4 are bad; the third bad report (count 3 > 2) reduces.
    expect([1, 1, 1].map((m) => plateau.report(m))).toEqual([0.1, 0.1, 0.1]);
    expect(plateau.report(1)).toBe(0.05);
    expect(plateau.reductions).toBe(1);
    expect(plateau.multiplier).toBe(0.5);
    // An improvement resets the count.
    expect([0.5, 0.5, 0.5, 0.4, 0.4, 0.4].map((m) => plateau.report(m))).toEqual([
      0.05, 0.05, 0.05, 0.05, 0.05, 0.05,
    ]);
    expect(plateau.report(0.4)).toBe(0.025);
  });

  it('ignores bad reports during the cooldown', () => {
    const plateau = reduceOnPlateau({ factor: 0.5, patience: 0, cooldown: 2 });
    const values = Array.from({ length: 8 }, () => plateau.report(3));
    // Reductions at reports 2, 5 and 8 (two cooldown reports in between).
    expect(values).toEqual([1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125]);
  });

  it('uses absolute thresholds and max mode', () => {
    const plateau = reduceOnPlateau({
      mode: 'max',
      thresholdMode: 'absolute',
      threshold: 0.1,
      patience: 0,
      factor: 0.5,
    });
    expect(plateau.report(1)).toBe(1);
    expect(plateau.report(1.1)).toBe(0.5); // 1.1 is not > 1 + 0.1
    expect(plateau.report(1.25)).toBe(0.5); // improvement
    expect(plateau.report(1.3)).toBe(0.25);
  });

  it('stops at minValue and skips reductions not larger than minDelta', () => {
    const floor = reduceOnPlateau({ initialValue: 1, factor: 0.1, patience: 0, minValue: 0.05 });
    expect([5, 5, 5, 5].map((m) => floor.report(m))).toEqual([1, 0.1, 0.05, 0.05]);
    expect(floor.reductions).toBe(2);
    const eps = reduceOnPlateau({ initialValue: 1, factor: 0.5, patience: 0, minDelta: 0.2 });
    expect([5, 5, 5, 5].map((m) => eps.report(m))).toEqual([1, 0.5, 0.25, 0.25]);
  });

  it('scales a schedule with the live multiplier, floored at minValue', () => {
    const base = warmupCosineDecay({ peakValue: 1, totalSteps: 100, warmupSteps: 10 });
    const plateau = reduceOnPlateau({ factor: 0.5, patience: 0, minValue: 0.01 });
    const s = plateau.applyTo(base);
    expect(s(10)).toBe(1);
    plateau.report(1);
    plateau.report(1);
    expect(plateau.multiplier).toBe(0.5);
    expect(s(10)).toBe(0.5);
    expect(s(50)).toBe(base(50) * 0.5);
    expect(s(0)).toBe(0.01);
    expect(() => toConfig(s)).toThrow(NotSerializableError);
    expect(plateau.applyTo({ type: 'constant', value: 0.2 })(3)).toBe(0.1);
  });

  it('resumes exactly from a JSON round trip of state() taken mid-run', () => {
    const options = { initialValue: 0.3, factor: 0.3, patience: 1, cooldown: 1, minValue: 1e-3 } as const;
    const metrics = [1, 0.9, 0.95, 0.95, 0.8, 0.85, 0.85, 0.85, 0.7, 0.71, 0.72, 0.73, 0.74, 0.75];
    const straight = reduceOnPlateau(options);
    const first = reduceOnPlateau(options);
    for (const m of metrics.slice(0, 7)) {
      straight.report(m);
      first.report(m);
    }
    const saved = JSON.stringify(first.state());
    const resumed = reduceOnPlateau(options);
    resumed.restore(JSON.parse(saved) as PlateauState);
    expect(resumed.state()).toEqual(first.state());
    expect(resumed.value).toBe(first.value);
    expect(resumed.multiplier).toBe(first.multiplier);
    for (const m of metrics.slice(7)) expect(resumed.report(m)).toBe(straight.report(m));
    expect(resumed.state()).toEqual(straight.state());
  });

  it('refuses a NaN or infinite metric and keeps its state', () => {
    const plateau = reduceOnPlateau({ patience: 0 });
    plateau.report(1);
    const before = plateau.state();
    for (const metric of [Number.NaN, Number.POSITIVE_INFINITY, '1' as unknown as number]) {
      expect(() => plateau.report(metric)).toThrow(InvalidMetricError);
    }
    expect(() => plateau.report(Number.NaN)).toThrow(
      'reduceOnPlateau: metric must be a finite number; received NaN (report 2).',
    );
    try {
      plateau.report(Number.NaN);
    } catch (error) {
      expect(InvalidMetricError.isInstance(error)).toBe(true);
      expect((error as InvalidMetricError).code).toBe('InvalidMetricError');
    }
    expect(plateau.state()).toEqual(before);
  });

  it.each([
    [{ factor: 1 }, 'reduceOnPlateau: factor must be a finite number in (0, 1); received 1.'],
    [{ factor: 0 }, 'reduceOnPlateau: factor must be a finite number in (0, 1); received 0.'],
    [{ patience: 1.5 }, 'reduceOnPlateau: patience must be an integer >= 0; received 1.5.'],
    [{ cooldown: -1 }, 'reduceOnPlateau: cooldown must be an integer >= 0; received -1.'],
    [{ mode: 'up' }, 'reduceOnPlateau: mode must be one of "min", "max"; received "up".'],
    [
      { thresholdMode: 'rel' },
      'reduceOnPlateau: thresholdMode must be one of "relative", "absolute"; received "rel".',
    ],
    [{ threshold: -1 }, 'reduceOnPlateau: threshold must be a finite number >= 0; received -1.'],
    [{ initialValue: 0 }, 'reduceOnPlateau: initialValue must be a finite number > 0; received 0.'],
    [{ minValue: 2 }, 'reduceOnPlateau: minValue must not exceed initialValue (1); received 2.'],
    [{ minDelta: Number.NaN }, 'reduceOnPlateau: minDelta must be a finite number >= 0; received NaN.'],
    [
      { min_lr: 0.1 },
      'reduceOnPlateau: unknown option "min_lr" (expected one of initialValue, mode, factor, patience, threshold, thresholdMode, cooldown, minValue, minDelta); received 0.1.',
    ],
    [7, 'reduceOnPlateau: options must be an options object; received 7.'],
  ])('rejects the options %o', (options, message) => {
    expect(() => reduceOnPlateau(options as never)).toThrow(ScheduleConfigError);
    expect(() => reduceOnPlateau(options as never)).toThrow(message);
  });

  const valid = (): PlateauState => {
    const plateau = reduceOnPlateau({ patience: 1, cooldown: 2 });
    plateau.report(1);
    return plateau.state();
  };
  it.each([
    [null, 'reduceOnPlateau.restore: state must be a state object from state(); received null.'],
    [{ ...valid(), version: 2 }, 'reduceOnPlateau.restore: version must be 1; received 2.'],
    [
      { ...valid(), config: { ...valid().config, factor: 0.5 } },
      'reduceOnPlateau.restore: the state was recorded with factor 0.5 but this controller has 0.1 (restore into reduceOnPlateau(state.config) to resume it); received 0.5.',
    ],
    [
      { ...valid(), value: 2 },
      'reduceOnPlateau.restore: value must be a finite number in (0, 1]; received 2.',
    ],
    [
      { ...valid(), best: 'x' },
      'reduceOnPlateau.restore: best must be a finite number or null; received "x".',
    ],
    [
      { ...valid(), cooldownRemaining: 3 },
      'reduceOnPlateau.restore: cooldownRemaining must be an integer in [0, 2]; received 3.',
    ],
    [
      { ...valid(), reductions: 5 },
      'reduceOnPlateau.restore: reductions must be an integer >= 0, at most reports; received 5.',
    ],
    [
      { ...valid(), best: null },
      'reduceOnPlateau.restore: best must be null exactly when no metric was reported (reports = 0); received null.',
    ],
    [{ ...valid(), extra: 1 }, 'reduceOnPlateau.restore: unknown state field "extra"; received 1.'],
  ])('restore rejects %o', (state, message) => {
    const plateau = reduceOnPlateau({ patience: 1, cooldown: 2 });
    expect(() => plateau.restore(state as never)).toThrow(ScheduleConfigError);
    expect(() => plateau.restore(state as never)).toThrow(message);
    expect(plateau.reductions).toBe(0);
  });

  it('stays within [minValue, initialValue], never rises, and resumes exactly from any point (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          initialValue: fc.double({ min: 1e-6, max: 10, noNaN: true }),
          mode: fc.constantFrom('min' as const, 'max' as const),
          factor: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
          patience: fc.integer({ min: 0, max: 3 }),
          threshold: fc.double({ min: 0, max: 0.2, noNaN: true }),
          thresholdMode: fc.constantFrom('relative' as const, 'absolute' as const),
          cooldown: fc.integer({ min: 0, max: 2 }),
          minFraction: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 25 }),
        fc.nat(),
        ({ minFraction, ...options }, metrics, cut) => {
          const minValue = options.initialValue * minFraction;
          const plateau = reduceOnPlateau({ ...options, minValue });
          const resumeAt = cut % metrics.length;
          let resumed = reduceOnPlateau({ ...options, minValue });
          let previous = plateau.value;
          for (let i = 0; i < metrics.length; i++) {
            if (i === resumeAt) {
              resumed = reduceOnPlateau({ ...options, minValue });
              resumed.restore(JSON.parse(JSON.stringify(plateau.state())));
            }
            const value = plateau.report(metrics[i]!);
            if (i >= resumeAt && resumed.report(metrics[i]!) !== value) return false;
            if (!(value <= previous && value >= minValue && value <= options.initialValue && value > 0))
              return false;
            if (plateau.multiplier !== value / options.initialValue) return false;
            previous = value;
          }
          return plateau.reductions <= metrics.length;
        },
      ),
      { numRuns: 10_000 },
    );
  });

  it('is usable as a multiplier on any schedule', () => {
    const plateau = reduceOnPlateau({ factor: 0.5, patience: 0 });
    const s = plateau.applyTo(constant({ value: 0.4 }));
    plateau.report(2);
    plateau.report(2);
    expect(plateau.value).toBe(plateau.multiplier);
    expect(s(1000)).toBe(0.2);
  });
});

describe('reduceOnPlateau.restore refuses states no controller with this config can reach', () => {
  /** A controller after `metrics`, and its state. */
  const after = (options: PlateauOptions, metrics: number[]) => {
    const plateau = reduceOnPlateau(options);
    for (const metric of metrics) plateau.report(metric);
    return plateau.state();
  };

  it.each([
    [
      'badReports past patience',
      { patience: 1 },
      (state: PlateauState) => ({ ...state, badReports: 1e9 }),
      'reduceOnPlateau.restore: badReports must not exceed patience (1) or reports (4): a report past patience reduces the value and resets the count; received 1000000000.',
    ],
    [
      'badReports past reports',
      { patience: 10 },
      (state: PlateauState) => ({ ...state, badReports: 5 }),
      'reduceOnPlateau.restore: badReports must not exceed patience (10) or reports (4); received 5.',
    ],
    [
      'bad reports counted during a cooldown',
      { patience: 1, cooldown: 3 },
      (state: PlateauState) => ({ ...state, badReports: 1 }),
      'reduceOnPlateau.restore: badReports must be 0 during a cooldown (cooldownRemaining 2): the cooldown does not count bad reports; received 1.',
    ],
    [
      'a value that does not match the reductions',
      { patience: 0, factor: 0.5 },
      (state: PlateauState) => ({ ...state, value: 0.3 }),
      'reduceOnPlateau.restore: value must be the learning rate after 3 reductions (0.125), as this config computes it; received 0.3.',
    ],
    [
      'more reductions than the floor allows',
      { patience: 0, factor: 0.5, minValue: 0.25 },
      (state: PlateauState) => ({ ...state, reports: 9, reductions: 3, value: 0.25 }),
      'reduceOnPlateau.restore: reductions must be at most 2: after 2 reductions the value (0.25) cannot be reduced by more than minDelta (1e-8); received 3.',
    ],
  ])('%s', (_name, options, edit, message) => {
    const state = edit(after(options, [1, 2, 3, 4]));
    const plateau = reduceOnPlateau(options);
    expect(() => plateau.restore(state)).toThrow(ScheduleConfigError);
    expect(() => plateau.restore(state)).toThrow(message.replace(/; received .*$/, ''));
    expect(plateau.state()).toEqual(reduceOnPlateau(options).state());
  });

  it('accepts every state a controller reaches, after any reports (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          patience: fc.integer({ min: 0, max: 3 }),
          cooldown: fc.integer({ min: 0, max: 2 }),
          factor: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
          minValue: fc.constantFrom(0, 1e-3),
          minDelta: fc.constantFrom(0, 1e-8, 1e-3),
        }),
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { maxLength: 60 }),
        (options, metrics) => {
          const state = after(options, metrics);
          expect(() => reduceOnPlateau(options).restore(JSON.parse(JSON.stringify(state)))).not.toThrow();
        },
      ),
      { seed: 20261207, numRuns: 300 },
    );
  });
});
