import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  constant,
  custom,
  fromConfig,
  join,
  NotSerializableError,
  ScheduleConfigError,
  toConfig,
  warmupCosineDecay,
} from '../index';

describe('join', () => {
  const first = warmupCosineDecay({ peakValue: 1, totalSteps: 50, warmupSteps: 10 });
  const second = custom((t) => 0.5 / (1 + t));
  const third = constant({ value: 0.01 });

  it('hands each segment a local step', () => {
    const s = join({
      segments: [{ schedule: first, steps: 40 }, { schedule: second, steps: 25 }, { schedule: third }],
    });
    for (const t of [0, 5, 10, 39, 39.5]) expect(s(t)).toBe(first(t));
    for (const t of [40, 41, 52.5, 64.999]) expect(s(t)).toBe(0.5 / (1 + (t - 40)));
    for (const t of [65, 66, 1e9]) expect(s(t)).toBe(0.01);
  });

  it('starts the next segment at the boundary (optax join_schedules semantics)', () => {
    const s = join({
      segments: [{ schedule: constant({ value: 1 }), steps: 3 }, { schedule: constant({ value: 2 }) }],
    });
    expect([0, 1, 2, 2.999, 3, 4].map((t) => s(t))).toEqual([1, 1, 1, 1, 2, 2]);
  });

  it('lets the last segment run forever, even when it has steps', () => {
    const s = join({
      segments: [
        { schedule: constant({ value: 1 }), steps: 2 },
        { schedule: second, steps: 3 },
      ],
    });
    expect(s(100)).toBe(0.5 / (1 + 98));
    expect(s.phases.at(-1)).toEqual({ name: 'segment 1', start: 2, end: Number.POSITIVE_INFINITY });
  });

  it('supports more than three segments', () => {
    const s = join({
      segments: [1, 2, 3, 4, 5].map((value) => ({ schedule: constant({ value }), steps: 10 })),
    });
    expect([0, 10, 25, 39, 40, 49, 1000].map((t) => s(t))).toEqual([1, 2, 3, 4, 5, 5, 5]);
  });

  it('offsets and merges the children phases', () => {
    const s = join({ segments: [{ schedule: first, steps: 40 }, { schedule: third }] });
    expect(s.phases).toEqual([
      { name: 'warmup', start: 0, end: 10 },
      { name: 'decay', start: 10, end: 40 },
      { name: 'constant', start: 40, end: Number.POSITIVE_INFINITY },
    ]);
  });

  it('round-trips through JSON', () => {
    const s = join({
      segments: [
        { schedule: first, steps: 40 },
        { schedule: { type: 'constant', value: 0.1 }, steps: 10 },
        { schedule: third },
      ],
    });
    const back = fromConfig(JSON.parse(JSON.stringify(toConfig(s))));
    for (let t = 0; t < 80; t += 0.5) expect(back(t)).toBe(s(t));
    expect(toConfig(back)).toEqual(toConfig(s));
  });

  it('has no JSON form when a segment is a custom function', () => {
    const s = join({ segments: [{ schedule: second, steps: 4 }, { schedule: third }] });
    expect(() => toConfig(s)).toThrow(NotSerializableError);
  });

  it.each([
    [
      { segments: [] },
      'join: segments must be an array of at least 1 of objects with keys schedule, steps; received [].',
    ],
    [
      { segments: [{ schedule: third }, { schedule: third }] },
      'join: segments[0].steps is required on every segment but the last (a finite number > 0); received undefined.',
    ],
    [
      { segments: [{ schedule: third, steps: 0 }, { schedule: third }] },
      'join: segments[0].steps must be a finite number > 0; received 0.',
    ],
    [
      { segments: [{ schedule: third, steps: 2, extra: 1 }, { schedule: third }] },
      'join: unknown option "segments[0].extra" (expected one of schedule, steps); received 1.',
    ],
    [{ segments: [7] }, 'join: segments[0] must be an object with keys schedule, steps; received 7.'],
    [
      { segments: [{ schedule: { type: 'nope' }, steps: 1 }, { schedule: third }] },
      'fromConfig (at segments[0].schedule): type must be one of',
    ],
  ])('rejects %o', (options, message) => {
    expect(() => join(options as never)).toThrow(ScheduleConfigError);
    expect(() => join(options as never)).toThrow(message);
  });

  it('is continuous at a boundary where the values agree, and equals the segment at the local step (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 1, noNaN: true }),
        fc.double({ min: 1, max: 1000, noNaN: true }),
        fc.double({ min: 1, max: 1000, noNaN: true }),
        fc.double({ min: 0, max: 3000, noNaN: true }),
        (peak, warmupSteps, decaySteps, t) => {
          // A warm-up to the peak, then a decay that starts at the peak: the values agree at the boundary.
          const ramp = warmupCosineDecay({ peakValue: peak, totalSteps: warmupSteps, warmupSteps });
          const decay = warmupCosineDecay({ peakValue: peak, totalSteps: decaySteps });
          const s = join({ segments: [{ schedule: ramp, steps: warmupSteps }, { schedule: decay }] });
          const before = s(warmupSteps * (1 - 1e-12));
          const at = s(warmupSteps);
          const expected = t < warmupSteps ? ramp(t) : decay(t - warmupSteps);
          return Math.abs(before - at) <= 1e-9 * peak && s(t) === expected && s(t) >= 0;
        },
      ),
      { numRuns: 10_000 },
    );
  });
});

