import { fromConfig, ScheduleConfigError } from '@anneal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { useBackend } from '../test/backend';
import { batchSize, makeModel, xRows, yRows } from '../test/support';
import { TrainingSetupError } from './errors';
import { reduceLROnPlateau } from './reduce-lr-on-plateau';

beforeAll(async () => {
  await useBackend('cpu');
});

/** An Adam-like optimizer whose update count the test advances by hand. */
class CountingOptimizer {
  iterations = 0;
  learningRate = 0.1;
}

/**
 * The plateau rule restated (PyTorch ReduceLROnPlateau, relative threshold): the multiplier in
 * force after each report.
 */
function multipliersAfter(
  metrics: readonly number[],
  {
    patience,
    factor,
    mode,
    threshold = 1e-4,
  }: { patience: number; factor: number; mode: 'min' | 'max'; threshold?: number },
): number[] {
  let best: number | undefined;
  let bad = 0;
  let multiplier = 1;
  return metrics.map((metric) => {
    const better =
      best === undefined ||
      (mode === 'min' ? metric < best * (1 - threshold) : metric > best * (1 + threshold));
    if (better) {
      best = metric;
      bad = 0;
    } else {
      bad += 1;
    }
    if (bad > patience) {
      multiplier *= factor;
      bad = 0;
    }
    return multiplier;
  });
}

