import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  constant,
  custom,
  epochSchedule,
  epochsToSteps,
  fromConfig,
  ScheduleConfigError,
  toConfig,
  warmupCosineDecay,
} from '../index';

describe('epochsToSteps', () => {
  it('renames *Epochs to *Steps and multiplies by stepsPerEpoch, copying other keys', () => {
    expect(epochsToSteps({ warmupEpochs: 2, totalEpochs: 10 }, { stepsPerEpoch: 391 })).toEqual({
      warmupSteps: 782,
      totalSteps: 3910,
    });
    const converted = epochsToSteps(
      { peakValue: 0.1, holdEpochs: 0, milestoneEpochs: [3, 6] },
      { stepsPerEpoch: 100 },
    );
    expect(converted).toEqual({ peakValue: 0.1, holdSteps: 0, milestoneSteps: [300, 600] });
  });

  it('accepts fractional epochs and rounds to whole steps unless told otherwise', () => {
    expect(epochsToSteps({ warmupEpochs: 0.5 }, { stepsPerEpoch: 391 })).toEqual({ warmupSteps: 196 });
    expect(epochsToSteps({ warmupEpochs: 0.5 }, { stepsPerEpoch: 391, rounding: 'floor' })).toEqual({
      warmupSteps: 195,
    });
    expect(epochsToSteps({ warmupEpochs: 0.5 }, { stepsPerEpoch: 391, rounding: 'ceil' })).toEqual({
      warmupSteps: 196,
    });
    expect(epochsToSteps({ warmupEpochs: 0.5 }, { stepsPerEpoch: 391, rounding: 'none' })).toEqual({
      warmupSteps: 195.5,
    });
  });

  it('feeds a builder directly', () => {
    const s = warmupCosineDecay({
      peakValue: 0.1,
      ...epochsToSteps({ warmupEpochs: 1, totalEpochs: 4 }, { stepsPerEpoch: 50 }),
    });
    expect(s(50)).toBe(0.1);
    expect(s(200)).toBe(0);
  });

  it.each([
    [
      { warmupEpochs: -1 },
      { stepsPerEpoch: 10 },
      'epochsToSteps: warmupEpochs must be a finite number >= 0 (epochs) or an array of them; received -1.',
    ],
    [
      { warmupEpochs: 1 },
      { stepsPerEpoch: 0 },
      'epochsToSteps: stepsPerEpoch must be an integer >= 1; received 0.',
    ],
    [
      { warmupEpochs: 1 },
      { stepsPerEpoch: 2.5 },
      'epochsToSteps: stepsPerEpoch must be an integer >= 1; received 2.5.',
    ],
    [
      { warmupEpochs: 1 },
      { stepsPerEpoch: 10, rounding: 'up' },
      'epochsToSteps: rounding must be one of "round", "floor", "ceil", "none"; received "up".',
    ],
    [
      { warmupEpochs: 1, warmupSteps: 5 },
      { stepsPerEpoch: 10 },
      'epochsToSteps: warmupEpochs and warmupSteps must not both be given; received 1.',
    ],
    [
      { milestoneEpochs: [1, Number.NaN] },
      { stepsPerEpoch: 10 },
      'epochsToSteps: milestoneEpochs[1] must be a finite number >= 0 (epochs); received NaN.',
    ],
    [
      { totalEpochs: Number.POSITIVE_INFINITY },
      { stepsPerEpoch: 10 },
      'epochsToSteps: totalEpochs must be a finite number >= 0 (epochs) or an array of them; received Infinity.',
    ],
    [
      { totalEpochs: 1e308 },
      { stepsPerEpoch: 10 },
      'epochsToSteps: totalEpochs × stepsPerEpoch (10) must not exceed Number.MAX_VALUE (1.7976931348623157e+308): the steps would overflow to Infinity; received 1e+308.',
    ],
    [
      { milestoneEpochs: [1, 1e308] },
      { stepsPerEpoch: 10 },
      'epochsToSteps: milestoneEpochs[1] × stepsPerEpoch (10) must not exceed Number.MAX_VALUE (1.7976931348623157e+308): the steps would overflow to Infinity; received 1e+308.',
    ],
  ])('rejects %o with %o', (options, settings, message) => {
    expect(() => epochsToSteps(options, settings as never)).toThrow(ScheduleConfigError);
    expect(() => epochsToSteps(options, settings as never)).toThrow(message);
  });

  it('lists every issue at once', () => {
    try {
      epochsToSteps({ warmupEpochs: -1, totalEpochs: 'ten' }, { stepsPerEpoch: -3 });
      expect.unreachable();
    } catch (error) {
      expect(ScheduleConfigError.isInstance(error)).toBe(true);
      expect((error as ScheduleConfigError).issues.map((issue) => issue.path)).toEqual([
        'stepsPerEpoch',
        'warmupEpochs',
        'totalEpochs',
      ]);
    }
  });

  it('scales every epoch key by stepsPerEpoch (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.integer({ min: 1, max: 1e5 }),
        (epochs, stepsPerEpoch) => {
          const { totalSteps } = epochsToSteps({ totalEpochs: epochs }, { stepsPerEpoch, rounding: 'none' });
          const { totalSteps: rounded } = epochsToSteps({ totalEpochs: epochs }, { stepsPerEpoch });
          return totalSteps === epochs * stepsPerEpoch && rounded === Math.round(epochs * stepsPerEpoch);
        },
      ),
      { numRuns: 10_000 },
    );
  });
});

