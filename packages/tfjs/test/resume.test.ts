/**
 * Acceptance: train 2 epochs, save (weights and optimizer), load, train 2 more → the same
 * weights, bit for bit, as 4 uninterrupted epochs: the schedule continues from the optimizer's
 * restored update count.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, test } from 'vitest';
import { learningRateScheduler } from '../src/index';
import { backends, useBackend } from './backend';
import { batchSize, makeModel, optimizerCases, readParameters, xRows, yRows } from './support';

const schedule = { type: 'warmupCosineDecay', peakValue: 0.05, totalSteps: 20, warmupSteps: 5 } as const;

async function saveToMemory(
  model: tfl.LayersModel,
  includeOptimizer: boolean,
): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer },
  );
  return saved!;
}

async function train(
  model: tfl.LayersModel,
  epochs: number,
  steps: number[],
  initialStep = 0,
): Promise<void> {
  const xs = tf.tensor2d(xRows);
  const ys = tf.tensor2d(yRows);
  await model.fit(xs, ys, {
    batchSize,
    epochs,
    shuffle: false,
    verbose: 0,
    callbacks: [
      learningRateScheduler({
        model,
        schedule,
        initialStep,
        onLearningRate: (_lr, step) => steps.push(step),
      }),
    ],
  });
  tf.dispose([xs, ys]);
}

for (const backend of backends) {
  describe(`resume on ${backend}`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });

    for (const name of ['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad', 'adadelta']) {
      test(`${name}: 2 epochs, save, load, 2 epochs = 4 uninterrupted epochs`, async () => {
        const make = optimizerCases[name]!.make;
        const straight = makeModel(make(0.01));
        const straightSteps: number[] = [];
        await train(straight, 4, straightSteps);

        const first = makeModel(make(0.01));
        const resumedSteps: number[] = [];
        await train(first, 2, resumedSteps);
        const artifacts = await saveToMemory(first, true);
        const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
        expect(loaded.optimizer.iterations).toBe(10);
        await train(loaded, 2, resumedSteps);

        expect(resumedSteps).toEqual(straightSteps);
        expect(readParameters(loaded)).toEqual(readParameters(straight));
        for (const model of [straight, first, loaded]) model.dispose();
      });
    }
  });
}

describe('resume controls (cpu)', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  async function resumeWithoutOptimizer(name: string, initialStep: number) {
    const make = optimizerCases[name]!.make;
    const straight = makeModel(make(0.01));
    const straightSteps: number[] = [];
    await train(straight, 4, straightSteps);
    const first = makeModel(make(0.01));
    const resumedSteps: number[] = [];
    await train(first, 2, resumedSteps);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(await saveToMemory(first, false)));
    loaded.compile({ optimizer: make(0.01), loss: 'meanSquaredError' });
    expect(loaded.optimizer.iterations).toBe(0);
    await train(loaded, 2, resumedSteps, initialStep);
    const result = {
      straightSteps,
      resumedSteps,
      straight: readParameters(straight),
      resumed: readParameters(loaded),
    };
    for (const model of [straight, first, loaded]) model.dispose();
    return result;
  }

  test('a model saved without its optimizer restarts the schedule at step 0 and ends elsewhere', async () => {
    const run = await resumeWithoutOptimizer('sgd', 0);
    expect(run.resumedSteps).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(run.resumed).not.toEqual(run.straight);
  });

  test('initialStep continues the schedule when the optimizer restarted (SGD has no other state)', async () => {
    const run = await resumeWithoutOptimizer('sgd', 10);
    expect(run.resumedSteps).toEqual(run.straightSteps);
    expect(run.resumed).toEqual(run.straight);
  });

  test('initialStep restores the schedule but not Adam moments: the weights differ', async () => {
    const run = await resumeWithoutOptimizer('adam', 10);
    expect(run.resumedSteps).toEqual(run.straightSteps);
    expect(run.resumed).not.toEqual(run.straight);
  });
});
