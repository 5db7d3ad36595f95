/**
 * The adapter's Chromium test page: tfjs with the cpu, webgl and webgpu backends, and functions the
 * Node side calls through playwright-core: select a backend, run the exact learning-rate replay
 * with model.fit + learningRateScheduler and with scheduledOptimizer in a custom loop, a leak run,
 * and a throughput run (the benchmark). Parameters are read with `await tensor.data()` (webgpu has
 * no cheap synchronous read).
 */

import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  describeBackend,
  getLearningRate,
  type LogsLike,
  learningRateScheduler,
  scheduledOptimizer,
  tensorBoard,
} from '../../src/index';
import { batchRows, fitInOrder, makeModel, optimizerCases, xRows, yRows } from '../support';
import type { BackendSetup, BrowserBackend, LeakRun, MemorySample, ReplayRun, ThroughputRun } from './cases';
import { leakSteps, replayEpochs, zigzag } from './cases';

declare global {
  var pageReady: boolean;
  var annealPage: typeof page;
}

const WEBGPU_FLAGS =
  '--enable-unsafe-webgpu --enable-features=Vulkan --use-vulkan=swiftshader --use-webgpu-adapter=swiftshader --use-angle=swiftshader';

function memorySample(): MemorySample {
  const memory = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
  return { numTensors: memory.numTensors, numBytesInGPU: memory.numBytesInGPU };
}

async function readParameters(model: tfl.LayersModel): Promise<number[]> {
  const values = await Promise.all(model.getWeights().map((weight) => weight.data()));
  return values.flatMap((value) => Array.from(value as Float32Array));
}

/** SGD and Momentum multiply by a kept scalar c = -lr: the value the update uses. */
async function keptRate(optimizer: tf.Optimizer): Promise<number | undefined> {
  const c = (optimizer as unknown as { c?: tf.Scalar }).c;
  return c === undefined ? undefined : -(await c.data())[0]!;
}

