/**
 * The Keras-to-anneal table in docs/adapters/tfjs.md: each native mapping gives the values of the
 * Keras schedule (core's reference configs, golden-tested against Keras) at every step checked.
 */
import { fromConfig, type ScheduleConfig } from '@anneal/core';
import { fromAnyConfig } from '@anneal/core/reference';
import { describe, expect, test } from 'vitest';

const prefix = 'keras.optimizers.schedules.';
const rows: [string, Record<string, unknown>, ScheduleConfig][] = [
  [
    'ExponentialDecay',
    { initial_learning_rate: 0.1, decay_steps: 7, decay_rate: 0.6, staircase: true },
    { type: 'exponentialDecay', initialValue: 0.1, decaySteps: 7, decayFactor: 0.6, staircase: true },
  ],
  [
    'PolynomialDecay',
    { initial_learning_rate: 0.1, decay_steps: 40, end_learning_rate: 0.01, power: 2, cycle: true },
    { type: 'polynomial', initialValue: 0.1, decaySteps: 40, finalValue: 0.01, power: 2, cycle: true },
  ],
  [
    'InverseTimeDecay',
    { initial_learning_rate: 0.1, decay_steps: 5, decay_rate: 0.5, staircase: false },
    { type: 'inverseTimeDecay', initialValue: 0.1, decaySteps: 5, decayRate: 0.5, staircase: false },
  ],
  [
    'CosineDecay',
    { initial_learning_rate: 0.1, decay_steps: 50, alpha: 0.1 },
    { type: 'cosineDecay', initialValue: 0.1, decaySteps: 50, finalValue: 0.1 * 0.1 },
  ],
  [
    'CosineDecay',
    { initial_learning_rate: 0, decay_steps: 50, alpha: 0.1, warmup_target: 0.2, warmup_steps: 10 },
    {
      type: 'warmupCosineDecay',
      initialValue: 0,
      peakValue: 0.2,
      warmupSteps: 10,
      totalSteps: 10 + 50,
      finalValue: 0.1 * 0.2,
    },
  ],
];

describe('Keras → anneal mapping (docs/adapters/tfjs.md)', () => {
  test.each(rows)('%s %j', (name, params, native) => {
    const keras = fromAnyConfig({ api: `${prefix}${name}`, params });
    const ours = fromConfig(native);
    for (let step = 0; step <= 120; step += 0.5) {
      const expected = keras(step);
      const relative = Math.abs(ours(step) - expected) / Math.max(Math.abs(expected), Number.MIN_VALUE);
      expect(relative, `step ${step}`).toBeLessThanOrEqual(1e-12);
    }
  });
});
