import { constant, ScheduleConfigError } from '@anneal/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { useBackend } from '../test/backend';
import { makeModel, readParameters, xRows, yRows } from '../test/support';
import { TrainingSetupError, UnsupportedOptimizerError } from './errors';
import { learningRateScheduler } from './learning-rate-scheduler';

beforeAll(async () => {
  await useBackend('cpu');
});

/** An optimizer tfjs accepts (it has minimize, computeGradients, applyGradients) whose learning rate is unreachable. */
class OpaqueOptimizer {
  readonly inner = tf.train.sgd(0.1);
  get iterations() {
    return this.inner.iterations;
  }
  minimize(...args: Parameters<tf.Optimizer['minimize']>) {
    return this.inner.minimize(...args);
  }
  computeGradients(...args: Parameters<tf.Optimizer['computeGradients']>) {
    return this.inner.computeGradients(...args);
  }
  applyGradients(...args: Parameters<tf.Optimizer['applyGradients']>) {
    return this.inner.applyGradients(...args);
  }
  getClassName() {
    return 'Opaque';
  }
  getConfig() {
    return {};
  }
  dispose() {
    this.inner.dispose();
  }
}

function messageOf(run: () => unknown): { message: string; paths: string[]; typed: boolean } {
  try {
    run();
  } catch (error) {
    return {
      message: (error as Error).message,
      paths: ScheduleConfigError.isInstance(error) ? error.issues.map((issue) => issue.path) : [],
      typed: ScheduleConfigError.isInstance(error),
    };
  }
  throw new Error('expected a throw');
}

/** Structurally an Adam-like optimizer: a numeric learningRate field and an update count. */
class FieldOptimizer {
  iterations = 0;
  learningRate = 0.1;
}

describe('learningRateScheduler: invalid arguments', () => {
  const model = { optimizer: new FieldOptimizer() };
  const schedule = constant({ value: 0.1 });
  test.each([
    [
      'not an object',
      undefined,
      'learningRateScheduler: args must be an args object ({ schedule, model or optimizer, ... }); received undefined.',
      [''],
    ],
    [
      'schedule missing',
      { model },
      'learningRateScheduler: schedule is required (a schedule, a schedule config object or a function of the step); received undefined.',
      ['schedule'],
    ],
    [
      'schedule of the wrong kind',
      { model, schedule: 0.1 },
      'learningRateScheduler: schedule must be a schedule, a schedule config object or a function of the step; received 0.1.',
      ['schedule'],
    ],
    [
      'a schedule config that does not validate',
      { model, schedule: { type: 'warmupCosineDecay', peakValue: -1, totalSteps: 10 } },
      'learningRateScheduler: schedule (warmupCosineDecay): peakValue must be a finite number >= 0; received -1.',
      ['schedule.peakValue'],
    ],
    [
      'neither model nor optimizer',
      { schedule },
      'learningRateScheduler: model (the LayersModel being trained) or optimizer is required, because tfjs does not hand plain callback objects the model; received undefined.',
      ['model'],
    ],
    [
      'both model and optimizer',
      { model, optimizer: model.optimizer, schedule },
      'learningRateScheduler: give model or optimizer, not both; received a FieldOptimizer.',
      ['optimizer'],
    ],
    [
      'a model without an optimizer property',
      { model: {}, schedule },
      'learningRateScheduler: model must be a tfjs LayersModel (an object with an optimizer property); received {}.',
      ['model'],
    ],
    [
      'stepsPerEpoch missing with updateEvery epoch',
      { model, schedule, updateEvery: 'epoch' },
      'learningRateScheduler: stepsPerEpoch is required when updateEvery is "epoch" (the step is optimizer.iterations; stepsPerEpoch turns it into the epoch the schedule reads); received undefined.',
      ['stepsPerEpoch'],
    ],
    [
      'an unknown updateEvery',
      { model, schedule, updateEvery: 'step' },
      'learningRateScheduler: updateEvery must be one of "batch", "epoch"; received "step".',
      ['updateEvery'],
    ],
    [
      'stepsPerEpoch 0',
      { model, schedule, stepsPerEpoch: 0 },
      'learningRateScheduler: stepsPerEpoch must be an integer >= 1; received 0.',
      ['stepsPerEpoch'],
    ],
    [
      'a fractional initialStep',
      { model, schedule, initialStep: 1.5 },
      'learningRateScheduler: initialStep must be an integer >= 0; received 1.5.',
      ['initialStep'],
    ],
    [
      'verbose as a Keras level',
      { model, schedule, verbose: 1 },
      'learningRateScheduler: verbose must be a function that receives each message, e.g. console.log (the package never writes to the console itself); received 1.',
      ['verbose'],
    ],
    [
      'onLearningRate not a function',
      { model, schedule, onLearningRate: true },
      'learningRateScheduler: onLearningRate must be a function (learningRate, step) => void; received true.',
      ['onLearningRate'],
    ],
    [
      'a misspelt option',
      { model, schedule, stepPerEpoch: 10 },
      'learningRateScheduler: unknown option "stepPerEpoch" (expected one of schedule, model, optimizer, updateEvery, stepsPerEpoch, initialStep, verbose, onLearningRate); received 10.',
      ['stepPerEpoch'],
    ],
  ])('%s → ScheduleConfigError', (_name, args, message, paths) => {
    const result = messageOf(() => learningRateScheduler(args as never));
    expect(result.typed).toBe(true);
    expect(result.message).toBe(message);
    expect(result.paths).toEqual(paths);
  });

  test('every issue is reported at once', () => {
    const result = messageOf(() =>
      learningRateScheduler({
        schedule: { type: 'cosineDecay' },
        updateEvery: 'epoch',
        initialStep: -1,
      } as never),
    );
    expect(result.typed).toBe(true);
    expect(result.message.split('\n')[0]).toMatch(/^learningRateScheduler: \d+ invalid options:$/);
    expect(result.paths).toEqual(expect.arrayContaining(['model', 'stepsPerEpoch', 'initialStep']));
    expect(result.paths.some((path) => path.startsWith('schedule.'))).toBe(true);
  });
});