const page = {
  /** Runs the docs example examples/browser/train-in-browser.ts (it picks its backend and logs one line). */
  async runTrainInBrowserExample(): Promise<void> {
    await import('../../examples/browser/train-in-browser');
  },

  async setBackend(name: BrowserBackend): Promise<BackendSetup> {
    if (name === 'webgpu') {
      const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator
        ?.gpu;
      const adapter = gpu === undefined ? null : await gpu.requestAdapter();
      if (adapter === null) {
        throw new Error(
          `WebGPU unavailable: ${gpu === undefined ? 'navigator.gpu is undefined' : 'navigator.gpu.requestAdapter() returned null'} (Chromium needs ${WEBGPU_FLAGS} without a GPU).`,
        );
      }
    }
    if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
    await tf.ready();
    return { ...describeBackend(tf), epsilon: tf.backend().epsilon() };
  },

  /** model.fit with learningRateScheduler: the rates the optimizer held and used, and the parameters around each update. */
  async fitReplay(name: string): Promise<ReplayRun> {
    const optimizerCase = optimizerCases[name]!;
    const schedule = (k: number) => optimizerCase.scale * zigzag(k);
    const optimizer = optimizerCase.make(schedule(0) * 7); // a wrong initial rate: step 0 must override it
    const model = makeModel(optimizer);
    const run = { announced: [], held: [], kept: [], logged: [], observed: [], memory: [] } as Omit<
      ReplayRun,
      'iterations' | 'historyLr'
    >;
    let before: number[] = [];
    const probe = {
      onBatchBegin: async () => {
        run.held.push(getLearningRate(optimizer));
        const kept = await keptRate(optimizer);
        if (kept !== undefined) run.kept.push(kept);
        before = await readParameters(model);
      },
      onBatchEnd: async (_batch: number, logs?: LogsLike) => {
        run.observed.push({ before, after: await readParameters(model) });
        run.logged.push(logs?.lr);
        run.memory.push(memorySample());
      },
    };
    const history = await fitInOrder(model, replayEpochs, [
      learningRateScheduler({
        model,
        schedule,
        onLearningRate: (lr, step) => run.announced.push([lr, step]),
      }),
      probe,
    ]);
    const iterations = optimizer.iterations;
    model.dispose();
    optimizer.dispose();
    return { ...run, iterations, historyLr: history.history.lr ?? [] };
  },

  /** A custom loop stepping scheduledOptimizer(optimizer).minimize(...) on the model's variables. */
  async loopReplay(name: string): Promise<ReplayRun> {
    const optimizerCase = optimizerCases[name]!;
    const schedule = (k: number) => optimizerCase.scale * zigzag(k);
    const optimizer = optimizerCase.make(123);
    const model = makeModel(optimizer);
    const run = { announced: [], held: [], kept: [], logged: [], observed: [], memory: [] } as Omit<
      ReplayRun,
      'iterations' | 'historyLr'
    >;
    const scheduled = scheduledOptimizer(optimizer, {
      schedule,
      onLearningRate: (lr, step) => run.announced.push([lr, step]),
    });
    for (const rows of batchRows(replayEpochs)) {
      const xs = tf.tensor2d(rows.map((i) => xRows[i]!));
      const ys = tf.tensor2d(rows.map((i) => yRows[i]!));
      const before = await readParameters(model);
      scheduled.minimize(() => tf.losses.meanSquaredError(ys, model.apply(xs) as tf.Tensor) as tf.Scalar);
      run.held.push(getLearningRate(optimizer));
      const kept = await keptRate(optimizer);
      if (kept !== undefined) run.kept.push(kept);
      tf.dispose([xs, ys]);
      run.observed.push({ before, after: await readParameters(model) });
      run.memory.push(memorySample());
    }
    const iterations = optimizer.iterations;
    model.dispose();
    optimizer.dispose();
    return { ...run, iterations, historyLr: [] };
  },

  /** model.fit with learningRateScheduler and tensorBoard (updateFreq 'batch'): memory after every step past a warm-up epoch. */
  async fitLeak(name: string): Promise<LeakRun> {
    const optimizer = optimizerCases[name]!.make(0.01);
    const model = makeModel(optimizer);
    const schedule = { type: 'cosineDecay', initialValue: 0.01, decaySteps: 1000 } as const;
    let scalarsWritten = 0;
    const memory: MemorySample[] = [];
    const callbacks = (probe: boolean) => [
      learningRateScheduler({ model, schedule }),
      tensorBoard({ addScalar: () => void scalarsWritten++ }, { model, updateFreq: 'batch' }),
      ...(probe ? [{ onBatchEnd: async () => void memory.push(memorySample()) }] : []),
    ];
    await fitInOrder(model, 1, callbacks(false));
    await fitInOrder(model, leakSteps / 5, callbacks(true));
    model.dispose();
    optimizer.dispose();
    return { memory, scalarsWritten };
  },

  /**
   * Samples per second of model.fit for an MLP 784-128-10 (ReLU, softmax, seeded Glorot weights,
   * Adam (peak 1e-3) or SGD (peak 0.1) with learningRateScheduler, batch `size`), on
   * deterministic synthetic data of `samples` rows: one warm-up epoch (shader compilation), then
   * `epochs` timed epochs.
   */
  async throughput(
    samples: number,
    size: number,
    epochs: number,
    optimizerName: 'adam' | 'sgd' = 'adam',
  ): Promise<ThroughputRun> {
    let state = 7;
    const random = () => {
      state = (Math.imul(1664525, state) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const x = tf.tensor2d(Float32Array.from({ length: samples * 784 }, random), [samples, 784]);
    const labels = Array.from({ length: samples }, () => Math.floor(random() * 10));
    const y = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 10), 'float32');
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({
          inputShape: [784],
          units: 128,
          activation: 'relu',
          kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
        }),
        tfl.layers.dense({
          units: 10,
          activation: 'softmax',
          kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
        }),
      ],
    });
    const peakValue = optimizerName === 'adam' ? 1e-3 : 0.1;
    const optimizer = optimizerName === 'adam' ? tf.train.adam(peakValue) : tf.train.sgd(peakValue);
    model.compile({ optimizer, loss: 'categoricalCrossentropy' });
    const schedule = { type: 'warmupCosineDecay', peakValue, totalSteps: 10_000, warmupSteps: 20 } as const;
    const fit = (count: number) =>
      model.fit(x, y, {
        batchSize: size,
        epochs: count,
        shuffle: false,
        verbose: 0,
        callbacks: [learningRateScheduler({ model, schedule })],
      });
    const warmUp = await fit(1);
    const start = performance.now();
    const history = await fit(epochs);
    const seconds = (performance.now() - start) / 1000;
    const losses = history.history.loss as number[];
    tf.dispose([x, y]);
    model.dispose();
    return {
      samplesPerSecond: (samples * epochs) / seconds,
      seconds,
      samples: samples * epochs,
      warmUpLoss: (warmUp.history.loss as number[])[0]!,
      lastLoss: losses[losses.length - 1]!,
    };
  },
};

globalThis.annealPage = page;
globalThis.pageReady = true;
