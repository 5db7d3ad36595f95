import { AnnealError, ScheduleConfigError } from '@anneal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { useBackend } from '../test/backend';
import { UnsupportedOptimizerError } from './errors';
import {
  assertSupportedOptimizer,
  getLearningRate,
  type OptimizerLike,
  setLearningRate,
  supportedOptimizers,
} from './optimizer';

const makers: Record<string, () => tf.Optimizer> = {
  SGD: () => tf.train.sgd(0.1),
  Momentum: () => tf.train.momentum(0.1, 0.9),
  Adam: () => tf.train.adam(0.1),
  Adamax: () => tf.train.adamax(0.1),
  RMSProp: () => tf.train.rmsprop(0.1),
  Adagrad: () => tf.train.adagrad(0.1),
  Adadelta: () => tf.train.adadelta(0.1),
};

beforeAll(async () => {
  await useBackend('cpu');
});

describe('setLearningRate / getLearningRate', () => {
  test('covers exactly the seven tfjs optimizers', () => {
    expect(Object.keys(makers)).toEqual([...supportedOptimizers]);
    for (const [name, make] of Object.entries(makers)) expect(make().getClassName()).toBe(name);
  });

  for (const [name, make] of Object.entries(makers)) {
    test(`${name}: a rate set between updates takes effect on the next one (0 freezes, > 0 moves)`, () => {
      const optimizer = make();
      const w = tf.variable(tf.tensor1d([1, -2, 3]));
      const target = tf.tensor1d([0.5, 0.5, 0.5]);
      const loss = () => tf.sum(tf.square(tf.sub(w, target))) as tf.Scalar;
      optimizer.minimize(loss, false, [w]); // creates the slots at 0.1
      const a = Array.from(w.dataSync());
      setLearningRate(optimizer, 0);
      expect(getLearningRate(optimizer)).toBe(0);
      optimizer.minimize(loss, false, [w]);
      optimizer.minimize(loss, false, [w]);
      expect(Array.from(w.dataSync())).toEqual(a);
      setLearningRate(optimizer, 0.05);
      expect(getLearningRate(optimizer)).toBe(0.05);
      optimizer.minimize(loss, false, [w]);
      expect(Array.from(w.dataSync())).not.toEqual(a);
      tf.dispose([w, target]);
      optimizer.dispose();
    });
  }

  test('why SGD needs setLearningRate(): assigning its learningRate field alone is ignored by tfjs', () => {
    const run = (change: (optimizer: tf.SGDOptimizer) => void) => {
      const optimizer = tf.train.sgd(0.1);
      const w = tf.variable(tf.scalar(1));
      change(optimizer);
      optimizer.minimize(() => tf.square(w) as tf.Scalar, false, [w]);
      const value = w.dataSync()[0]!;
      tf.dispose(w);
      optimizer.dispose();
      return value;
    };
    const assigned = run((optimizer) => {
      (optimizer as unknown as { learningRate: number }).learningRate = 0;
    });
    expect(assigned).toBeCloseTo(1 - 0.1 * 2, 6); // still stepped with 0.1
    expect(run((optimizer) => setLearningRate(optimizer, 0))).toBe(1);
  });

  test('1,000 changes create no lasting tensors (SGD and Momentum rebuild a kept scalar)', () => {
    for (const name of ['SGD', 'Momentum', 'Adam']) {
      const optimizer = makers[name]!();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 1000; i++) setLearningRate(optimizer, i * 1e-6);
      expect(tf.memory().numTensors).toBe(before);
      optimizer.dispose();
    }
  });

  test.each([
    [-0.1, 'setLearningRate: value must be a finite number >= 0; received -0.1.'],
    [Number.NaN, 'setLearningRate: value must be a finite number >= 0; received NaN.'],
    [Number.POSITIVE_INFINITY, 'setLearningRate: value must be a finite number >= 0; received Infinity.'],
    ['0.1', 'setLearningRate: value must be a finite number >= 0; received "0.1".'],
  ])('rejects the value %s with ScheduleConfigError', (value, message) => {
    const optimizer = tf.train.adam(0.1);
    let caught: unknown;
    try {
      setLearningRate(optimizer, value as number);
    } catch (error) {
      caught = error;
    }
    expect(ScheduleConfigError.isInstance(caught)).toBe(true);
    expect((caught as Error).message).toBe(message);
    expect(getLearningRate(optimizer)).toBe(0.1);
  });

  class LegacyOptimizer {
    iterations = 0;
    rate = 0.1;
    getClassName() {
      return 'Legacy';
    }
  }

  test.each([
    [
      new LegacyOptimizer(),
      'Legacy',
      'setLearningRate: optimizer Legacy has no setLearningRate() method and no numeric learningRate field, so its learning rate cannot be changed; supported: SGD, Momentum, Adam, Adamax, RMSProp, Adagrad, Adadelta (or any optimizer with one of the two).',
      ['setLearningRate()', 'a numeric learningRate field'],
    ],
    [
      { iterations: 0, learningRate: '0.1' },
      'Object',
      'setLearningRate: optimizer Object has no setLearningRate() method and no numeric learningRate field, so its learning rate cannot be changed; supported: SGD, Momentum, Adam, Adamax, RMSProp, Adagrad, Adadelta (or any optimizer with one of the two).',
      ['setLearningRate()', 'a numeric learningRate field'],
    ],
    [
      undefined,
      'undefined',
      'setLearningRate: expected a tfjs optimizer (tf.train.sgd, momentum, adam, adamax, rmsprop, adagrad or adadelta); received undefined.',
      ['an optimizer object'],
    ],
  ])(
    'an unsupported optimizer gets UnsupportedOptimizerError naming what it lacks (%#)',
    (optimizer, name, message, missing) => {
      let caught: unknown;
      try {
        setLearningRate(optimizer as unknown as OptimizerLike, 0.1);
      } catch (error) {
        caught = error;
      }
      expect(UnsupportedOptimizerError.isInstance(caught)).toBe(true);
      expect(AnnealError.isInstance(caught)).toBe(true);
      const error = caught as UnsupportedOptimizerError;
      expect(error.message).toBe(message);
      expect(error.optimizerName).toBe(name);
      expect(error.missing).toEqual(missing);
      expect(error.code).toBe('UnsupportedOptimizerError');
      expect(() => getLearningRate(optimizer as unknown as OptimizerLike)).toThrow(/getLearningRate: /);
    },
  );

  test('assertSupportedOptimizer names its caller; isInstance works on a plain object carrying the marker', () => {
    expect(() => assertSupportedOptimizer({}, 'learningRateScheduler')).toThrow(
      /^learningRateScheduler: optimizer Object/,
    );
    for (const make of Object.values(makers)) expect(() => assertSupportedOptimizer(make())).not.toThrow();
    expect(UnsupportedOptimizerError.isInstance(new Error('x'))).toBe(false);
    const copy = Object.assign(new AnnealError('from another copy'), { code: 'UnsupportedOptimizerError' });
    expect(UnsupportedOptimizerError.isInstance(copy)).toBe(true);
  });
});
