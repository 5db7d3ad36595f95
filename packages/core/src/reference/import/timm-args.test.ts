import { describe, expect, it } from 'vitest';
import { fromConfig } from '../../config';
import { fromReference } from '../from-reference';
import {
  expectGolden,
  expectValues,
  fixture,
  golden,
  importFailure,
  plateauValues,
  scheduleOf,
} from './import.test-utils';
import { importSchedule } from './index';

/** timm-args.yaml (train.py's dump) with the arguments a golden case was made with. */
function args(overrides: Record<string, unknown>): Record<string, unknown> {
  return { ...fixture('timm-args.yaml'), ...overrides };
}

const noWarmup = { warmup_epochs: 0 };

/** Each golden timm case, as the train.py arguments that create_scheduler_v2 turns into it. */
const cases: readonly [string, Record<string, unknown>][] = [
  ['timm-cosine-warmup', {}],
  [
    'timm-cosine-cycles-mul2-decay',
    { ...noWarmup, epochs: 10, min_lr: 0.001, lr_cycle_mul: 2.0, lr_cycle_decay: 0.5, lr_cycle_limit: 4 },
  ],
  [
    'timm-cosine-cycles-mul1.5',
    {
      epochs: 8,
      min_lr: 0.0001,
      lr_cycle_mul: 1.5,
      lr_cycle_limit: 3,
      lr_cycle_decay: 1.0,
      warmup_epochs: 3,
      warmup_lr: 0.0,
      warmup_prefix: true,
    },
  ],
  [
    'timm-cosine-kdecay0.5-limit2',
    { ...noWarmup, epochs: 12, min_lr: 0.005, lr_k_decay: 0.5, lr_cycle_limit: 2, lr_cycle_decay: 1.0 },
  ],
  ['timm-tanh-warmup', { sched: 'tanh', epochs: 40 }],
  [
    'timm-tanh-mul2',
    {
      ...noWarmup,
      sched: 'tanh',
      epochs: 10,
      min_lr: 0,
      lr_cycle_mul: 2.0,
      lr_cycle_limit: 3,
      lr_cycle_decay: 1.0,
    },
  ],
  [
    'timm-step-warmup-prefix',
    {
      sched: 'step',
      decay_epochs: 10,
      decay_rate: 0.5,
      warmup_epochs: 3,
      warmup_lr: 0.001,
      warmup_prefix: true,
    },
  ],
  ['timm-step-float-decay-t', { ...noWarmup, sched: 'step', decay_epochs: 2.5, decay_rate: 0.9 }],
  ['timm-multistep', { ...noWarmup, sched: 'multistep', decay_milestones: [10, 20, 25], decay_rate: 0.1 }],
  ['timm-poly-warmup', { sched: 'poly', epochs: 50, min_lr: 0, decay_rate: 0.5 }],
  [
    'timm-poly-p1-prefix',
    {
      sched: 'poly',
      epochs: 20,
      min_lr: 0,
      decay_rate: 1.0,
      warmup_epochs: 4,
      warmup_lr: 0.01,
      warmup_prefix: true,
    },
  ],
];

