/**
 * Acceptance: for each of the seven tfjs optimizers, on the cpu and wasm backends, a float64
 * replay of training from the same weights and batches proves that batch k used the learning
 * rate Math.fround(schedule(k)) — and a replay shifted by one step does not match.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { getLearningRate, type LogsLike, learningRateScheduler } from '../src/index';
import { backends, useBackend } from './backend';
import { zigzag } from './browser/cases';
import { expectExactRates } from './replay-checks';
import { batchSize, makeModel, optimizerCases, readParameters, xRows, yRows } from './support';

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
        const exact = expectExactRates(
          name,
          schedule,
          epochs,
          tf.backend().epsilon(),
          { iterations: optimizer.iterations, announced, held, kept, observed },
          1e-4,
        );
        expect(exact).toBeLessThan(1e-4); // observed: 2.4e-5 at most; shifted by one: >= 1.25
        expect(logged).toEqual(expected);
        expect(history.history.lr).toEqual([expected[4], expected[9]]);
        tf.dispose([xs, ys]);
        model.dispose();
      });
    }
  });
}
