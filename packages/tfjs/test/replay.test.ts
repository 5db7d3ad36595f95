/**
 * Acceptance: for each of the seven tfjs optimizers, on the cpu and wasm backends, a float64
 * replay of training from the same weights and batches proves that batch k used the learning
 * rate Math.fround(schedule(k)) — and a replay shifted by one step does not match.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { getLearningRate, type LogsLike, learningRateScheduler } from '../src/index';
import { backends, useBackend } from './backend';
import {
  batchRows,
  batchSize,
  makeModel,
  optimizerCases,
  readParameters,
  replayErrors,
  xRows,
  yRows,
} from './support';

/** Neighbouring steps differ by a factor of 2 to 50, so an off-by-one replay cannot match. */
const zigzag = (k: number) => [1, 0.05, 0.5, 0.01, 0.25][k % 5]! * (1 + k / 10);
const epochs = 2;
const steps = 10;

for (const backend of backends) {
  describe(`learningRateScheduler on ${backend}`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });

    for (const [name, optimizerCase] of Object.entries(optimizerCases)) {
      test(`${name}: batch k trains with Math.fround(schedule(k)), proved by a float64 replay`, async () => {
        const schedule = (k: number) => optimizerCase.scale * zigzag(k);
        const optimizer = optimizerCase.make(schedule(0) * 7); // a wrong initial rate: step 0 must override it
        const model = makeModel(optimizer);
        const announced: [number, number][] = [];
        const held: number[] = [];
        const kept: number[] = [];
        const logged: unknown[] = [];
        const observed: { before: number[]; after: number[] }[] = [];
        let before: number[] = [];
        const probe = {
          onBatchBegin: async () => {
            held.push(getLearningRate(optimizer));
            // SGD and Momentum multiply by a kept scalar c = -lr: read the tensor the update uses.
            const c = (optimizer as unknown as { c?: tf.Scalar }).c;
            if (c) kept.push(-c.dataSync()[0]!);
            before = readParameters(model);
          },
          onBatchEnd: async (_batch: number, logs?: LogsLike) => {
            observed.push({ before, after: readParameters(model) });
            logged.push(logs?.lr);
          },
        };
        const xs = tf.tensor2d(xRows);
        const ys = tf.tensor2d(yRows);
        const history = await model.fit(xs, ys, {
          batchSize,
          epochs,
          shuffle: false,
          verbose: 0,
          callbacks: [
            learningRateScheduler({
              model,
              schedule,
              onLearningRate: (lr, step) => announced.push([lr, step]),
            }),
            probe,
          ],
        });

        const expected = Array.from({ length: steps }, (_, k) => Math.fround(schedule(k)));
        expect(optimizer.iterations).toBe(steps);
        expect(announced).toEqual(expected.map((lr, k) => [lr, k]));
        expect(held).toEqual(Array.from({ length: steps }, (_, k) => schedule(k)));
        if (name === 'sgd' || name === 'momentum') expect(kept).toEqual(expected);
        expect(logged).toEqual(expected);
        expect(history.history.lr).toEqual([expected[4], expected[9]]);

        const batches = batchRows(epochs);
        const replay = (rateAt: (k: number) => number) =>
          Math.max(...replayErrors(optimizerCase.replay(tf.backend().epsilon()), batches, observed, rateAt));
        const exact = replay((k) => expected[k]!);
        expect(exact).toBeLessThan(1e-4); // observed: 2.4e-5 at most
        // Off by one in either direction: the replay must not match.
        expect(replay((k) => Math.fround(schedule(Math.max(0, k - 1))))).toBeGreaterThan(0.5); // observed: >= 1.25
        expect(replay((k) => Math.fround(schedule(k + 1)))).toBeGreaterThan(0.5); // observed: >= 19
        tf.dispose([xs, ys]);
        model.dispose();
      });
    }
  });
}