describe('epochSchedule', () => {
  const perEpoch = custom((epoch) => 0.1 * 0.5 ** epoch);

  it('evaluates the per-epoch schedule at floor(step / stepsPerEpoch)', () => {
    const s = epochSchedule({ schedule: perEpoch, stepsPerEpoch: 391 });
    expect(s(0)).toBe(0.1);
    expect(s(390)).toBe(0.1);
    expect(s(390.9)).toBe(0.1);
    expect(s(391)).toBe(0.05);
    expect(s(782)).toBe(0.025);
  });

  it('scales the per-epoch phases to steps and round-trips through JSON', () => {
    const inner = warmupCosineDecay({ peakValue: 0.1, totalSteps: 10, warmupSteps: 2 });
    const s = epochSchedule({ schedule: inner, stepsPerEpoch: 100 });
    expect(s.phases).toEqual([
      { name: 'warmup', start: 0, end: 200 },
      { name: 'decay', start: 200, end: 1000 },
      { name: 'final', start: 1000, end: Number.POSITIVE_INFINITY },
    ]);
    const back = fromConfig(JSON.parse(JSON.stringify(toConfig(s))));
    for (let t = 0; t < 1200; t += 13) expect(back(t)).toBe(s(t));
  });

  it.each([
    [
      { schedule: constant({ value: 1 }), stepsPerEpoch: 0 },
      'epochSchedule: stepsPerEpoch must be a finite number > 0; received 0.',
    ],
    [{ stepsPerEpoch: 10 }, 'epochSchedule: schedule is required'],
  ])('rejects %o', (options, message) => {
    expect(() => epochSchedule(options as never)).toThrow(message);
  });

  it('calls its schedule with a finite epoch even where step / stepsPerEpoch overflows', () => {
    // ⌊1 / 5e-324⌋ is Infinity; a periodic cosine gave NaN there (Infinity % period).
    const s = epochSchedule({
      schedule: { type: 'cosineDecay', initialValue: 1, decaySteps: 3, periodic: true },
      stepsPerEpoch: 5e-324,
    });
    const atMax = fromConfig({ type: 'cosineDecay', initialValue: 1, decaySteps: 3, periodic: true })(
      Number.MAX_VALUE,
    );
    for (const step of [1, 2 ** 53]) expect(s(step)).toBe(atMax);
  });

  it('is constant within each epoch (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (stepsPerEpoch, epoch, within) => {
          const s = epochSchedule({ schedule: perEpoch, stepsPerEpoch });
          return s(epoch * stepsPerEpoch + within * stepsPerEpoch) === perEpoch(epoch);
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
