/**
 * The training runs of the browser tests, shared by the page (bundled from the browser entry)
 * and the Node side (which runs the same runs on onnxruntime-node's CPU as the reference): the
 * graphs, the seeded data, the schedule, and the loop that trains and records.
 */
import { warmupCosineDecay } from '@anneal/core';
import {
  buildTrainingGraph,
  createRandom,
  initParameters,
  type OptimizerSpec,
  type TrainingGraphOptions,
} from '../../src/browser';

export const OPTIMIZERS: Readonly<Record<string, OptimizerSpec>> = {
  sgd: { type: 'sgd' },
  momentum: { type: 'sgd', momentum: 0.9, dampening: 0.1, nesterov: false, weightDecay: 0.01 },
  adam: { type: 'adam', weightDecay: 0.01 },
  adamw: { type: 'adamw', weightDecay: 0.05 },
};

export type ModelName = 'mlp' | 'cnn' | 'regression' | 'mnistMlp' | 'mnistCnn';

/** The models: every layer type and both losses appear in one of them. */
export function modelOptions(model: ModelName, optimizer: OptimizerSpec): TrainingGraphOptions {
  if (model === 'cnn') {
    return {
      inputShape: [1, 6, 6],
      layers: [
        { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1 },
        { type: 'relu' },
        { type: 'maxPool2d', poolSize: 2 },
        { type: 'tanh' },
        { type: 'flatten' },
        { type: 'dense', units: 3 },
      ],
      loss: 'softmaxCrossEntropy',
      optimizer,
    };
  }
  if (model === 'regression') {
    return {
      inputShape: [6],
      layers: [
        { type: 'dense', units: 8 },
        { type: 'sigmoid' },
        { type: 'dense', units: 8 },
        { type: 'gelu' },
        { type: 'dense', units: 2 },
      ],
      loss: 'meanSquaredError',
      optimizer,
    };
  }
  if (model === 'mnistCnn') {
    // the benchmark's CNN (the demo's): conv 5×5×8, relu, pool 2, conv 5×5×16, relu, pool 2, dense 10
    return {
      inputShape: [1, 28, 28],
      layers: [
        { type: 'conv2d', filters: 8, kernelSize: 5 },
        { type: 'relu' },
        { type: 'maxPool2d', poolSize: 2 },
        { type: 'conv2d', filters: 16, kernelSize: 5 },
        { type: 'relu' },
        { type: 'maxPool2d', poolSize: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 10 },
      ],
      loss: 'softmaxCrossEntropy',
      optimizer,
    };
  }
  if (model === 'mnistMlp') {
    // the benchmark's model: MNIST-sized MLP 784-128-10
    return {
      inputShape: [784],
      layers: [{ type: 'dense', units: 128 }, { type: 'relu' }, { type: 'dense', units: 10 }],
      loss: 'softmaxCrossEntropy',
      optimizer,
    };
  }
  return {
    inputShape: [16],
    layers: [{ type: 'dense', units: 12 }, { type: 'relu' }, { type: 'dense', units: 4 }],
    loss: 'softmaxCrossEntropy',
    optimizer,
  };
}

/** The schedule of every run: warm-up then cosine decay, so each step has its own learning rate. */
export const schedule = warmupCosineDecay({
  peakValue: 0.05,
  warmupSteps: 3,
  totalSteps: 20,
  finalValue: 1e-3,
});

export interface RunSpec {
  readonly model: ModelName;
  readonly optimizer: keyof typeof OPTIMIZERS;
  readonly steps: number;
  readonly batch: number;
}

/** The graph, initial parameters and batches of `spec`, identical wherever they are made. */
export function prepareRun(spec: RunSpec) {
  const graph = buildTrainingGraph(modelOptions(spec.model, OPTIMIZERS[spec.optimizer]!));
  const parameters = initParameters({ graph, seed: 7 });
  const random = createRandom(11);
  const xSize = graph.inputs.find((input) => input.name === 'x')!.shape.slice(1) as number[];
  const rowSize = xSize.reduce((a, b) => a * b, 1);
  const outputs = { regression: 2, cnn: 3, mlp: 4, mnistMlp: 10, mnistCnn: 10 }[spec.model];
  const batches = Array.from({ length: spec.steps }, () => {
    const x = Float32Array.from({ length: spec.batch * rowSize }, () => random() * 2 - 1);
    const y =
      spec.model === 'regression'
        ? Float32Array.from({ length: spec.batch * outputs }, () => random() - 0.5)
        : Array.from({ length: spec.batch }, () => Math.floor(random() * outputs));
    return { x, y };
  });
  return { graph, parameters, batches };
}