describe('importSchedule: timm args.yaml', () => {
  it("detects train.py's args.yaml and reads the cosine schedule it describes (golden timm-cosine-warmup)", () => {
    const result = scheduleOf(importSchedule(fixture('timm-args.yaml')));
    expect(result.format).toBe('timm-args');
    expect(result.kind).toBe('schedule');
    const expected = golden('timm', 'timm-cosine-warmup');
    expectGolden(result.schedule, expected, 'timm-cosine-warmup');
    const { report } = result;
    expect(report.stepUnit).toBe('epoch');
    expect(report.read).toContainEqual({ key: 'lr', value: 0.1 });
    expect(report.read).toContainEqual({ key: 'min_lr', value: 1e-5 });
    expect(report.ignored).toContainEqual({ key: 'decay_epochs', reason: 'not used by sched "cosine"' });
    expect(report.ignored).toContainEqual({
      key: 'lr_base',
      reason: 'lr is set, so the lr_base scaling is not used',
    });
    expect(report.ignored).toContainEqual({ key: 'model' });
    expect(report.ignored).toContainEqual({ key: 'lr_noise_pct', reason: 'lr_noise is null (no noise)' });
    expect(report.notes).toContain("timm trains for 50 epochs (create_scheduler_v2's num_epochs).");
    // every key of the file is accounted for, once
    const keys = [...report.read, ...report.ignored].map((entry) => entry.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(Object.keys(fixture('timm-args.yaml')).sort());
  });

  it.each(cases)('%s: the values timm computed', (id, overrides) => {
    const expected = golden('timm', id);
    const result = scheduleOf(importSchedule(args(overrides)));
    expectGolden(result.schedule, expected, id);
    // the config `anneal convert` prints re-reads to the same schedule
    const again = fromConfig(JSON.parse(JSON.stringify(result.config)));
    for (const t of expected.steps) expect(again(t as number)).toBe(result.schedule(t as number));
    if (expected.get_cycle_length !== undefined) {
      const cooldown = (overrides.cooldown_epochs as number | undefined) ?? 0;
      expect(result.report.notes).toContain(
        `timm trains for ${expected.get_cycle_length + cooldown} epochs (create_scheduler_v2's num_epochs).`,
      );
    }
  });

  it('cooldown_epochs lengthens the run (num_epochs), not the schedule', () => {
    const result = importSchedule(args({ cooldown_epochs: 10 }));
    expect(result.report.notes).toContain("timm trains for 60 epochs (create_scheduler_v2's num_epochs).");
    expect(result.report.read).toContainEqual({ key: 'cooldown_epochs', value: 10 });
  });

  it('timm-plateau-warmup: a plateau controller fed the golden metrics', () => {
    const expected = golden('timm', 'timm-plateau-warmup');
    const result = importSchedule(
      args({
        sched: 'plateau',
        decay_rate: 0.5,
        patience_epochs: 2,
        warmup_epochs: 3,
        warmup_lr: 0.01,
        min_lr: 0.001,
        cooldown_epochs: 4,
      }),
    );
    const values = plateauValues(result, expected.metrics);
    expectValues(values, expected.lr, 'timm-plateau-warmup');
    expect(result.report.stepUnit).toBe('report');
    expect(result.report.ignored).toContainEqual({
      key: 'cooldown_epochs',
      reason: 'create_scheduler_v2 passes cooldown_t=0 to PlateauLRScheduler',
    });
    // the reference config re-reads to a controller with the same values
    const again = fromReference(JSON.parse(JSON.stringify(result.config)));
    if (!('report' in again)) throw new Error('expected a controller');
    const replay = [again.value, ...(expected.metrics ?? []).map((m) => again.report(m))];
    expect(replay).toEqual(values);
  });

  it('lr null: lr_base scaled by the global batch, square-rooted for adamw, per update (sched_on_updates)', () => {
    const input = fixture('timm-args-lr-base.yaml');
    // len(loader_train) = 1001 batches, grad_accum_steps 2: updates_per_epoch = ceil(1001 / 2) = 501
    const result = scheduleOf(importSchedule(input, { stepsPerEpoch: 1001 }));
    const lr = 0.0005 * Math.sqrt((256 * 1 * 2) / 256);
    expect(result.report.assumed).toContainEqual(expect.objectContaining({ key: 'lr', value: lr }));
    expect(result.report.assumed).toContainEqual(
      expect.objectContaining({ key: 'lr_base_scale', value: 'sqrt' }),
    );
    expect(result.report.assumed).toContainEqual(expect.objectContaining({ key: 'world_size', value: 1 }));
    expect(result.report.assumed).toContainEqual(
      expect.objectContaining({ key: 'updates_per_epoch', value: 501 }),
    );
    expect(result.report.stepUnit).toBe('update');
    // CosineLRScheduler(t_initial=10·501, lr_min=1e-6, warmup_t=501, warmup_lr_init=1e-5, warmup_prefix=True,
    // cycle_decay=0.5, t_in_epochs=False), restated from timm's formulas:
    const t0 = 10 * 501;
    const w = 501;
    const expected = (t: number) =>
      t < w
        ? 1e-5 + t * ((lr - 1e-5) / w)
        : 1e-6 + 0.5 * (lr - 1e-6) * (1 + Math.cos((Math.PI * (t - w)) / t0));
    for (const t of [0, 1, 250, 500, 501, 502, 1000, 2500, 5000, 5500]) {
      const value = result.schedule(t);
      expect(Math.abs(value - expected(t))).toBeLessThanOrEqual(1e-12 * expected(t));
    }
    expect(result.schedule(t0 + w)).toBe(1e-6);
    // num_epochs = (get_cycle_length() + cooldown) // updates_per_epoch = (5010 + 501) // 501
    expect(result.report.notes).toContain("timm trains for 11 epochs (create_scheduler_v2's num_epochs).");
  });

  it('worldSize scales the global batch; a distributed run says so in the report', () => {
    const input = { ...fixture('timm-args-lr-base.yaml'), sched_on_updates: false };
    const result = importSchedule(input, { worldSize: 8 });
    const lr = 0.0005 * Math.sqrt((256 * 8 * 2) / 256);
    expect(result.report.assumed).toContainEqual({
      key: 'world_size',
      value: 8,
      reason: 'options.worldSize',
    });
    expect(result.report.assumed).toContainEqual(expect.objectContaining({ key: 'lr', value: lr }));
  });

  it('lr_base_scale "linear" and an sgd optimizer scale linearly', () => {
    const input = { ...fixture('timm-args-lr-base.yaml'), sched_on_updates: false, opt: 'sgd' };
    const result = importSchedule(input);
    expect(result.report.assumed).toContainEqual(
      expect.objectContaining({ key: 'lr_base_scale', value: 'linear' }),
    );
    expect(result.report.assumed).toContainEqual(expect.objectContaining({ key: 'lr', value: 0.0005 * 2 }));
  });

  it('a per-epoch schedule runs per update, constant within each epoch, when updatesPerEpoch is given', () => {
    const perEpoch = scheduleOf(importSchedule(fixture('timm-args.yaml')));
    const perUpdate = scheduleOf(importSchedule(fixture('timm-args.yaml'), { updatesPerEpoch: 100 }));
    expect(perUpdate.report.stepUnit).toBe('update');
    for (const update of [0, 99, 100, 250, 4999]) {
      expect(perUpdate.schedule(update)).toBe(perEpoch.schedule(Math.floor(update / 100)));
    }
    expect(perUpdate.config.type).toBe('epochSchedule');
  });

  it("lr_noise: the noise family over timm's range, with a note that the draws differ from torch's", () => {
    const result = scheduleOf(importSchedule(args({ lr_noise: [0.4, 0.9] })));
    expect(JSON.stringify(result.config)).toContain('"type":"noise"');
    expect(result.config).toMatchObject({
      type: 'noise',
      startStep: 20,
      endStep: 45,
      seed: 42,
      rangeFraction: 0.67,
    });
    expect(result.report.notes.some((note) => note.includes('the random draws differ'))).toBe(true);
    const clean = scheduleOf(importSchedule(fixture('timm-args.yaml')));
    expect(result.schedule(19)).toBe(clean.schedule(19));
    expect(result.schedule(45)).toBe(clean.schedule(45));
  });
});

describe('importSchedule: bad timm args', () => {
  it.each([
    [
      'an unknown sched, with the supported list',
      { sched: 'wsd' },
      'importSchedule (timm args.yaml): sched "wsd" is not one that timm\'s create_scheduler_v2 builds here: expected one of cosine, tanh, step, multistep, plateau, poly; received "wsd".',
    ],
    [
      'a wrong type (field, expected, received)',
      { epochs: '50' },
      'importSchedule (timm args.yaml): epochs must be a finite number > 0; received "50".',
    ],
    [
      'lr_noise of three fractions',
      { lr_noise: [0.1, 0.2, 0.3] },
      'importSchedule (timm args.yaml): lr_noise must be null, a fraction >= 0 of the schedule, or a list of one or two fractions; received [0.1,0.2,0.3].',
    ],
    [
      'plateau stepped per update',
      { sched: 'plateau', sched_on_updates: true },
      'importSchedule (timm args.yaml): sched_on_updates must be false with sched "plateau" (timm: Plateau LR only supports step per epoch.); received true.',
    ],
    [
      "a value timm's scheduler refuses, named by its args key",
      { lr_cycle_limit: 0 },
      'importSchedule (timm args.yaml): lr_cycle_limit: timm.scheduler.CosineLRScheduler: cycle_limit must be an integer >= 1 (with 0 there is no cycle at all: use a constant lr_min); received 0.',
    ],
  ])('%s', (_label, overrides, message) => {
    expect(importFailure(args(overrides)).message).toBe(message);
  });

  it('sched_on_updates without updates per epoch names the missing option', () => {
    const error = importFailure(fixture('timm-args-lr-base.yaml'));
    expect(error.issues[0]?.path).toBe('options.updatesPerEpoch');
    expect(error.message).toMatch(
      /^importSchedule \(timm args\.yaml\): options\.updatesPerEpoch is required: sched_on_updates is true/,
    );
  });

  it('keys the sched does not use are not checked, only listed as ignored', () => {
    const result = importSchedule(args({ decay_epochs: 0, decay_milestones: 'none', patience_epochs: -1 }));
    expect(result.report.ignored).toContainEqual({
      key: 'decay_epochs',
      reason: 'not used by sched "cosine"',
    });
    expect(importFailure(args({ sched: 'step', decay_epochs: 0 })).message).toBe(
      'importSchedule (timm args.yaml): decay_epochs must be a finite number > 0; received 0.',
    );
  });

  it('lists every issue at once', () => {
    const error = importFailure(args({ sched: 'linear', warmup_lr: -1, min_lr: 'low' }));
    expect(error.issues.map((issue) => issue.path)).toEqual(['min_lr', 'warmup_lr', 'sched']);
  });
});
