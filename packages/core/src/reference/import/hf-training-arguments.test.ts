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

/** hf-training-args.json (to_json_string()) with other arguments. */
function args(overrides: Record<string, unknown>): Record<string, unknown> {
  return { ...fixture('hf-training-args.json'), ...overrides };
}

const byMaxSteps = { num_train_epochs: 3, warmup_ratio: 0.0, lr_scheduler_kwargs: {} };

/** Golden transformers cases, as the TrainingArguments (and dataloader length) Trainer turns into them. */
const cases: readonly [
  string,
  Record<string, unknown>,
  { stepsPerEpoch?: number; updatesPerEpoch?: number },
][] = [
  ['hf-constant', { ...byMaxSteps, lr_scheduler_type: 'constant', warmup_steps: 10 }, {}],
  [
    'hf-constant-warmup-10',
    { ...byMaxSteps, lr_scheduler_type: 'constant_with_warmup', warmup_steps: 10 },
    {},
  ],
  ['hf-linear-w10-t50', { ...byMaxSteps, lr_scheduler_type: 'linear', warmup_steps: 10, max_steps: 50 }, {}],
  // 7 steps per epoch, one epoch: max_steps 7, warmup ceil(7 × 1.0) = 7
  [
    'hf-linear-w7-t7',
    {
      ...byMaxSteps,
      lr_scheduler_type: 'linear',
      num_train_epochs: 1,
      warmup_ratio: 1.0,
      gradient_accumulation_steps: 1,
    },
    { stepsPerEpoch: 7 },
  ],
  [
    'hf-cosine-w10-t50-c0.5',
    { ...byMaxSteps, lr_scheduler_type: 'cosine', max_steps: 50, warmup_ratio: 0.2 },
    {},
  ],
  [
    'hf-cosine-hard-restarts-w5-t35-c3',
    {
      ...byMaxSteps,
      lr_scheduler_type: 'cosine_with_restarts',
      max_steps: 35,
      warmup_steps: 5,
      lr_scheduler_kwargs: { num_cycles: 3 },
    },
    {},
  ],
  [
    'hf-poly-w5-t30-default',
    { ...byMaxSteps, lr_scheduler_type: 'polynomial', max_steps: 30, warmup_steps: 5 },
    {},
  ],
  ['hf-inverse-sqrt-w10', { ...byMaxSteps, lr_scheduler_type: 'inverse_sqrt', warmup_steps: 10 }, {}],
  // transformers 5: warmup_steps below 1 is a ratio: ceil(50 × 0.2) = 10
  [
    'hf-cosine-minlr-rate0.1-w10-t50',
    {
      ...byMaxSteps,
      lr_scheduler_type: 'cosine_with_min_lr',
      max_steps: 50,
      warmup_steps: 0.2,
      lr_scheduler_kwargs: '{"min_lr_rate": 0.1}',
    },
    {},
  ],
  [
    'hf-cosine-warmup-minlr-lrrate-default',
    {
      ...byMaxSteps,
      lr_scheduler_type: 'cosine_warmup_with_min_lr',
      max_steps: 50,
      warmup_steps: 10,
      lr_scheduler_kwargs: { min_lr_rate: 0.1 },
    },
    {},
  ],
  // 4 epochs of 15 updates: 60 steps
  [
    'hf-wsd-linear-cosine',
    {
      ...byMaxSteps,
      lr_scheduler_type: 'warmup_stable_decay',
      num_train_epochs: 4,
      warmup_steps: 10,
      lr_scheduler_kwargs: { num_decay_steps: 20 },
    },
    { updatesPerEpoch: 15 },
  ],
];

