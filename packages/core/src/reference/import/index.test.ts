import { describe, expect, it } from 'vitest';
import { fromConfig } from '../../config';
import { fromAnyConfig } from '../from-reference';
import { expectGolden, expectValues, fixture, golden, importFailure, scheduleOf } from './import.test-utils';
import { detectFormat, importFormats, importSchedule } from './index';

describe('detectFormat', () => {
  it.each([
    ['timm-args.yaml', 'timm-args'],
    ['hf-training-args.json', 'hf-training-arguments'],
    ['lightning-config.yaml', 'lightning-config'],
    ['lightning-config-plateau.yaml', 'lightning-config'],
    ['keras-model-config.json', 'keras-model'],
    ['keras-schedule.json', 'keras-schedule'],
  ])('%s is %s', (name, format) => {
    expect(detectFormat(fixture(name))).toBe(format);
  });

  it('native and reference configs', () => {
    expect(detectFormat({ type: 'constant', value: 0.1 })).toBe('anneal');
    expect(
      detectFormat({ api: 'torch.optim.lr_scheduler.StepLR', params: { step_size: 3 }, base_lr: 0.1 }),
    ).toBe('reference');
  });

  it('nothing it knows', () => {
    expect(detectFormat({ learning_rate: 0.1 })).toBeUndefined();
    expect(detectFormat([1, 2])).toBeUndefined();
    expect(detectFormat('cosine')).toBeUndefined();
  });
});

describe('importSchedule: Keras, native and reference configs', () => {
  it("a Keras model's config.json: the optimizer's schedule (golden keras-cosine-warmup)", () => {
    const result = scheduleOf(importSchedule(fixture('keras-model-config.json')));
    expect(result.format).toBe('keras-model');
    const expected = golden('keras', 'keras-cosine-warmup');
    expectGolden(result.schedule, expected, 'keras-cosine-warmup');
    const path = 'compile_config.optimizer.config.learning_rate';
    expect(result.report.read).toContainEqual({ key: `${path}.class_name`, value: 'CosineDecay' });
    expect(result.report.read).toContainEqual({ key: `${path}.config.warmup_steps`, value: 10 });
    expect(result.report.ignored).toContainEqual({ key: `${path}.config.name`, reason: 'a name only' });
    expect(result.report.ignored).toContainEqual({
      key: 'compile_config.optimizer.config.beta_1',
      reason: 'the optimizer, not the schedule',
    });
    expect(result.report.ignored).toContainEqual({
      key: 'build_config',
      reason: 'the model, not the schedule',
    });
    expect(result.report.stepUnit).toBe('update');
  });

  it('a Keras optimizer with gradient accumulation still calls the schedule every batch', () => {
    const model = fixture('keras-model-config.json');
    const compile = model.compile_config as { optimizer: { config: Record<string, unknown> } };
    compile.optimizer.config.gradient_accumulation_steps = 4;
    const result = importSchedule(model);
    expect(result.report.stepUnit).toBe('batch');
    expect(result.report.read).toContainEqual({
      key: 'compile_config.optimizer.config.gradient_accumulation_steps',
      value: 4,
    });
  });

  it('a serialized Keras schedule (golden keras-sgdr-tmul1.5-mmul0.8)', () => {
    const result = scheduleOf(importSchedule(fixture('keras-schedule.json')));
    expect(result.format).toBe('keras-schedule');
    const expected = golden('keras', 'keras-sgdr-tmul1.5-mmul0.8');
    expectGolden(result.schedule, expected, 'keras-sgdr-tmul1.5-mmul0.8');
    expect(result.report.ignored).toContainEqual({
      key: 'registered_name',
      reason: 'Keras bookkeeping, not the schedule',
    });
  });

  it('a native config comes back as its normalized self', () => {
    const input = { type: 'warmupCosineDecay', peakValue: 0.1, warmupSteps: 10, totalSteps: 100 };
    const result = scheduleOf(importSchedule(input));
    expect(result.format).toBe('anneal');
    expect(result.schedule(50)).toBe(fromConfig(input)(50));
    expect(result.config).toMatchObject(input);
  });

  it('a reference config gives the native config, which fromAnyConfig re-reads (the convert round trip)', () => {
    const input = {
      api: 'torch.optim.lr_scheduler.OneCycleLR',
      params: { max_lr: 0.1, total_steps: 30 },
      base_lr: 0.1,
    };
    const result = importSchedule(input);
    expect(result.format).toBe('reference');
    expect('type' in result.config).toBe(true);
    const expected = golden('pytorch', 'torch-onecycle-cos');
    const again = fromAnyConfig(JSON.parse(JSON.stringify(result.config)));
    expectValues(
      expected.steps.map((k) => again(k as number)),
      expected.lr,
      'torch-onecycle-cos',
    );
  });

  it("every format's config re-reads to the same values (fixtures)", () => {
    for (const [name, options] of [
      ['timm-args.yaml', {}],
      ['timm-args-lr-base.yaml', { updatesPerEpoch: 40 }],
      ['hf-training-args.json', { stepsPerEpoch: 30 }],
      ['lightning-config.yaml', { stepsPerEpoch: 64 }],
      ['keras-model-config.json', {}],
      ['keras-schedule.json', {}],
    ] as const) {
      const result = scheduleOf(importSchedule(fixture(name), options));
      const again = fromAnyConfig(JSON.parse(JSON.stringify(result.config)));
      for (const step of [0, 1, 7, 33, 250, 1999]) expect(again(step)).toBe(result.schedule(step));
    }
  });
});

describe('importSchedule: bad input', () => {
  it('an object of no known format names every format', () => {
    const error = importFailure({ learning_rate: 0.1, epochs: 3 });
    expect(error.message).toContain('importSchedule: the input is none of the formats read (');
    for (const { format } of importFormats) expect(error.message).toContain(`${format}: `);
    expect(error.message).toContain('received an object with keys learning_rate, epochs.');
  });

  it.each([
    [null, 'null'],
    ['cosine', '"cosine"'],
    [[1, 2], '[1,2]'],
  ])('%j is refused', (input, shown) => {
    expect(importFailure(input).message).toContain(`received ${shown}.`);
  });

  it.each([
    [{ stepsPerEpoch: 0 }, 'importSchedule: options.stepsPerEpoch must be an integer >= 1; received 0.'],
    [
      { updatesPerEpoch: 2.5 },
      'importSchedule: options.updatesPerEpoch must be an integer >= 1; received 2.5.',
    ],
    [{ worldSize: '8' }, 'importSchedule: options.worldSize must be an integer >= 1; received "8".'],
    [
      { stepPerEpoch: 10 },
      'importSchedule: unknown option "stepPerEpoch" (expected one of stepsPerEpoch, updatesPerEpoch, worldSize); received 10.',
    ],
    [
      5,
      'importSchedule: options must be an options object { stepsPerEpoch?, updatesPerEpoch?, worldSize? }; received 5.',
    ],
  ])('options %j', (options, message) => {
    expect(importFailure(fixture('timm-args.yaml'), options).message).toBe(message);
  });

  it('a Keras model config without an optimizer names the missing level', () => {
    const { compile_config: _dropped, ...model } = fixture('keras-model-config.json');
    const error = importFailure({ ...model, compile_config: { loss: 'mse' } });
    expect(error.message).toBe(
      'fromAnyConfig (Keras model config): compile_config.optimizer must be the serialized optimizer (a compiled model); received undefined.',
    );
  });
});