describe('join with many segments (binary search)', () => {
  /** Segment i is the constant i (so the value names the segment) and lasts lengths[i] steps. */
  function numbered(lengths: readonly number[]) {
    return join({
      segments: lengths.map((steps, index) =>
        index === lengths.length - 1
          ? { schedule: constant({ value: index }) }
          : { schedule: constant({ value: index }), steps },
      ),
    });
  }

  /** The segment of step t, found by walking the boundaries one by one. */
  function segmentOf(lengths: readonly number[], t: number): number {
    let start = 0;
    for (let i = 0; i < lengths.length - 1; i++) {
      const end = start + lengths[i]!;
      if (t < end) return i;
      start = end;
    }
    return lengths.length - 1;
  }

  it('picks the same segment as a linear walk, at boundaries, just before them and far out', () => {
    for (const count of [17, 18, 33, 1000]) {
      const lengths = Array.from({ length: count }, (_, i) => 1 + ((i * 7) % 5) + (i % 3) / 4);
      const schedule = numbered(lengths);
      let start = 0;
      for (let i = 0; i < count - 1; i++) {
        for (const t of [start, start + lengths[i]! / 2, start + lengths[i]! - 1e-9]) {
          expect(schedule(t), `count ${count}, step ${t}`).toBe(segmentOf(lengths, t));
        }
        start += lengths[i]!;
      }
      expect(schedule(start)).toBe(count - 1);
      expect(schedule(2 ** 53)).toBe(count - 1);
    }
  });

  it('hands the segment found its local step', () => {
    const segments = Array.from({ length: 50 }, () => ({
      schedule: (t: number) => t,
      steps: 10,
    }));
    const schedule = join({ segments });
    expect(schedule(0)).toBe(0);
    expect(schedule(123.5)).toBeCloseTo(3.5, 12);
    expect(schedule(490)).toBe(0);
    expect(schedule(1000)).toBe(510);
  });

  it('agrees with the linear walk for random lengths and steps (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-3, max: 1e6, noNaN: true }), { minLength: 17, maxLength: 200 }),
        fc.array(fc.double({ min: 0, max: 3e8, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (lengths, steps) => {
          const schedule = numbered(lengths);
          for (const t of steps) expect(schedule(t)).toBe(segmentOf(lengths, t));
        },
      ),
      { seed: 20261207, numRuns: 200 },
    );
  });
});
