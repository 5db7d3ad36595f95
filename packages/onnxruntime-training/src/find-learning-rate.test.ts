import { constant, RangeTestConfigError } from '@anneal/core';
import { describe, expect, it } from 'vitest';
import { FeedError } from './errors';
import { buildTrainingGraph } from './graph/build';
import type { OptimizerSpec } from './graph/spec';
import { initParameters } from './init';
import { createTrainer } from './node/trainer';
import type { Trainer } from './trainer/trainer';

/**
 * Linear regression with a known stability bound. Each batch of 8 rows holds ±cⱼ·eⱼ (j = 0…3,
 * c = 1, 2, 3, 4); the model is one dense unit (x·w + b) with loss mean((ŷ − y)²). Every batch
 * has the Hessian 2·diag(c² / 4, 1), so λmax = 8 and SGD is stable exactly below 2 / 8 = 0.25.
 * Batch k's targets come from w* + δₖ, so the iterate is kicked every step as in real SGD.
 */
const stableBound = 0.25;
function regressionBatches(count = 16): { x: Float32Array; y: Float32Array }[] {
  const c = [1, 2, 3, 4];
  const batches: { x: Float32Array; y: Float32Array }[] = [];
  for (let k = 0; k < count; k++) {
    const target = [0, 1, 2, 3, 4].map((i) => -1 + i / 2 + 0.3 * Math.sin(1.3 * i + 2.1 * k));
    const x: number[] = [];
    const y: number[] = [];
    for (let j = 0; j < 4; j++)
      for (const sign of [1, -1]) {
        const row = [0, 1, 2, 3].map((i) => (i === j ? sign * (c[j] as number) : 0));
        x.push(...row);
        y.push(row.reduce((sum, value, i) => sum + value * (target[i] as number), target[4] as number));
      }
    batches.push({ x: Float32Array.from(x), y: Float32Array.from(y) });
  }
  return batches;
}

async function regressionTrainer(optimizer: OptimizerSpec, zeros = true): Promise<Trainer> {
  const graph = buildTrainingGraph({
    inputShape: [4],
    layers: [{ type: 'dense', units: 1 }],
    loss: 'meanSquaredError',
    optimizer,
  });
  const parameters = initParameters({ graph, seed: 3 });
  if (zeros) for (const values of Object.values(parameters)) values.fill(0);
  return createTrainer({ model: graph, schedule: constant({ value: 0.01 }), parameters });
}

