// Inputs an adversary would try: option keys that name Object.prototype members, prototypes set
// through __proto__, nesting deep enough to overflow the call stack, cycles. Every one must end in a
// ScheduleConfigError that names the path, never in a RangeError or a silently ignored option.
import { describe, expect, it } from 'vitest';
import {
  clamp,
  constant,
  formatValue,
  fromConfig,
  join,
  ScheduleConfigError,
  toSchedule,
  warmupCosineDecay,
} from '../src/index';
import { fromAnyConfig } from '../src/reference/index';
import { MAX_SCHEDULE_DEPTH } from '../src/schedule';

function messagesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (ScheduleConfigError.isInstance(error)) return error.issues.map((issue) => issue.message);
    throw error;
  }
  throw new Error('expected a ScheduleConfigError');
}

/** `{ type: 'clamp', schedule: { type: 'clamp', ... { type: 'constant', value: 1 } } }`, `levels` schedules deep. */
function nestedClamps(levels: number): string {
  let json = '{"type":"constant","value":1}';
  for (let i = 1; i < levels; i++) json = `{"type":"clamp","maxValue":2,"schedule":${json}}`;
  return json;
}

describe('option keys named like Object.prototype members', () => {
  const base = { type: 'warmupCosineDecay', peakValue: 0.1, totalSteps: 100 };

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    'reports %s as an unknown option, in native configs',
    (key) => {
      const json = JSON.parse(
        `{"type":"warmupCosineDecay","peakValue":0.1,"totalSteps":100,"${key}":{"warmupSteps":10}}`,
      );
      expect(messagesOf(() => fromConfig(json))).toEqual([
        `warmupCosineDecay: unknown option "${key}" (expected one of peakValue, totalSteps, warmupSteps, holdSteps, initialValue, finalValue); received {"warmupSteps":10}.`,
      ]);
    },
  );

  it('reports them in reference params too', () => {
    const json = JSON.parse(
      '{"api":"torch.optim.lr_scheduler.StepLR","base_lr":0.1,"params":{"step_size":3,"__proto__":{"gamma":0.5}}}',
    );
    expect(messagesOf(() => fromAnyConfig(json))[0]).toMatch(
      /^torch\.optim\.lr_scheduler\.StepLR: unknown parameter "__proto__" \(expected one of /,
    );
  });

  it('reads own properties only: an option inherited through a prototype is not an option', () => {
    const options = Object.create({ warmupSteps: 10 }) as Record<string, unknown>;
    Object.assign(options, { peakValue: 0.1, totalSteps: 100 });
    const schedule = warmupCosineDecay(options as never);
    expect(schedule.config).toEqual({
      ...base,
      warmupSteps: 0,
      holdSteps: 0,
      initialValue: 0,
      finalValue: 0,
    });
    expect(schedule(0)).toBe(0.1);
  });

  it('leaves Object.prototype untouched', () => {
    const json = JSON.parse('{"type":"constant","value":1,"__proto__":{"polluted":true}}');
    expect(() => fromConfig(json)).toThrow(ScheduleConfigError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('nesting depth', () => {
  it(`builds ${MAX_SCHEDULE_DEPTH} levels and refuses one more, naming the path`, () => {
    expect(fromConfig(JSON.parse(nestedClamps(MAX_SCHEDULE_DEPTH)))(0)).toBe(1);
    const messages = messagesOf(() => fromConfig(JSON.parse(nestedClamps(MAX_SCHEDULE_DEPTH + 1))));
    expect(messages).toEqual([
      `fromConfig: ${Array(MAX_SCHEDULE_DEPTH).fill('schedule').join('.')} nests schedules ${MAX_SCHEDULE_DEPTH + 1} deep; at most ${MAX_SCHEDULE_DEPTH} levels are allowed; received ${MAX_SCHEDULE_DEPTH + 1}.`,
    ]);
  });

  it('refuses a 2,000-deep config (80 KB) with ScheduleConfigError, not a stack overflow', () => {
    const json = nestedClamps(2000);
    expect(json.length).toBeGreaterThan(80_000);
    for (const read of [fromConfig, fromAnyConfig, toSchedule]) {
      expect(() => read(JSON.parse(json))).toThrow(/nests schedules 65 deep; at most 64 levels are allowed/);
    }
  });

  it('refuses schedules nested too deep in code, where each level is built separately', () => {
    let schedule = constant({ value: 1 });
    for (let level = 2; level <= MAX_SCHEDULE_DEPTH; level++) schedule = clamp({ schedule, maxValue: 2 });
    expect(schedule(0)).toBe(1);
    expect(messagesOf(() => clamp({ schedule, maxValue: 2 }))).toEqual([
      `clamp: schedule nests schedules ${MAX_SCHEDULE_DEPTH + 1} deep; at most ${MAX_SCHEDULE_DEPTH} levels are allowed (evaluation recurses once per level); received ${MAX_SCHEDULE_DEPTH + 1}.`,
    ]);
  });

  it('names the segment of a join that nests too deep', () => {
    let schedule = constant({ value: 1 });
    for (let level = 2; level <= MAX_SCHEDULE_DEPTH; level++) schedule = clamp({ schedule, maxValue: 2 });
    expect(
      messagesOf(() => join({ segments: [{ schedule: constant({ value: 1 }), steps: 1 }, { schedule }] })),
    ).toEqual([
      `join: segments[1].schedule nests schedules ${MAX_SCHEDULE_DEPTH + 1} deep; at most ${MAX_SCHEDULE_DEPTH} levels are allowed (evaluation recurses once per level); received ${MAX_SCHEDULE_DEPTH + 1}.`,
    ]);
  });

  it('refuses deeply nested arrays and a cyclic config instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(messagesOf(() => fromConfig({ type: 'multiStepDecay', milestones: deep }))[0]).toMatch(
      /^fromConfig: milestones(\[0\])+ nests objects and arrays 513 deep; at most 512 levels are allowed; received 513\.$/,
    );
    const cyclic: Record<string, unknown> = { type: 'constant', value: 1 };
    cyclic.self = cyclic;
    expect(messagesOf(() => fromConfig(cyclic))[0]).toMatch(/nests (objects and arrays|schedules) \d+ deep/);
  });

  it('formats values too deep or cyclic for JSON without throwing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(formatValue(deep)).toBe('an array');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(formatValue(cyclic)).toBe('[object Object]');
  });
});
