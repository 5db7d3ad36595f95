import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnnealError } from '@anneal/core';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, expect } from 'vitest';
import {
  buildTrainingGraph,
  type EvaluationGraph,
  type GraphValueInfo,
  type TrainingGraph,
} from '../src/graph/build';
import { createRandom } from '../src/init';

/** A fresh temporary directory for one test file, removed after its tests. */
export function temporaryDirectory(prefix: string): string {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

/** The small Adam MLP of the error and checkpoint tests: 4 inputs, dense 5, relu, dense 3. */
export const smallAdamGraph = (): TrainingGraph =>
  buildTrainingGraph({
    inputShape: [4],
    layers: [{ type: 'dense', units: 5 }, { type: 'relu' }, { type: 'dense', units: 3 }],
    loss: 'softmaxCrossEntropy',
    optimizer: { type: 'adam' },
  });

export type Values = Record<string, Float64Array | Float32Array | BigInt64Array>;

export const sizeOf = (shape: readonly (number | string)[], batch: number) =>
  shape.reduce<number>((a, d) => a * (typeof d === 'number' ? d : batch), 1);

/** Random values for every float input of a graph (parameters, state, x); integer labels for y. */
export function randomFeedsValues(
  graph: TrainingGraph | EvaluationGraph,
  batch: number,
  seed: number,
  scale = 1,
): Values {
  const random = createRandom(seed);
  const values: Values = {};
  for (const input of graph.inputs) {
    if (input.name === 'learning_rate' || input.name === 'step') continue;
    const n = sizeOf(input.shape, batch);
    if (input.type === 'int64') {
      const classes = graph.outputShape[0]!;
      values[input.name] = BigInt64Array.from({ length: n }, () => BigInt(Math.floor(random() * classes)));
    } else {
      const Array_ = input.type === 'float64' ? Float64Array : Float32Array;
      const data = new Array_(n);
      const positive = input.name.endsWith('.exp_avg_sq');
      for (let i = 0; i < n; i++) data[i] = positive ? random() * scale * 0.1 : (2 * random() - 1) * scale;
      values[input.name] = data;
    }
  }
  return values;
}

export function toFeeds(
  inputs: readonly GraphValueInfo[],
  values: Values,
  batch: number,
  scalars: Record<string, number> = {},
): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  for (const input of inputs) {
    const shape = input.shape.map((d) => (typeof d === 'number' ? d : batch));
    if (input.name in scalars) {
      const v = scalars[input.name]!;
      feeds[input.name] = new Tensor(
        input.type as 'float32',
        input.type === 'float64' ? new Float64Array([v]) : new Float32Array([v]),
        [],
      );
    } else {
      feeds[input.name] = new Tensor(input.type as 'float32', values[input.name] as Float32Array, shape);
    }
  }
  return feeds;
}

export async function session(model: Uint8Array): Promise<InferenceSession> {
  return InferenceSession.create(model, { intraOpNumThreads: 1 });
}

export const data = (tensor: Tensor | undefined) => tensor!.data as Float64Array;

/** The typed anneal error `promise` rejects with (fails the test when it resolves or throws anything else). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(AnnealError.isInstance(error)).toBe(true);
    return error as Error;
  }
  throw new Error('expected a rejection');
}