function snapshot(trainer: Trainer) {
  return {
    parameters: trainer.parameters(),
    state: trainer.optimizerState(),
    step: trainer.currentStep,
    skipped: trainer.skippedSteps,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('trainer.findLearningRate on linear regression with a known stability bound (0.25)', () => {
  it('finds the divergence within a factor of 1.5, suggests below it, and restores the trainer exactly', async () => {
    const trainer = await regressionTrainer({ type: 'sgd' });
    const before = snapshot(trainer);
    const result = await trainer.findLearningRate(regressionBatches(), {
      minValue: 1e-3,
      maxValue: 1,
      steps: 200,
    });
    expect(result.stopReason).toBe('diverged');
    const ratio = (result.divergenceValue as number) / stableBound;
    expect(ratio).toBeGreaterThan(1 / 1.5);
    expect(ratio).toBeLessThan(1.5);
    const { steepest, valley, minimum } = result.suggestions!;
    for (const suggestion of [steepest, valley, minimum]) expect(suggestion.value).toBeLessThan(stableBound);
    expect(snapshot(trainer)).toEqual(before);
    await trainer.release();
  });

  it('feeds Math.fround(sweep(k)) as the learning rate of sweep step k', async () => {
    const trainer = await regressionTrainer({ type: 'sgd' });
    const batches = regressionBatches(2);
    const result = await trainer.findLearningRate(batches, { minValue: 1e-3, maxValue: 1, steps: 10 });
    // Replay the first two steps with trainer.step under a schedule that gives the same values.
    const replay = await createTrainer({
      model: buildTrainingGraph({
        inputShape: [4],
        layers: [{ type: 'dense', units: 1 }],
        loss: 'meanSquaredError',
        optimizer: { type: 'sgd' },
      }),
      schedule: (step) => result.learningRates[step] as number,
      parameters: trainer.parameters(),
    });
    expect(await replay.step(batches[0]!.x, batches[0]!.y)).toBe(result.losses[0]);
    expect(await replay.step(batches[1]!.x, batches[1]!.y)).toBe(result.losses[1]);
    expect(replay.learningRate(1)).toBe(Math.fround(result.learningRates[1] as number));
    await Promise.all([trainer.release(), replay.release()]);
  });
});

describe('trainer.findLearningRate restores parameters, optimizer state and step exactly', () => {
  const optimizers: [string, OptimizerSpec][] = [
    ['sgd', { type: 'sgd' }],
    ['momentum sgd', { type: 'sgd', momentum: 0.9 }],
    ['adam', { type: 'adam' }],
    ['adamw', { type: 'adamw' }],
  ];
  for (const [name, optimizer] of optimizers) {
    it(`${name}, after some training, and trains on identically afterwards`, async () => {
      const batches = regressionBatches();
      const trainer = await regressionTrainer(optimizer, false);
      const twin = await regressionTrainer(optimizer, false);
      for (const batch of batches.slice(0, 5)) {
        await trainer.step(batch.x, batch.y);
        await twin.step(batch.x, batch.y);
      }
      const before = snapshot(trainer);
      const result = await trainer.findLearningRate(batches, { minValue: 1e-4, maxValue: 10, steps: 40 });
      expect(result.learningRates.length).toBeGreaterThan(0);
      expect(snapshot(trainer)).toEqual(before);
      // the next update equals the one a trainer that never ran the test makes
      expect(await trainer.step(batches[5]!.x, batches[5]!.y)).toBe(
        await twin.step(batches[5]!.x, batches[5]!.y),
      );
      expect(trainer.parameters()).toEqual(twin.parameters());
      expect(trainer.optimizerState()).toEqual(twin.optimizerState());
      await Promise.all([trainer.release(), twin.release()]);
    });
  }
});

describe('trainer.findLearningRate batches and stops', () => {
  it('repeats an array of batches while the sweep needs more', async () => {
    const trainer = await regressionTrainer({ type: 'sgd' });
    const result = await trainer.findLearningRate(regressionBatches(3), {
      minValue: 1e-4,
      maxValue: 1e-2,
      steps: 25,
    });
    expect(result.stopReason).toBe('completed');
    expect(result.learningRates).toHaveLength(25);
    await trainer.release();
  });

  it('an exhausted generator ends the test as dataExhausted', async () => {
    const trainer = await regressionTrainer({ type: 'sgd' });
    const source = regressionBatches(4);
    async function* once() {
      yield* source;
    }
    const result = await trainer.findLearningRate(once(), { minValue: 1e-4, maxValue: 1e-2, steps: 25 });
    expect(result.stopReason).toBe('dataExhausted');
    expect(result.learningRates).toHaveLength(4);
    expect(result.suggestions).toBeUndefined();
    await trainer.release();
  });

  it('a NaN loss at the first step: nonFiniteLoss, no suggestion, trainer untouched', async () => {
    const trainer = await regressionTrainer({ type: 'adam' });
    const before = snapshot(trainer);
    const batch = regressionBatches(1)[0]!;
    const y = batch.y.slice();
    y[0] = Number.NaN;
    const result = await trainer.findLearningRate([{ x: batch.x, y }], { steps: 10 });
    expect(result.stopReason).toBe('nonFiniteLoss');
    expect(result.suggestions).toBeUndefined();
    expect(result.unavailableReason).toMatch(/^the loss was NaN at the first step/);
    expect(snapshot(trainer)).toEqual(before);
    await trainer.release();
  });

  it('a batch the graph rejects: FeedError, and the trainer is restored', async () => {
    const trainer = await regressionTrainer({ type: 'sgd' });
    const before = snapshot(trainer);
    const good = regressionBatches(2);
    const error = await rejection(
      trainer.findLearningRate([...good, { x: new Float32Array(3), y: new Float32Array(1) }], { steps: 10 }),
    );
    expect(FeedError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^trainer\.findLearningRate: /);
    expect(snapshot(trainer)).toEqual(before);
    await trainer.release();
  });

  it.each([
    [
      'bad bounds, too few steps and no batches',
      undefined,
      { minValue: 0, maxValue: -1, steps: 5 },
      [
        'trainer.findLearningRate: batches must be an array or iterable of { x, y } batches; received undefined.',
        'trainer.findLearningRate: minValue must be a finite number > 0; received 0.',
        'trainer.findLearningRate: maxValue must be a finite number > 0; received -1.',
        'trainer.findLearningRate: steps must be an integer >= 10; received 5.',
      ],
    ],
    [
      'inverted bounds',
      [],
      { minValue: 0.5, maxValue: 0.1 },
      ['trainer.findLearningRate: maxValue must be greater than minValue (0.5); received 0.1.'],
    ],
    [
      'a batch that is not { x, y }',
      [{ inputs: 1 }],
      { steps: 10 },
      [
        'trainer.findLearningRate: each batch must be an object { x, y }; received {"inputs":1} at sweep step 0.',
      ],
    ],
  ])('rejects %s with every problem named', async (_name, batches, options, messages) => {
    const trainer = await regressionTrainer({ type: 'sgd' });
    const error = await rejection(trainer.findLearningRate(batches as never, options));
    expect(RangeTestConfigError.isInstance(error)).toBe(true);
    expect((error as RangeTestConfigError).issues.map((issue) => issue.message)).toEqual(messages);
    expect(trainer.currentStep).toBe(0);
    await trainer.release();
  });
});