describe('learningRateScheduler: problems surface before training starts', () => {
  test('an unsupported optimizer on a compiled model throws UnsupportedOptimizerError at construction', () => {
    const model = makeModel(new OpaqueOptimizer() as unknown as tf.Optimizer);
    let caught: unknown;
    try {
      learningRateScheduler({ model, schedule: constant({ value: 0.1 }) });
    } catch (error) {
      caught = error;
    }
    expect(UnsupportedOptimizerError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toMatch(
      /^learningRateScheduler: optimizer Opaque has no setLearningRate\(\) method and no numeric learningRate field/,
    );
    model.dispose();
  });

  test('compiled after the callback was made: fit rejects in onTrainBegin, before any batch', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 2 })] });
    const callback = learningRateScheduler({ model, schedule: constant({ value: 0.1 }) });
    model.compile({ optimizer: new OpaqueOptimizer() as unknown as tf.Optimizer, loss: 'meanSquaredError' });
    const weights = readParameters(model);
    const batches = vi.fn();
    const xs = tf.tensor2d(xRows);
    const ys = tf.tensor2d(yRows);
    await expect(
      model.fit(xs, ys, { epochs: 1, verbose: 0, callbacks: [callback, { onBatchBegin: batches }] }),
    ).rejects.toSatisfy(UnsupportedOptimizerError.isInstance);
    expect(batches).not.toHaveBeenCalled();
    expect(readParameters(model)).toEqual(weights);
    expect(model.optimizer.iterations).toBe(0);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  test('a model with no optimizer when training begins gets TrainingSetupError', async () => {
    const callback = learningRateScheduler({
      model: { optimizer: undefined },
      schedule: constant({ value: 0.1 }),
    });
    await expect(callback.onTrainBegin()).rejects.toSatisfy(TrainingSetupError.isInstance);
    await expect(callback.onTrainBegin()).rejects.toThrow(
      'learningRateScheduler: the model has no optimizer; compile it (model.compile({ optimizer, loss })) before calling fit.',
    );
  });
});

describe('learningRateScheduler: behaviour', () => {
  test('drives a bare optimizer; the step is initialStep + optimizer.iterations; lr goes into the logs', async () => {
    const optimizer = tf.train.adam(0.5);
    const schedule = (step: number) => 1 / (1 + step);
    const callback = learningRateScheduler({ optimizer, schedule, initialStep: 100 });
    expect(callback.schedule(3)).toBe(0.25);
    expect(callback.learningRate).toBeUndefined();
    await callback.onTrainBegin();
    const logs: Record<string, unknown> = {};
    await callback.onBatchBegin(0, logs);
    expect(logs.lr).toBe(Math.fround(1 / 101));
    expect(callback.learningRate).toBe(Math.fround(1 / 101));
    const epochLogs: Record<string, unknown> = { loss: 1 };
    await callback.onEpochEnd(0, epochLogs);
    expect(epochLogs).toEqual({ loss: 1, lr: Math.fround(1 / 101) });
    optimizer.dispose();
  });

  test('verbose receives one line per epoch; nothing is written to the console', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(() => {}),
    );
    const model = makeModel(tf.train.sgd(0.1));
    const messages: string[] = [];
    const xs = tf.tensor2d(xRows);
    const ys = tf.tensor2d(yRows);
    await model.fit(xs, ys, {
      batchSize: 8,
      epochs: 2,
      shuffle: false,
      verbose: 0,
      callbacks: [
        learningRateScheduler({
          model,
          schedule: (step) => 0.1 / (1 + step),
          verbose: (m) => messages.push(m),
        }),
      ],
    });
    expect(messages).toEqual([
      'learningRateScheduler: epoch 1 (step 0): learning rate 0.1, updated every batch.',
      `learningRateScheduler: epoch 2 (step 5): learning rate ${0.1 / 6}, updated every batch.`,
    ]);
    for (const spy of spies) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
    tf.dispose([xs, ys]);
    model.dispose();
  });

  test('accepts a Keras reference config, with Keras values at every step', async () => {
    const callback = learningRateScheduler({
      optimizer: new FieldOptimizer(),
      schedule: {
        api: 'keras.optimizers.schedules.ExponentialDecay',
        params: { initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5, staircase: true },
      },
    });
    // Keras: initial_learning_rate · decay_rate ^ floor(step / decay_steps)
    for (const step of [0, 9, 10, 25])
      expect(callback.schedule(step)).toBe(0.1 * 0.5 ** Math.floor(step / 10));
  });

  test('a custom schedule that returns a bad value fails the batch with core’s error', async () => {
    const optimizer = tf.train.sgd(0.1);
    const callback = learningRateScheduler({ optimizer, schedule: () => Number.NaN });
    await callback.onTrainBegin();
    await expect(callback.onBatchBegin(0, {})).rejects.toThrow(
      /must return a finite number >= 0; received NaN at step 0/,
    );
    optimizer.dispose();
  });
});
