/**
 * The tfjs block of docs/guide/finding-the-learning-rate.md is the region below, verbatim:
 * type-checked with the package, run here on the cpu backend, and its statements checked.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// #region guide
import { findLearningRate } from '@anneal/tfjs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';

// Linear regression on 3 features uniform in [−1, 1]: the loss's Hessian is about
// 2·diag(1/3, 1/3, 1/3, 1) (bias last), so SGD is stable below about 2 / 2 = 1.
const x = tf.randomUniform([512, 3], -1, 1, 'float32', 42);
const noise = tf.randomNormal([512, 1], 0, 0.1, 'float32', 7);
const y = tf.add(tf.matMul(x, tf.tensor2d([[0.5], [-1], [2]])), noise);
const model = tf.sequential({
  layers: [tf.layers.dense({ inputShape: [3], units: 1, kernelInitializer: 'zeros' })],
});
model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
const before = model.getWeights().map((weight) => weight.dataSync().join());

const result = await findLearningRate(
  model,
  { x, y },
  { minValue: 1e-3, maxValue: 10, steps: 200, batchSize: 16, shuffle: false },
);
// result.stopReason is 'diverged', result.divergenceValue ≈ 1.57 (the loss runs away a little
// past the bound), every suggestion is below 1, and the model's weights, optimizer state and
// learning rate are as before:
const after = model.getWeights().map((weight) => weight.dataSync().join());
// after equals before
// #endregion guide

describe('docs/guide/finding-the-learning-rate.md (tfjs)', () => {
  it('shows the region above verbatim', () => {
    const source = readFileSync(fileURLToPath(import.meta.url), 'utf8');
    const region = /\/\/ #region guide\n([\s\S]*?)\/\/ #endregion guide/.exec(source)![1]!;
    const guide = readFileSync(
      fileURLToPath(new URL('../../../docs/guide/finding-the-learning-rate.md', import.meta.url)),
      'utf8',
    );
    expect(guide).toContain(`\`\`\`ts\n${region}\`\`\``);
  });

  it('does what its comments say', () => {
    expect(result.stopReason).toBe('diverged');
    expect(Math.abs(result.divergenceValue! / 1.57 - 1)).toBeLessThan(0.01);
    for (const suggestion of Object.values(result.suggestions!)) expect(suggestion.value).toBeLessThan(1);
    expect(after).toEqual(before);
  });
});
