/**
 * Acceptance: tf.memory().numTensors is unchanged after 1,000 training steps with the callbacks
 * (every optimizer on cpu; Adam on wasm too).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { learningRateScheduler, reduceLROnPlateau, tensorBoard } from '../src/index';
import { type BackendName, useBackend } from './backend';
import { batchSize, makeModel, optimizerCases, xRows, yRows } from './support';

const cases: [BackendName, string][] = [
  ...Object.keys(optimizerCases).map((name): [BackendName, string] => ['cpu', name]),
  ['wasm', 'adam'],
];

describe('no tensor leak', () => {
  for (const [backend, name] of cases) {
    test(`${name} on ${backend}: numTensors unchanged after 1,000 steps`, async () => {
      await useBackend(backend);
      const optimizer = optimizerCases[name]!.make(0.01);
      const model = makeModel(optimizer);
      const xs = tf.tensor2d(xRows);
      const ys = tf.tensor2d(yRows);
      const schedule = {
        type: 'warmupCosineDecay',
        peakValue: 0.01,
        totalSteps: 1005,
        warmupSteps: 100,
      } as const;
      const scalars: number[] = [];
      const writer = { addScalar: (_tag: string, value: number) => void scalars.push(value) };
      const callbacks = () => [
        learningRateScheduler({ model, schedule }),
        tensorBoard(writer, { model, updateFreq: 'batch' }),
      ];
      // One epoch first, so that the optimizer has created its slot variables.
      await model.fit(xs, ys, { batchSize, epochs: 1, shuffle: false, verbose: 0, callbacks: callbacks() });
      const before = tf.memory().numTensors;
      await model.fit(xs, ys, {
        batchSize,
        epochs: 200, // 5 batches each: 1,000 steps
        shuffle: false,
        verbose: 0,
        yieldEvery: 'never',
        callbacks: callbacks(),
      });
      expect(optimizer.iterations).toBe(1005);
      expect(tf.memory().numTensors).toBe(before);
      expect(scalars.length).toBeGreaterThan(2000);
      tf.dispose([xs, ys]);
      model.dispose();
    });
  }

  test('reduceLROnPlateau over 1,000 steps on cpu: numTensors unchanged', async () => {
    await useBackend('cpu');
    const model = makeModel(tf.train.momentum(0.01, 0.9));
    const xs = tf.tensor2d(xRows);
    const ys = tf.tensor2d(yRows);
    const callback = () =>
      reduceLROnPlateau({
        model,
        monitor: 'loss',
        mode: 'max',
        patience: 0,
        factor: 0.99,
        initialValue: 0.01,
      });
    await model.fit(xs, ys, { batchSize, epochs: 1, shuffle: false, verbose: 0, callbacks: [callback()] });
    const before = tf.memory().numTensors;
    await model.fit(xs, ys, {
      batchSize,
      epochs: 200,
      shuffle: false,
      verbose: 0,
      yieldEvery: 'never',
      callbacks: [callback()],
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
