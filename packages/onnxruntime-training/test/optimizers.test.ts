/**
 * Optimizer updates against PyTorch's update rules restated here in plain float64 JS
 * (torch.optim.SGD / Adam / AdamW), over three steps from fresh (zero) state with a different
 * learning rate at each step. The gradient each update used is the graph's own `.grad` output,
 * which test/gradients.test.ts checks by finite differences.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTrainingGraph } from '../src/graph/build';
import type { OptimizerSpec } from '../src/graph/spec';
import { data, randomFeedsValues, session, toFeeds } from './helpers';

const sessions: InferenceSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

interface State {
  momentum_buffer?: Float64Array;
  exp_avg?: Float64Array;
  exp_avg_sq?: Float64Array;
}

/** One PyTorch update of parameter p (in place) with gradient g at step t (1-based) and learning rate lr. */
function torchUpdate(
  optimizer: Required<OptimizerSpec>,
  p: Float64Array,
  g: Float64Array,
  state: State,
  t: number,
  lr: number,
) {
  for (let i = 0; i < p.length; i++) {
    if (optimizer.type === 'sgd') {
      const { momentum, dampening, nesterov, weightDecay } = optimizer;
      let d = g[i]! + weightDecay * p[i]!;
      if (momentum !== 0) {
        const buffer = state.momentum_buffer!;
        buffer[i] = t === 1 ? d : momentum * buffer[i]! + (1 - dampening) * d;
        d = nesterov ? d + momentum * buffer[i]! : buffer[i]!;
      }
      p[i] = p[i]! - lr * d;
    } else {
      const { beta1, beta2, epsilon, weightDecay } = optimizer;
      let d = g[i]!;
      if (optimizer.type === 'adam') d += weightDecay * p[i]!;
      else p[i] = p[i]! * (1 - lr * weightDecay);
      const m = state.exp_avg!;
      const v = state.exp_avg_sq!;
      m[i] = beta1 * m[i]! + (1 - beta1) * d;
      v[i] = beta2 * v[i]! + (1 - beta2) * d * d;
      const mHat = m[i]! / (1 - beta1 ** t);
      const vHat = v[i]! / (1 - beta2 ** t);
      p[i] = p[i]! - (lr * mHat) / (Math.sqrt(vHat) + epsilon);
    }
  }
}

function expectClose(actual: Float64Array, expected: Float64Array, label: string) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const scale = Math.max(Math.abs(expected[i]!), 1e-3);
    expect(
      Math.abs(actual[i]! - expected[i]!),
      `${label}[${i}]: ${actual[i]} vs ${expected[i]}`,
    ).toBeLessThanOrEqual(1e-12 * scale);
  }
}

const cases: [string, Required<OptimizerSpec>][] = [
  ['plain SGD', { type: 'sgd', momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 }],
  ['SGD with weight decay', { type: 'sgd', momentum: 0, dampening: 0, nesterov: false, weightDecay: 0.1 }],
  ['SGD with momentum', { type: 'sgd', momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0 }],
  [
    'SGD with momentum and dampening',
    { type: 'sgd', momentum: 0.8, dampening: 0.3, nesterov: false, weightDecay: 0.01 },
  ],
  [
    'SGD with Nesterov momentum and weight decay',
    { type: 'sgd', momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 0.05 },
  ],
  ['Adam', { type: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 }],
  [
    'Adam with L2 weight decay and a large epsilon',
    { type: 'adam', beta1: 0.8, beta2: 0.99, epsilon: 1e-3, weightDecay: 0.1 },
  ],
  [
    'Adam with beta1 < 0.5 (the other branch of torch lerp)',
    { type: 'adam', beta1: 0.3, beta2: 0.9, epsilon: 1e-8, weightDecay: 0 },
  ],
  [
    'AdamW (decoupled weight decay)',
    { type: 'adamw', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01 },
  ],
  ['AdamW with a strong decay', { type: 'adamw', beta1: 0.85, beta2: 0.95, epsilon: 1e-6, weightDecay: 0.5 }],
];

