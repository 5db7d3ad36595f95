/**
 * Shared test fixtures: a deterministic regression problem, a tiny Dense model, and a float64
 * replay of each tfjs optimizer's update rule (restated from tfjs-core 4.22 `optimizers/*.ts`).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export const inputs = 3;
export const units = 2;
export const samples = 40;
export const batchSize = 8; // 5 batches per epoch

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(1664525, state) + 1013904223) >>> 0;
    return (state / 2 ** 32) * 2 - 1;
  };
}

const random = lcg(42);
export const xRows: number[][] = Array.from({ length: samples }, () =>
  Array.from({ length: inputs }, random),
);
export const yRows: number[][] = xRows.map((row) => [
  0.5 * row[0]! - 1.5 * row[1]! + 2 * row[2]! + 0.3 + 0.1 * random(),
  -row[0]! + 0.25 * row[2]! - 0.7 + 0.1 * random(),
]);
/** Initial parameters: kernel [inputs, units] row-major, then bias [units]. */
export const initialKernel = [0.1, -0.2, 0.05, 0.3, -0.15, 0.25];
export const initialBias = [0.01, -0.02];

export function makeModel(optimizer: tf.Optimizer): tfl.LayersModel {
  const model = tfl.sequential({
    layers: [tfl.layers.dense({ inputShape: [inputs], units, useBias: true })],
  });
  model.compile({ optimizer, loss: 'meanSquaredError' });
  const weights = [tf.tensor2d(initialKernel, [inputs, units]), tf.tensor1d(initialBias)];
  model.setWeights(weights); // the variables keep the values; the inputs are ours to dispose
  tf.dispose(weights);
  return model;
}

/** The model's parameters as float64 numbers, in the replay's order (kernel, then bias). */
export function readParameters(model: tfl.LayersModel): number[] {
  return model.getWeights().flatMap((weight) => Array.from(weight.dataSync()));
}

/** float64 gradient of mean((x·W + b − y)²) over the rows of one batch (tfjs meanSquaredError, then the batch mean). */
export function gradient(parameters: readonly number[], rows: readonly number[]): number[] {
  const result = new Array<number>(parameters.length).fill(0);
  const scale = 2 / (rows.length * units);
  for (const i of rows) {
    const x = xRows[i]!;
    for (let u = 0; u < units; u++) {
      let prediction = parameters[inputs * units + u]!;
      for (let j = 0; j < inputs; j++) prediction += x[j]! * parameters[j * units + u]!;
      const residual = prediction - yRows[i]![u]!;
      for (let j = 0; j < inputs; j++) result[j * units + u]! += scale * residual * x[j]!;
      result[inputs * units + u]! += scale * residual;
    }
  }
  return result;
}

/** A float64 replay of one optimizer: `step` returns the parameter change for gradient g at learning rate lr. */
export interface Replay {
  step(g: readonly number[], learningRate: number): number[];
}

const zeros = (n: number) => new Array<number>(n).fill(0);

/** Each optimizer with tfjs's default hyper-parameters, its replay, and a learning-rate scale suited to it. */
export const optimizerCases: Record<
  string,
  { make: (learningRate: number) => tf.Optimizer; replay: (epsilon: number) => Replay; scale: number }
