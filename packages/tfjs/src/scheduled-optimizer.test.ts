import { ScheduleConfigError } from '@anneal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { useBackend } from '../test/backend';
import {
  batchRows,
  initialBias,
  initialKernel,
  inputs,
  optimizerCases,
  replayErrors,
  units,
  xRows,
  yRows,
} from '../test/support';
import { UnsupportedOptimizerError } from './errors';
import { scheduledOptimizer } from './scheduled-optimizer';

beforeAll(async () => {
  await useBackend('cpu');
});

const zigzag = (k: number) => 0.2 * [1, 0.05, 0.5, 0.01, 0.25][k % 5]! * (1 + k / 10);

describe('scheduledOptimizer (custom training loops)', () => {
  for (const name of ['sgd', 'momentum', 'adam', 'adadelta']) {
    test(`${name}: minimize at step k uses Math.fround(schedule(k)) (float64 replay)`, () => {
      const optimizerCase = optimizerCases[name]!;
      const schedule = (k: number) => optimizerCase.scale * zigzag(k);
      const optimizer = optimizerCase.make(123);
      const scheduled = scheduledOptimizer(optimizer, { schedule });
      const kernel = tf.variable(tf.tensor2d(initialKernel, [inputs, units]));
      const bias = tf.variable(tf.tensor1d(initialBias));
      const read = () => [...kernel.dataSync(), ...bias.dataSync()];
      const batches = batchRows(2);
      const observed = batches.map((rows, k) => {
        expect(scheduled.step).toBe(k);
        const xs = tf.tensor2d(rows.map((i) => xRows[i]!));
        const ys = tf.tensor2d(rows.map((i) => yRows[i]!));
        const before = read();
        scheduled.minimize(
          () => tf.losses.meanSquaredError(ys, tf.add(tf.matMul(xs, kernel), bias)) as tf.Scalar,
          false,
          [kernel, bias],
        );
        expect(scheduled.learningRate).toBe(Math.fround(schedule(k)));
        tf.dispose([xs, ys]);
        return { before, after: read() };
      });
      const replay = (rateAt: (k: number) => number) =>
        Math.max(...replayErrors(optimizerCase.replay(tf.backend().epsilon()), batches, observed, rateAt));
      expect(replay((k) => Math.fround(schedule(k)))).toBeLessThan(1e-4);
      expect(replay((k) => Math.fround(schedule(k + 1)))).toBeGreaterThan(0.5);
      tf.dispose([kernel, bias]);
      optimizer.dispose();
    });
  }

  test('applyGradients sets the rate first; initialStep and stepsPerEpoch shift and scale the step', () => {
    const optimizer = tf.train.sgd(1);
    const seen: [number, number][] = [];
    const scheduled = scheduledOptimizer(optimizer, {
      schedule: (epoch) => 0.5 ** epoch,
      initialStep: 4,
      stepsPerEpoch: 2,
      onLearningRate: (lr, step) => seen.push([lr, step]),
    });
    const w = tf.variable(tf.scalar(1));
    for (let i = 0; i < 3; i++) {
      const before = w.dataSync()[0]!;
      const { grads, value } = optimizer.computeGradients(() => tf.mul(w, 1) as tf.Scalar, [w]);
      scheduled.applyGradients(grads);
      // d(w)/dw = 1, so the change is exactly -lr (in float32).
      expect(Math.fround(before - w.dataSync()[0]!)).toBeCloseTo(0.5 ** ((4 + i) / 2), 6);
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(seen).toEqual([4, 5, 6].map((step) => [Math.fround(0.5 ** (step / 2)), step]));
    expect(scheduled.step).toBe(7);
    expect(scheduled.applyLearningRate()).toBe(Math.fround(0.5 ** 3.5));
    expect(scheduled.optimizer).toBe(optimizer);
    tf.dispose(w);
    optimizer.dispose();
  });

  test.each([
    [
      {},
      'scheduledOptimizer: schedule is required (a schedule, a schedule config object or a function of the step); received undefined.',
    ],
    [
      { schedule: { type: 'constant', value: -1 } },
      'scheduledOptimizer: schedule (constant): value must be a finite number >= 0; received -1.',
    ],
    [
      { schedule: (): number => 1, initialStep: -2 },
      'scheduledOptimizer: initialStep must be an integer >= 0; received -2.',
    ],
    [
      { schedule: (): number => 1, stepsPerEpoch: 2.5 },
      'scheduledOptimizer: stepsPerEpoch must be an integer >= 1; received 2.5.',
    ],
    [
      { schedule: (): number => 1, updateEvery: 'batch' },
      'scheduledOptimizer: unknown option "updateEvery" (expected one of schedule, initialStep, stepsPerEpoch, onLearningRate); received "batch".',
    ],
  ])('invalid args → ScheduleConfigError (%#)', (args, message) => {
    const optimizer = tf.train.sgd(0.1);
    let caught: unknown;
    try {
      scheduledOptimizer(optimizer, args as never);
    } catch (error) {
      caught = error;
    }
    expect(ScheduleConfigError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toBe(message);
    optimizer.dispose();
  });

  test('an optimizer without a reachable learning rate → UnsupportedOptimizerError', () => {
    const opaque = { iterations: 0, minimize: () => null, applyGradients: () => {} };
    expect(() => scheduledOptimizer(opaque, { schedule: () => 0.1 })).toThrow(
      /^scheduledOptimizer: optimizer Object has no setLearningRate\(\) method/,
    );
    try {
      scheduledOptimizer(opaque, { schedule: () => 0.1 });
    } catch (error) {
      expect(UnsupportedOptimizerError.isInstance(error)).toBe(true);
    }
  });
});