describe('optimizer updates equal the PyTorch rules (float64, 3 steps)', () => {
  it.each(cases)('%s', async (_name, optimizer) => {
    const graph = buildTrainingGraph({
      inputShape: [4],
      layers: [{ type: 'dense', units: 3 }, { type: 'tanh' }, { type: 'dense', units: 3 }],
      loss: 'softmaxCrossEntropy',
      dtype: 'float64',
      optimizer,
      outputGradients: true,
    });
    const s = await session(graph.model);
    sessions.push(s);
    const batch = 5;
    const values = randomFeedsValues(graph, batch, 7);
    for (const state of graph.state) (values[state.name] as Float64Array).fill(0); // fresh state, as torch
    const expected = new Map<string, { p: Float64Array; state: State }>();
    for (const p of graph.parameters) {
      const state: State = {};
      for (const s of graph.state.filter((item) => item.parameter === p.name)) {
        state[s.name.slice(p.name.length + 1) as keyof State] = new Float64Array(values[s.name]!.length);
      }
      expected.set(p.name, { p: Float64Array.from(values[p.name] as Float64Array), state });
    }
    const learningRates = [0.1, 0.05, 0.2];
    for (let t = 1; t <= 3; t++) {
      const lr = learningRates[t - 1]!;
      const result = await s.run(toFeeds(graph.inputs, values, batch, { learning_rate: lr, step: t }));
      for (const p of graph.parameters) {
        const reference = expected.get(p.name)!;
        // the gradient at the current parameters (graph and reference parameters agree to 1e-12)
        torchUpdate(optimizer, reference.p, data(result[`${p.name}.grad`]), reference.state, t, lr);
        expectClose(data(result[`${p.name}.next`]), reference.p, `step ${t} ${p.name}`);
        for (const [key, value] of Object.entries(reference.state)) {
          expectClose(data(result[`${p.name}.${key}.next`]), value, `step ${t} ${p.name}.${key}`);
        }
      }
      for (const name of Object.keys(graph.updatedName))
        values[name] = Float64Array.from(data(result[graph.updatedName[name]!]));
      // reference continues from its own values; the graph continues from its outputs
    }
    expect(graph.stepInput).toBe(optimizer.type !== 'sgd' || optimizer.dampening > 0 ? 'step' : undefined);
    expect(graph.state.length).toBe(
      graph.parameters.length * (optimizer.type === 'sgd' ? (optimizer.momentum > 0 ? 1 : 0) : 2),
    );
  });

  it('the update leaves parameters unchanged at learning rate 0 (SGD, Adam) and AdamW decays only with lr > 0', async () => {
    for (const type of ['sgd', 'adam', 'adamw'] as const) {
      const graph = buildTrainingGraph({
        inputShape: [2],
        layers: [{ type: 'dense', units: 2 }],
        loss: 'meanSquaredError',
        dtype: 'float64',
        optimizer: { type },
      });
      const s = await session(graph.model);
      sessions.push(s);
      const values = randomFeedsValues(graph, 3, 3);
      const result = await s.run(toFeeds(graph.inputs, values, 3, { learning_rate: 0, step: 1 }));
      for (const p of graph.parameters) {
        expect(Array.from(data(result[`${p.name}.next`]))).toEqual(
          Array.from(values[p.name] as Float64Array),
        );
      }
    }
  });
});

describe('float32 Adam matches bias corrections computed in float64, as PyTorch does in Python floats', () => {
  // With β2 rounded to float32 (0.99900001…), 1 − β2ᵗ would be off by ~1e-5 relative near t = 100,
  // a systematic 6e-6 error in every update; from ln β taken in float64 (without any float64 op
  // in the graph, which onnxruntime-web lacks) the update matches to float32 rounding.
  it.each([
    ['adam', 1],
    ['adam', 100],
    ['adamw', 100],
    ['adamw', 5000],
    // float32 graphs take 1 − βᵗ from a series where |t·ln β| < 1/2 and from 1 − exp beyond:
    // steps on both sides of that switch for β1 (t = 4, 5) and β2 (t = 499, 500), and a long run
    ['adam', 2],
    ['adam', 4],
    ['adam', 5],
    ['adamw', 499],
    ['adamw', 500],
    ['adam', 1_000_000],
  ] as const)('%s at step %d', async (type, t) => {
    const graph = buildTrainingGraph({
      inputShape: [3],
      layers: [{ type: 'dense', units: 4 }],
      loss: 'meanSquaredError',
      optimizer: { type, weightDecay: 0.1 },
      outputGradients: true,
    });
    const s = await session(graph.model);
    sessions.push(s);
    const values = randomFeedsValues(graph, 2, 21);
    const lr = Math.fround(0.5);
    const result = await s.run(toFeeds(graph.inputs, values, 2, { learning_rate: lr, step: t }));
    const [beta1, beta2, epsilon, weightDecay] = [0.9, 0.999, 1e-8, 0.1];
    for (const p of graph.parameters) {
      const param = values[p.name] as Float32Array;
      const m = values[`${p.name}.exp_avg`] as Float32Array;
      const v = values[`${p.name}.exp_avg_sq`] as Float32Array;
      const grad = result[`${p.name}.grad`]!.data as Float32Array;
      const next = result[`${p.name}.next`]!.data as Float32Array;
      for (let i = 0; i < param.length; i++) {
        const d = type === 'adam' ? grad[i]! + weightDecay * param[i]! : grad[i]!;
        const decayed = type === 'adamw' ? param[i]! * (1 - lr * weightDecay) : param[i]!;
        const mNext = beta1 * m[i]! + (1 - beta1) * d;
        const vNext = beta2 * v[i]! + (1 - beta2) * d * d;
        const delta =
          ((lr / (1 - beta1 ** t)) * mNext) / (Math.sqrt(vNext) / Math.sqrt(1 - beta2 ** t) + epsilon);
        const actual = decayed - next[i]!;
        expect(Math.abs(actual - delta), `${p.name}[${i}]: ${actual} vs ${delta}`).toBeLessThanOrEqual(
          1.5e-6 * Math.abs(delta) + 1e-7,
        );
      }
    }
  });
});