> = {
  sgd: {
    make: (lr) => tf.train.sgd(lr),
    scale: 1,
    replay: () => ({ step: (g, lr) => g.map((gj) => -lr * gj) }),
  },
  momentum: {
    make: (lr) => tf.train.momentum(lr, 0.9),
    scale: 1,
    replay: () => {
      let accumulation: number[] | undefined;
      return {
        step: (g, lr) => {
          const previous = accumulation ?? zeros(g.length);
          accumulation = g.map((gj, j) => 0.9 * previous[j]! + gj);
          return accumulation.map((a) => -lr * a);
        },
      };
    },
  },
  adam: {
    make: (lr) => tf.train.adam(lr),
    scale: 0.2,
    replay: (epsilon) => {
      const beta1 = 0.9;
      const beta2 = 0.999;
      let m: number[] | undefined;
      let v: number[] | undefined;
      let accBeta1 = beta1;
      let accBeta2 = beta2;
      return {
        step: (g, lr) => {
          const m0 = m ?? zeros(g.length);
          const v0 = v ?? zeros(g.length);
          m = g.map((gj, j) => beta1 * m0[j]! + (1 - beta1) * gj);
          v = g.map((gj, j) => beta2 * v0[j]! + (1 - beta2) * gj * gj);
          const delta = m.map(
            (mj, j) => (-lr * (mj / (1 - accBeta1))) / (Math.sqrt(v![j]! / (1 - accBeta2)) + epsilon),
          );
          accBeta1 *= beta1;
          accBeta2 *= beta2;
          return delta;
        },
      };
    },
  },
  adamax: {
    make: (lr) => tf.train.adamax(lr),
    scale: 0.2,
    replay: (epsilon) => {
      const beta1 = 0.9;
      const beta2 = 0.999;
      let m: number[] | undefined;
      let u: number[] | undefined;
      let accBeta1 = beta1;
      return {
        step: (g, lr) => {
          const m0 = m ?? zeros(g.length);
          const u0 = u ?? zeros(g.length);
          m = g.map((gj, j) => beta1 * m0[j]! + (1 - beta1) * gj);
          u = g.map((gj, j) => Math.max(beta2 * u0[j]!, Math.abs(gj)));
          const delta = m.map((mj, j) => ((-lr / (1 - accBeta1)) * mj) / (u![j]! + epsilon));
          accBeta1 *= beta1;
          return delta;
        },
      };
    },
  },
  rmsprop: {
    make: (lr) => tf.train.rmsprop(lr),
    scale: 0.05,
    replay: (epsilon) => {
      let meanSquare: number[] | undefined;
      return {
        step: (g, lr) => {
          const previous = meanSquare ?? zeros(g.length);
          meanSquare = g.map((gj, j) => 0.9 * previous[j]! + 0.1 * gj * gj);
          return g.map((gj, j) => (-lr * gj) / Math.sqrt(meanSquare![j]! + epsilon));
        },
      };
    },
  },
  adagrad: {
    make: (lr) => tf.train.adagrad(lr),
    scale: 0.5,
    replay: (epsilon) => {
      let accumulated: number[] | undefined;
      return {
        step: (g, lr) => {
          const previous = accumulated ?? new Array<number>(g.length).fill(0.1);
          accumulated = g.map((gj, j) => previous[j]! + gj * gj);
          return g.map((gj, j) => (-lr * gj) / Math.sqrt(accumulated![j]! + epsilon));
        },
      };
    },
  },
  adadelta: {
    make: (lr) => tf.train.adadelta(lr),
    scale: 50,
    replay: (epsilon) => {
      const rho = 0.95;
      let accumulatedGrad: number[] | undefined;
      let accumulatedUpdate: number[] | undefined;
      return {
        step: (g, lr) => {
          const grad0 = accumulatedGrad ?? zeros(g.length);
          const update0 = accumulatedUpdate ?? zeros(g.length);
          // tfjs divides by the accumulated gradient from before this step.
          const updates = g.map(
            (gj, j) => (Math.sqrt(update0[j]! + epsilon) / Math.sqrt(grad0[j]! + epsilon)) * gj,
          );
          accumulatedGrad = g.map((gj, j) => rho * grad0[j]! + (1 - rho) * gj * gj);
          accumulatedUpdate = updates.map((d, j) => rho * update0[j]! + (1 - rho) * d * d);
          return updates.map((d) => -lr * d);
        },
      };
    },
  },
};

/** Rows of the batches `fit` runs without shuffling, epoch after epoch. */
export function batchRows(epochs: number, count = samples, size = batchSize): number[][] {
  const batches: number[][] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let start = 0; start < count; start += size) {
      batches.push(Array.from({ length: Math.min(size, count - start) }, (_, k) => start + k));
    }
  }
  return batches;
}

/**
 * Replays `batches` in float64 from the initial parameters with the learning rate `rateAt(k)` for
 * batch k, and returns, per batch, the largest difference between the observed and the replayed
 * parameter change, relative to the largest replayed change.
 */
export function replayErrors(
  replay: Replay,
  batches: readonly (readonly number[])[],
  observed: readonly { before: readonly number[]; after: readonly number[] }[],
  rateAt: (k: number) => number,
): number[] {
  let parameters = [...initialKernel, ...initialBias];
  return batches.map((rows, k) => {
    const delta = replay.step(gradient(parameters, rows), rateAt(k));
    const seen = observed[k]!;
    const scale = Math.max(...delta.map(Math.abs));
    const error = Math.max(...delta.map((d, j) => Math.abs(seen.after[j]! - seen.before[j]! - d))) / scale;
    parameters = parameters.map((p, j) => p + delta[j]!);
    return error;
  });
}

/** A tfjs dataset-like object (what `fitDataset` reads) over the rows, in order, `size` per batch. */
export function datasetOf(size = batchSize) {
  return {
    size: Math.ceil(samples / size),
    async iterator() {
      let start = 0;
      return {
        async next() {
          if (start >= samples) return { done: true, value: null };
          const rows = Array.from({ length: Math.min(size, samples - start) }, (_, k) => start + k);
          start += size;
          return {
            done: false,
            value: {
              xs: tf.tensor2d(rows.map((i) => xRows[i]!)),
              ys: tf.tensor2d(rows.map((i) => yRows[i]!)),
            },
          };
        },
      };
    },
  };
}

/** `model.fit` on every row in order (no shuffling, silent), `epochs` epochs of `batchSize` rows. */
export async function fitInOrder(
  model: tfl.LayersModel,
  epochs: number,
  callbacks: tfl.CustomCallbackArgs[],
): Promise<tfl.History> {
  const xs = tf.tensor2d(xRows);
  const ys = tf.tensor2d(yRows);
  try {
    return await model.fit(xs, ys, { batchSize, epochs, shuffle: false, verbose: 0, callbacks });
  } finally {
    tf.dispose([xs, ys]);
  }
}
