/**
 * The step is the optimizer's update count in every way tfjs trains: fitDataset, fit with
 * validation (validation batches never advance it), epoch-wise updates, and callback lists that
 * tfjs calls unwrapped (first entry a tfjs callback class).
 */
import { warmupCosineDecay } from '@anneal/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { type LogsLike, learningRateScheduler, tensorBoard } from '../src/index';
import { useBackend } from './backend';
import {
  batchRows,
  batchSize,
  datasetOf,
  makeModel,
  optimizerCases,
  readParameters,
  replayErrors,
  xRows,
  yRows,
} from './support';

const zigzag = (k: number) => 0.1 * [1, 0.05, 0.5, 0.01, 0.25][k % 5]! * (1 + k / 10);

function recorder(model: tfl.LayersModel) {
  const observed: { before: number[]; after: number[] }[] = [];
  const batchLogs: LogsLike[] = [];
  let before: number[] = [];
  return {
    observed,
    batchLogs,
    probe: {
      onBatchBegin: async () => {
        before = readParameters(model);
      },
      onBatchEnd: async (_batch: number, logs?: LogsLike) => {
        observed.push({ before, after: readParameters(model) });
        batchLogs.push({ ...logs });
      },
    },
  };
}

describe('fit modes (cpu)', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  test('fitDataset: batch k trains with Math.fround(schedule(k)) (float64 replay)', async () => {
    const model = makeModel(tf.train.adam(1));
    const steps: number[] = [];
    const { observed, probe } = recorder(model);
    await model.fitDataset(datasetOf() as unknown as Parameters<typeof model.fitDataset>[0], {
      epochs: 2,
      verbose: 0,
      callbacks: [
        learningRateScheduler({ model, schedule: zigzag, onLearningRate: (_lr, step) => steps.push(step) }),
        probe,
      ],
    });
    expect(steps).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const errors = replayErrors(
      optimizerCases.adam!.replay(tf.backend().epsilon()),
      batchRows(2),
      observed,
      (k) => Math.fround(zigzag(k)),
    );
    expect(Math.max(...errors)).toBeLessThan(1e-4);
    model.dispose();
  });

  test('validation never advances the step (validationSplit and validationData)', async () => {
    for (const validation of [
      { validationSplit: 0.2 },
      { validationData: [tf.tensor2d(xRows), tf.tensor2d(yRows)] },
    ]) {
      const optimizer = tf.train.sgd(1);
      const model = makeModel(optimizer);
      const steps: number[] = [];
      const xs = tf.tensor2d(xRows);
      const ys = tf.tensor2d(yRows);
      const history = await model.fit(xs, ys, {
        batchSize,
        epochs: 3,
        shuffle: false,
        verbose: 0,
        ...(validation as object),
        callbacks: [
          learningRateScheduler({ model, schedule: zigzag, onLearningRate: (_lr, step) => steps.push(step) }),
        ],
      });
      const perEpoch = 'validationSplit' in validation ? 4 : 5;
      expect(steps).toEqual(Array.from({ length: 3 * perEpoch }, (_, k) => k));
      expect(optimizer.iterations).toBe(3 * perEpoch);
      expect(history.history.val_loss).toHaveLength(3);
      expect(history.history.lr).toEqual([1, 2, 3].map((epoch) => Math.fround(zigzag(epoch * perEpoch - 1))));
      tf.dispose([xs, ys]);
      model.dispose();
    }
  });

  test("updateEvery 'epoch': the rate is schedule(epoch), set before the epoch's first batch and held", async () => {
    const model = makeModel(tf.train.momentum(0.1, 0.9));
    const schedule = (epoch: number) => [0.05, 0.02, 0.01][epoch]!;
    const set: [number, number][] = [];
    const messages: string[] = [];
    const { batchLogs, probe } = recorder(model);
    const xs = tf.tensor2d(xRows);
    const ys = tf.tensor2d(yRows);
    await model.fit(xs, ys, {
      batchSize,
      epochs: 3,
      shuffle: false,
      verbose: 0,
      callbacks: [
        learningRateScheduler({
          model,
          schedule,
          updateEvery: 'epoch',
          stepsPerEpoch: 5,
          verbose: (message) => messages.push(message),
          onLearningRate: (lr, step) => set.push([lr, step]),
        }),
        probe,
      ],
    });
    expect(set).toEqual([
      [Math.fround(0.05), 0],
      [Math.fround(0.02), 5],
      [Math.fround(0.01), 10],
    ]);
    expect(batchLogs.map((logs) => logs.lr)).toEqual(
      [0.05, 0.02, 0.01].flatMap((lr) => new Array(5).fill(Math.fround(lr))),
    );
    expect(messages).toEqual([
      'learningRateScheduler: epoch 1 (step 0): setting learning rate to 0.05.',
      'learningRateScheduler: epoch 2 (step 5): setting learning rate to 0.02.',
      'learningRateScheduler: epoch 3 (step 10): setting learning rate to 0.01.',
    ]);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  test('stepsPerEpoch with batch updates reads the schedule at fractional epochs k / stepsPerEpoch', async () => {
    const model = makeModel(tf.train.adam(0.1));
    const schedule = warmupCosineDecay({ peakValue: 0.01, warmupSteps: 1, totalSteps: 3 }); // in epochs here
    const set: [number, number][] = [];
    const xs = tf.tensor2d(xRows);
    const ys = tf.tensor2d(yRows);
    await model.fit(xs, ys, {
      batchSize,
      epochs: 3,
      shuffle: false,
      verbose: 0,
      callbacks: [
        learningRateScheduler({
          model,
          schedule,
          stepsPerEpoch: 5,
          onLearningRate: (lr, step) => set.push([lr, step]),
        }),
      ],
    });
    expect(set).toEqual(Array.from({ length: 15 }, (_, k) => [Math.fround(schedule(k / 5)), k]));
    tf.dispose([xs, ys]);
    model.dispose();
  });

  test('works when tfjs calls it unwrapped (a tfjs callback first in the list) and logs hold tensors', async () => {
    const model = makeModel(tf.train.rmsprop(0.1));
    const set: number[] = [];
    const xs = tf.tensor2d(xRows);
    const ys = tf.tensor2d(yRows);
    const history = await model.fit(xs, ys, {
      batchSize,
      epochs: 2,
      shuffle: false,
      verbose: 0,
      callbacks: [
        tfl.callbacks.earlyStopping({ monitor: 'loss', patience: 100 }),
        learningRateScheduler({ model, schedule: zigzag, onLearningRate: (_lr, step) => set.push(step) }),
      ] as unknown as tfl.CustomCallbackArgs[],
    });
    expect(set).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(history.history.lr).toEqual([Math.fround(zigzag(4)), Math.fround(zigzag(9))]);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  test('callbacks carry only the handlers they need, and gain the others when tfjs calls them directly', () => {
    const model = makeModel(tf.train.sgd(0.1));
    const scheduler = learningRateScheduler({ model, schedule: zigzag });
    // No onBatchEnd: tfjs's wrapper would otherwise read the batch loss back (a sync) before calling it.
    expect(Object.keys(scheduler).filter((key) => key.startsWith('on'))).toEqual([
      'onTrainBegin',
      'onTrainEnd',
      'onEpochBegin',
      'onBatchBegin',
      'onEpochEnd',
    ]);
    const epochWriter = tensorBoard({ addScalar: () => {} });
    expect(
      Object.keys(epochWriter)
        .filter((key) => key.startsWith('on'))
        .sort(),
    ).toEqual(['onEpochEnd', 'onTrainEnd']);
    scheduler.setParams({});
    expect(typeof scheduler.onBatchEnd).toBe('function');
    model.dispose();
  });

  test('tensorBoard reads scalar tensors from the logs when tfjs calls it directly', async () => {
    const model = makeModel(tf.train.adam(0.01));
    const scalars: [string, number, number][] = [];
    const writer = {
      addScalar: (tag: string, value: number, step: number) => void scalars.push([tag, value, step]),
    };
    const xs = tf.tensor2d(xRows);
    const ys = tf.tensor2d(yRows);
    const history = await model.fit(xs, ys, {
      batchSize,
      epochs: 2,
      shuffle: false,
      verbose: 0,
      callbacks: [
        tfl.callbacks.earlyStopping({ monitor: 'loss', patience: 100 }),
        learningRateScheduler({ model, schedule: zigzag }),
        tensorBoard(writer, { model, updateFreq: 'batch' }),
      ] as unknown as tfl.CustomCallbackArgs[],
    });
    const epochLoss = scalars.filter(([tag]) => tag === 'epoch_loss');
    expect(epochLoss.map(([, value]) => value)).toEqual(history.history.loss);
    expect(scalars.filter(([tag]) => tag === 'batch_loss').map(([, , step]) => step)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(scalars.filter(([tag]) => tag === 'batch_learning_rate').map(([, value]) => value)).toEqual(
      Array.from({ length: 10 }, (_, k) => Math.fround(zigzag(k))),
    );
    tf.dispose([xs, ys]);
    model.dispose();
  });

  test('a callback object can be reused for a second fit; the step keeps counting', async () => {
    const model = makeModel(tf.train.adagrad(0.1));
    const steps: number[] = [];
    const callback = learningRateScheduler({
      model,
      schedule: zigzag,
      onLearningRate: (_lr, step) => steps.push(step),
    });
    const xs = tf.tensor2d(xRows);
    const ys = tf.tensor2d(yRows);
    for (let run = 0; run < 2; run++) {
      await model.fit(xs, ys, { batchSize, epochs: 1, shuffle: false, verbose: 0, callbacks: [callback] });
    }
    expect(steps).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(callback.learningRate).toBe(Math.fround(zigzag(9)));
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