describe('reduceLROnPlateau', () => {
  test('the rate is max(schedule(t) · multiplier, minValue); the multiplier follows the plateau rule', async () => {
    const metrics = [1.0, 0.9, 0.95, 0.95, 0.95, 0.5, 0.6, 0.6];
    // By hand: r4 is the 2nd report without improvement (> patience 1) → 0.5; r8 likewise → 0.25.
    const byHand = [1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25];
    expect(multipliersAfter(metrics, { patience: 1, factor: 0.5, mode: 'min' })).toEqual(byHand);

    const optimizer = new CountingOptimizer();
    const schedule = (step: number) => 0.1 + 0.001 * step;
    const callback = reduceLROnPlateau({ optimizer, schedule, patience: 1, factor: 0.5, minValue: 0.06 });
    const applied: number[] = [];
    await callback.onTrainBegin();
    for (let epoch = 0; epoch < metrics.length; epoch++) {
      await callback.onEpochBegin(epoch);
      for (let batch = 0; batch < 2; batch++) {
        const logs: Record<string, unknown> = {};
        await callback.onBatchBegin(batch, logs);
        applied.push(logs.lr as number);
        optimizer.iterations += 1;
      }
      const epochLogs: Record<string, unknown> = { loss: 1, val_loss: metrics[epoch] };
      await callback.onEpochEnd(epoch, epochLogs);
      expect(epochLogs.lr).toBe(applied.at(-1));
      expect(callback.controller.multiplier).toBe(byHand[epoch]);
    }
    const multiplierDuring = (epoch: number) => (epoch === 0 ? 1 : byHand[epoch - 1]!);
    expect(applied).toEqual(
      applied.map((_, step) =>
        Math.fround(Math.max(schedule(step) * multiplierDuring(Math.floor(step / 2)), 0.06)),
      ),
    );
    expect(applied.slice(0, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((step) => Math.fround(schedule(step))));
    expect(applied.slice(8)).toEqual(new Array(8).fill(Math.fround(0.06))); // schedule · 0.5 <= 0.0575 is below the floor
    expect(callback.controller.reductions).toBe(2);
  });

  test('inside model.fit, composed with a schedule (monitor loss, mode max: every epoch after the first is a plateau)', async () => {
    const model = makeModel(tf.train.adam(1));
    const schedule = { type: 'warmupCosineDecay', peakValue: 0.02, warmupSteps: 5, totalSteps: 30 } as const;
    const messages: string[] = [];
    const callback = reduceLROnPlateau({
      model,
      schedule,
      monitor: 'loss',
      mode: 'max',
      patience: 0,
      factor: 0.5,
      verbose: (message) => messages.push(message),
    });
    const rates: [number, number][] = [];
    const xs = tf.tensor2d(xRows);
    const ys = tf.tensor2d(yRows);
    const history = await model.fit(xs, ys, {
      batchSize,
      epochs: 4,
      shuffle: false,
      verbose: 0,
      callbacks: [
        callback,
        {
          onBatchEnd: async (_batch: number, logs?: Record<string, unknown>) =>
            void rates.push([logs!.lr as number, rates.length]),
        },
      ],
    });
    const losses = history.history.loss as number[];
    const multipliers = multipliersAfter(losses, { patience: 0, factor: 0.5, mode: 'max' });
    const during = (epoch: number) => (epoch === 0 ? 1 : multipliers[epoch - 1]!);
    const core = fromConfig(schedule);
    expect(rates.map(([lr]) => lr)).toEqual(
      rates.map(([, k]) => Math.fround(core(k) * during(Math.floor(k / 5)))),
    );
    expect(callback.controller.multiplier).toBe(multipliers.at(-1));
    expect(callback.controller.reductions).toBeGreaterThan(0);
    const reductions = messages.filter((message) => message.includes('did not improve'));
    expect(reductions.length).toBe(callback.controller.reductions);
    expect(messages.length).toBe(4 + reductions.length); // one line per epoch, one per reduction
    expect(reductions[0]).toMatch(
      /^reduceLROnPlateau: epoch \d: loss did not improve; multiplier now 0\.5, learning rate [\d.e-]+ at step \d+\.$/,
    );
    tf.dispose([xs, ys]);
    model.dispose();
  });

  test('without a schedule the base is the optimizer’s rate when the callback is made (Keras behaviour)', async () => {
    const optimizer = new CountingOptimizer();
    optimizer.learningRate = 0.01;
    const callback = reduceLROnPlateau({ optimizer, monitor: 'val_acc', patience: 0, factor: 0.1 });
    expect(callback.controller.config.initialValue).toBe(0.01);
    expect(callback.controller.config.mode).toBe('max'); // 'auto' for an accuracy
    await callback.onTrainBegin();
    await callback.onEpochEnd(0, { val_acc: 0.5 });
    await callback.onEpochEnd(1, { val_acc: 0.5 });
    const logs: Record<string, unknown> = {};
    await callback.onBatchBegin(0, logs);
    expect(logs.lr).toBe(Math.fround(0.001));
    expect(optimizer.learningRate).toBeCloseTo(0.001, 15);
  });

  test('state() / restore() resume the controller in a new callback', async () => {
    const options = { monitor: 'val_loss', patience: 0, factor: 0.5, initialValue: 0.1 } as const;
    const first = reduceLROnPlateau({ optimizer: new CountingOptimizer(), ...options });
    for (const [epoch, metric] of [1, 2, 3].entries()) await first.onEpochEnd(epoch, { val_loss: metric });
    const saved = JSON.parse(JSON.stringify(first.controller.state()));
    const second = reduceLROnPlateau({ optimizer: new CountingOptimizer(), ...options });
    second.controller.restore(saved);
    expect(second.controller.multiplier).toBe(0.25);
    await second.onEpochEnd(3, { val_loss: 4 });
    expect(second.controller.multiplier).toBe(0.125);
  });

  test('a monitored metric missing from the epoch logs → TrainingSetupError after the first epoch', async () => {
    const model = makeModel(tf.train.sgd(0.01));
    const xs = tf.tensor2d(xRows);
    const ys = tf.tensor2d(yRows);
    const epochs: number[] = [];
    const run = model.fit(xs, ys, {
      batchSize,
      epochs: 3,
      verbose: 0,
      callbacks: [
        { onEpochEnd: async (epoch: number) => void epochs.push(epoch) },
        reduceLROnPlateau({ model, patience: 2 }),
      ],
    });
    await expect(run).rejects.toSatisfy(TrainingSetupError.isInstance);
    await expect(run).rejects.toThrow(
      'reduceLROnPlateau: monitor "val_loss" is not in the epoch logs (available: loss, lr); pass validationData or validationSplit to fit for val_ metrics, or monitor another entry.',
    );
    expect(epochs).toEqual([0]);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  test.each([
    [
      { optimizer: new CountingOptimizer(), factor: 2 },
      'reduceLROnPlateau: factor must be a finite number in (0, 1); received 2.',
      ['factor'],
    ],
    [
      { optimizer: new CountingOptimizer(), mode: 'auto-ish' },
      'reduceLROnPlateau: mode must be one of "min", "max", "auto"; received "auto-ish".',
      ['mode'],
    ],
    [
      { optimizer: new CountingOptimizer(), monitor: '' },
      'reduceLROnPlateau: monitor must be a non-empty string; received "".',
      ['monitor'],
    ],
    [
      { model: { optimizer: undefined } },
      'reduceLROnPlateau: initialValue is required when neither schedule nor a compiled model (or optimizer) gives the base learning rate; received undefined.',
      ['initialValue'],
    ],
    [
      { optimizer: new CountingOptimizer(), schedule: { type: 'constant' }, patience: -1 },
      'reduceLROnPlateau: 2 invalid options:\n- reduceLROnPlateau: schedule (constant): value is required (a finite number >= 0); received undefined.\n- reduceLROnPlateau: patience must be an integer >= 0; received -1.',
      ['schedule.value', 'patience'],
    ],
    [
      { optimizer: new CountingOptimizer(), min_lr: 0.001 },
      'reduceLROnPlateau: unknown option "min_lr" (expected one of monitor, mode, schedule, factor, patience, threshold, thresholdMode, cooldown, minValue, minDelta, initialValue, model, optimizer, updateEvery, stepsPerEpoch, initialStep, verbose, onLearningRate); received 0.001.',
      ['min_lr'],
    ],
  ])('invalid args → ScheduleConfigError (%#)', (args, message, paths) => {
    let caught: unknown;
    try {
      reduceLROnPlateau(args as never);
    } catch (error) {
      caught = error;
    }
    expect(ScheduleConfigError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toBe(message);
    expect((caught as ScheduleConfigError).issues.map((issue) => issue.path)).toEqual(paths);
  });
});