describe('importSchedule: transformers TrainingArguments', () => {
  it("reads to_json_string() output with the dataloader length: Trainer's step counts (golden hf-cosine-w5-t45-c1.5)", () => {
    // 30 batches per epoch, gradient_accumulation_steps 2: 15 updates per epoch, 3 epochs: 45 steps;
    // warmup_ratio 0.1: ceil(45 × 0.1) = 5 warm-up steps; lr_scheduler_kwargs num_cycles 1.5
    const result = scheduleOf(importSchedule(fixture('hf-training-args.json'), { stepsPerEpoch: 30 }));
    expect(result.format).toBe('hf-training-arguments');
    const expected = golden('transformers', 'hf-cosine-w5-t45-c1.5');
    expectGolden(result.schedule, expected, 'hf-cosine-w5-t45-c1.5');
    const { report } = result;
    expect(report.stepUnit).toBe('update');
    expect(report.assumed).toContainEqual(
      expect.objectContaining({ key: 'num_update_steps_per_epoch', value: 15 }),
    );
    expect(report.notes).toContain(
      'num_training_steps = ceil(num_train_epochs × num_update_steps_per_epoch) = ceil(3 × 15) = 45.',
    );
    expect(report.notes).toContain(
      'num_warmup_steps = ceil(num_training_steps × warmup_ratio) = ceil(45 × 0.1) = 5.',
    );
    expect(report.read).toContainEqual({ key: 'lr_scheduler_kwargs', value: { num_cycles: 1.5 } });
    expect(report.ignored).toContainEqual({ key: 'output_dir' });
    expect(report.ignored).toContainEqual({
      key: 'optim',
      reason: 'the optimizer, not the schedule (its learning rate is learning_rate)',
    });
    expect(report.ignored).toContainEqual(expect.objectContaining({ key: 'per_device_train_batch_size' }));
    const keys = [...report.read, ...report.ignored].map((entry) => entry.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(Object.keys(fixture('hf-training-args.json')).sort());
  });

  it.each(cases)('%s: the values transformers computed', (id, overrides, options) => {
    const expected = golden('transformers', id);
    const result = scheduleOf(importSchedule(args(overrides), options));
    expectGolden(result.schedule, expected, id);
    const again = fromConfig(JSON.parse(JSON.stringify(result.config)));
    for (const k of expected.steps) expect(again(k as number)).toBe(result.schedule(k as number));
  });

  it("an HfArgumentParser YAML recipe: Trainer's cosine over one epoch, model and data keys ignored", () => {
    // 1000 batches per device per epoch, gradient_accumulation_steps 1: 1000 steps; warm-up ceil(1000 × 0.1) = 100
    const result = scheduleOf(importSchedule(fixture('hf-sft-recipe.yaml'), { stepsPerEpoch: 1000 }));
    expect(result.format).toBe('hf-training-arguments');
    // transformers' get_cosine_schedule_with_warmup, restated: k / 100 during the warm-up, then
    // 0.5 · (1 + cos(π · (k − 100) / 900)), times learning_rate
    const lr = 2e-5;
    const expected = (k: number) =>
      k < 100 ? (lr * k) / 100 : lr * 0.5 * (1 + Math.cos((Math.PI * (k - 100)) / 900));
    for (const k of [0, 1, 50, 99, 100, 101, 550, 999]) {
      const value = result.schedule(k);
      expect(Math.abs(value - expected(k))).toBeLessThanOrEqual(Math.max(1e-12 * expected(k), 1e-20));
    }
    expect(result.report.ignored).toContainEqual({ key: 'model_name_or_path' });
    expect(result.report.ignored).toContainEqual({ key: 'max_seq_length' });
    expect(result.report.read).toContainEqual({ key: 'warmup_ratio', value: 0.1 });
  });

  it('fractional epochs: max_steps = ceil(num_train_epochs × updates per epoch)', () => {
    const result = importSchedule(
      args({ num_train_epochs: 2.5, lr_scheduler_type: 'linear', lr_scheduler_kwargs: {} }),
      {
        stepsPerEpoch: 31,
      },
    );
    // ceil(31 / 2) = 16 updates per epoch; ceil(2.5 × 16) = 40 steps; warm-up ceil(40 × 0.1) = 4
    expect(result.report.notes).toContain(
      'num_training_steps = ceil(num_train_epochs × num_update_steps_per_epoch) = ceil(2.5 × 16) = 40.',
    );
    expect(result.report.notes).toContain(
      'num_warmup_steps = ceil(num_training_steps × warmup_ratio) = ceil(40 × 0.1) = 4.',
    );
  });

  it('max_steps > 0 wins over the epochs, which are then ignored', () => {
    const result = importSchedule(args({ max_steps: 100 }));
    expect(result.report.ignored).toContainEqual({ key: 'num_train_epochs', reason: 'max_steps > 0 wins' });
    expect(result.report.notes).toContain(
      'num_training_steps = max_steps = 100 (max_steps > 0 wins over num_train_epochs).',
    );
  });

  it('kwargs get_scheduler does not pass on are reported as ignored (inverse_sqrt drops timescale)', () => {
    const result = scheduleOf(
      importSchedule(
        args({
          lr_scheduler_type: 'inverse_sqrt',
          warmup_ratio: 0,
          warmup_steps: 5,
          lr_scheduler_kwargs: { timescale: 20 },
        }),
      ),
    );
    expect(result.report.ignored).toContainEqual({
      key: 'lr_scheduler_kwargs.timescale',
      reason: 'get_scheduler does not pass lr_scheduler_kwargs to get_inverse_sqrt_schedule',
    });
    // timescale defaults to num_warmup_steps (5), shift = timescale - num_warmup_steps = 0: 1 / sqrt(k / 5)
    expect(result.schedule(15)).toBeCloseTo(0.1 / Math.sqrt(15 / 5), 15);
  });

  it('reduce_lr_on_plateau: torch ReduceLROnPlateau from lr_scheduler_kwargs (golden torch-plateau-min-rel)', () => {
    const expected = golden('pytorch', 'torch-plateau-min-rel');
    const result = importSchedule(
      args({
        lr_scheduler_type: 'reduce_lr_on_plateau',
        lr_scheduler_kwargs: {
          mode: 'min',
          factor: 0.5,
          patience: 2,
          threshold: 0.0001,
          threshold_mode: 'rel',
        },
      }),
    );
    const values = plateauValues(result, expected.metrics);
    expectValues(values, expected.lr, 'torch-plateau-min-rel');
    expect(result.report.stepUnit).toBe('report');
    expect(result.report.ignored).toContainEqual({
      key: 'warmup_ratio',
      reason: 'reduce_lr_on_plateau has no warm-up and no length',
    });
    const again = fromReference(JSON.parse(JSON.stringify(result.config)));
    expect('report' in again).toBe(true);
  });

  it('keys TrainingArguments would default are assumed, with the default', () => {
    const result = importSchedule({ learning_rate: 0.001, lr_scheduler_type: 'cosine', max_steps: 1000 });
    expect(result.report.assumed).toContainEqual({
      key: 'warmup_ratio',
      value: 0,
      reason: "absent: TrainingArguments' default",
    });
    expect(result.report.assumed.map((entry) => entry.key)).not.toContain('num_train_epochs');
  });

  it('a fractional warmup_steps above 1 is truncated, as transformers 5 does', () => {
    const result = importSchedule(args({ max_steps: 50, warmup_steps: 12.5 }));
    expect(result.report.assumed).toContainEqual({
      key: 'num_warmup_steps',
      value: 12,
      reason: "int(warmup_steps) = int(12.5), as transformers 5's get_warmup_steps truncates it",
    });
  });

  it('schedules without a length need no dataloader length', () => {
    const result = importSchedule(
      args({ lr_scheduler_type: 'constant_with_warmup', warmup_ratio: 0, warmup_steps: 10 }),
    );
    expect(result.kind).toBe('schedule');
  });

  it('a DeepSpeed config given as a file is reported as not read', () => {
    const result = importSchedule(args({ deepspeed: 'ds_config.json' }), { stepsPerEpoch: 30 });
    expect(result.report.ignored).toContainEqual(expect.objectContaining({ key: 'deepspeed' }));
  });
});

describe('importSchedule: bad TrainingArguments', () => {
  it.each([
    [
      'an unknown lr_scheduler_type, with the supported list',
      { lr_scheduler_type: 'cosine_annealing' },
      'importSchedule (transformers TrainingArguments): unknown lr_scheduler_type "cosine_annealing": expected one of linear, cosine, cosine_with_restarts, polynomial, constant, constant_with_warmup, inverse_sqrt, reduce_lr_on_plateau, cosine_with_min_lr, cosine_warmup_with_min_lr, warmup_stable_decay; received "cosine_annealing".',
    ],
    [
      'a wrong type (field, expected, received)',
      { learning_rate: '5e-5' },
      'importSchedule (transformers TrainingArguments): learning_rate must be a finite number >= 0; received "5e-5".',
    ],
    [
      'lr_scheduler_kwargs that is not JSON',
      { lr_scheduler_kwargs: '{num_cycles: 2}' },
      'importSchedule (transformers TrainingArguments): lr_scheduler_kwargs must be an object, or a JSON string of one; received "{num_cycles: 2}".',
    ],
    [
      "a DeepSpeed scheduler, which would replace Trainer's",
      { deepspeed: { scheduler: { type: 'WarmupLR' } } },
      'importSchedule (transformers TrainingArguments): deepspeed.scheduler is not supported: DeepSpeed\'s own scheduler replaces the one TrainingArguments describe; remove it to use lr_scheduler_type; received {"type":"WarmupLR"}.',
    ],
    [
      'a kwarg the schedule function does not take, named by its key',
      { lr_scheduler_kwargs: { num_cycle: 2 } },
      'importSchedule (transformers TrainingArguments): lr_scheduler_kwargs.num_cycle: transformers.optimization.get_cosine_schedule_with_warmup: unknown parameter "num_cycle" (expected one of num_warmup_steps, num_training_steps, num_cycles, last_epoch); received 2.',
    ],
  ])('%s', (_label, overrides, message) => {
    expect(importFailure(args(overrides), { stepsPerEpoch: 30 }).message).toBe(message);
  });

  it('epochs without a dataloader length name the missing option', () => {
    const error = importFailure(fixture('hf-training-args.json'));
    expect(error.issues[0]?.path).toBe('options.stepsPerEpoch');
    expect(error.message).toMatch(
      /^importSchedule \(transformers TrainingArguments\): options\.stepsPerEpoch is required: max_steps is -1/,
    );
  });
});
