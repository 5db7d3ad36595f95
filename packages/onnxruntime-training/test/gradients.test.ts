/**
 * Central finite differences in float64 against the graph's hand-derived gradients, for every
 * layer and loss: each model outputs `<parameter>.grad` and the loss; every parameter element
 * is perturbed by ±h and (L(p+h) − L(p−h)) / 2h is compared with the analytic gradient.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTrainingGraph } from '../src/graph/build';
import type { LayerSpec, LossName } from '../src/graph/spec';
import { data, randomFeedsValues, session, toFeeds } from './helpers';

const sessions: InferenceSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

async function checkGradients(
  layers: LayerSpec[],
  loss: LossName,
  inputShape: number[],
  batch = 3,
  seed = 1,
) {
  const graph = buildTrainingGraph({
    layers,
    loss,
    inputShape,
    dtype: 'float64',
    optimizer: { type: 'sgd' },
    outputGradients: true,
  });
  const s = await session(graph.model);
  sessions.push(s);
  const values = randomFeedsValues(graph, batch, seed);
  const run = async () => s.run(toFeeds(graph.inputs, values, batch, { learning_rate: 0 }));
  const base = await run();
  const h = 1e-6;
  let checked = 0;
  let worst = 0;
  for (const parameter of graph.parameters) {
    const p = values[parameter.name] as Float64Array;
    const analytic = data(base[`${parameter.name}.grad`]);
    expect(analytic.length).toBe(p.length);
    for (let i = 0; i < p.length; i++) {
      const original = p[i]!;
      p[i] = original + h;
      const plus = data((await run()).loss)[0]!;
      p[i] = original - h;
      const minus = data((await run()).loss)[0]!;
      p[i] = original;
      const numeric = (plus - minus) / (2 * h);
      const error = Math.abs(numeric - analytic[i]!);
      // central differences have O(h²) truncation and O(ε/h) rounding error: ~1e-9 here
      expect(
        error,
        `${parameter.name}[${i}]: numeric ${numeric} vs analytic ${analytic[i]}`,
      ).toBeLessThanOrEqual(2e-8 + 1e-6 * Math.abs(numeric));
      worst = Math.max(worst, error);
      checked++;
    }
  }
  // the learning rate was 0: parameters pass through unchanged
  for (const parameter of graph.parameters) {
    expect(Array.from(data(base[`${parameter.name}.next`]))).toEqual(
      Array.from(values[parameter.name] as Float64Array),
    );
  }
  return { checked, worst, loss: data(base.loss)[0]! };
}

describe('finite-difference gradient checks (float64)', () => {
  it.each([
    ['relu', { type: 'relu' }],
    ['tanh', { type: 'tanh' }],
    ['sigmoid', { type: 'sigmoid' }],
    ['gelu (tanh approximation)', { type: 'gelu' }],
  ] as const)('dense → %s → dense, softmax cross-entropy', async (_name, activation) => {
    const { checked, loss } = await checkGradients(
      [{ type: 'dense', units: 5 }, activation, { type: 'dense', units: 3 }],
      'softmaxCrossEntropy',
      [4],
    );
    expect(checked).toBe(5 * 4 + 5 + 3 * 5 + 3);
    expect(loss).toBeGreaterThan(0);
  });

  it('a deep MLP through every activation, softmax cross-entropy', async () => {
    const { checked } = await checkGradients(
      [
        { type: 'dense', units: 5 },
        { type: 'relu' },
        { type: 'dense', units: 4 },
        { type: 'tanh' },
        { type: 'dense', units: 4 },
        { type: 'sigmoid' },
        { type: 'dense', units: 3 },
        { type: 'gelu' },
        { type: 'dense', units: 3 },
      ],
      'softmaxCrossEntropy',
      [6],
      4,
    );
    expect(checked).toBe(35 + 24 + 20 + 15 + 12);
  });

  it('mean squared error with multi-feature targets', async () => {
    const { checked } = await checkGradients(
      [{ type: 'dense', units: 4 }, { type: 'gelu' }, { type: 'dense', units: 2 }],
      'meanSquaredError',
      [3],
      5,
    );
    expect(checked).toBe(16 + 10);
  });

  it('conv2d (padding) → relu → strided rectangular conv2d → tanh → maxPool2d → flatten → dense', async () => {
    const { checked } = await checkGradients(
      [
        { type: 'conv2d', filters: 3, kernelSize: 3, padding: 1 },
        { type: 'relu' },
        { type: 'conv2d', filters: 2, kernelSize: [3, 2], stride: [2, 1], padding: [1, 0] },
        { type: 'tanh' },
        { type: 'maxPool2d', poolSize: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 3 },
      ],
      'softmaxCrossEntropy',
      [2, 7, 6],
      2,
    );
    // conv1 3·2·3·3 + 3, conv2 2·3·3·2 + 2, dense 3·(2·2·2) + 3
    expect(checked).toBe(57 + 38 + 27);
  });

  it('overlapping max pooling (window 3, stride 1) and a strided conv2d without padding, MSE', async () => {
    const { checked } = await checkGradients(
      [
        { type: 'conv2d', filters: 2, kernelSize: 2, stride: 2 },
        { type: 'sigmoid' },
        { type: 'conv2d', filters: 2, kernelSize: 1 },
        { type: 'maxPool2d', poolSize: 3, stride: 1 },
        { type: 'flatten' },
        { type: 'dense', units: 2 },
      ],
      'meanSquaredError',
      [1, 9, 10],
      3,
    );
    // conv 2·1·2·2 + 2, conv 2·2·1·1 + 2, dense 2·(2·2·3) + 2
    expect(checked).toBe(10 + 6 + 26);
  });
});
