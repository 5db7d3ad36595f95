import type { Schedule } from '@anneal/core';
import type { Optimizer, Tensor } from '@tensorflow/tfjs-core';
import type { Sequential } from '@tensorflow/tfjs-layers';
import type { DeviceName, TfjsBackendName } from '../args';
import type { Dataset } from '../data';
import { fromDenseKernel, type MlpParameters, toDenseKernel } from '../model';
import {
  type OptimizerSettings,
  type PreparedRunner,
  RuntimeUnavailableError,
  type ScalarWriter,
  secondsSince,
  type TrainingHooks,
  type TrainingPlan,
  type TrainingResult,
  yieldToEventLoop,
} from './types';

type Tf = typeof import('@tensorflow/tfjs-core');
type Tfl = typeof import('@tensorflow/tfjs-layers');
type TfjsAdapter = typeof import('@anneal/tfjs');

async function importOptional(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ specifier);
}

interface LoadedBackend {
  readonly tf: Tf;
  readonly backend: string;
  readonly device: DeviceName;
  readonly notes: string[];
}

/**
 * Loads tfjs with the requested backend. `tensorflow` needs @tensorflow/tfjs-node (or -gpu for
 * `--device gpu`); when the GPU package is missing the requested CPU backend is used and a note
 * says so, when `tensorflow` itself is missing the run stops with `RuntimeUnavailableError`.
 */
export async function loadTfjs(requested: TfjsBackendName, device: DeviceName): Promise<LoadedBackend> {
  const tf = await import('@tensorflow/tfjs-core');
  const notes: string[] = [];
  let backend: string = requested;
  let actualDevice: DeviceName = 'cpu';
  if (device === 'gpu') {
    try {
      await importOptional('@tensorflow/tfjs-node-gpu');
      backend = 'tensorflow';
      actualDevice = 'gpu';
    } catch {
      notes.push(
        `tfjs: --device gpu needs @tensorflow/tfjs-node-gpu, which is not installed; using the ${requested} backend on the CPU.`,
      );
    }
  }
  if (backend === 'tensorflow' && actualDevice === 'cpu') {
    try {
      await importOptional('@tensorflow/tfjs-node');
    } catch (error) {
      throw new RuntimeUnavailableError(
        '--tfjs-backend tensorflow needs @tensorflow/tfjs-node, which is not installed (its install script downloads libtensorflow). Use --tfjs-backend wasm or cpu.',
        { cause: error },
      );
    }
  }
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  if (backend === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  let ok = false;
  try {
    ok = await tf.setBackend(backend);
    await tf.ready();
  } catch (error) {
    throw new RuntimeUnavailableError(`tfjs: the ${backend} backend failed to initialise: ${String(error)}`, {
      cause: error,
    });
  }
  if (!ok || tf.getBackend() !== backend) {
    throw new RuntimeUnavailableError(
      `tfjs: the ${backend} backend is not available (setBackend returned false).`,
    );
  }
  return { tf, backend, device: actualDevice, notes };
}

function buildModel(tf: Tf, tfl: Tfl, parameters: MlpParameters) {
  const { inputUnits, hiddenUnits, classes } = parameters.shape;
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [inputUnits], units: hiddenUnits, activation: 'relu', name: 'hidden' }),
      tfl.layers.dense({ units: classes, name: 'logits' }),
    ],
  });
  setParameters(tf, model, parameters);
  return model;
}

function setParameters(tf: Tf, model: Sequential, parameters: MlpParameters): void {
  const { inputUnits, hiddenUnits, classes } = parameters.shape;
  const tensors = [
    tf.tensor2d(toDenseKernel(parameters.w1, hiddenUnits, inputUnits), [inputUnits, hiddenUnits]),
    tf.tensor1d(parameters.b1),
    tf.tensor2d(toDenseKernel(parameters.w2, classes, hiddenUnits), [hiddenUnits, classes]),
    tf.tensor1d(parameters.b2),
  ];
  model.setWeights(tensors);
  tf.dispose(tensors);
}

function readParameters(model: Sequential, shape: MlpParameters['shape']): MlpParameters {
  const [kernel1, bias1, kernel2, bias2] = model.getWeights().map((w) => w.dataSync() as Float32Array);
  return {
    shape,
    w1: fromDenseKernel(kernel1!, shape.inputUnits, shape.hiddenUnits),
    b1: Float32Array.from(bias1!),
    w2: fromDenseKernel(kernel2!, shape.hiddenUnits, shape.classes),
    b2: Float32Array.from(bias2!),
  };
}

/** The loaded modules a tfjs run works with. */
interface TfjsModules {
  readonly tf: Tf;
  readonly tfl: Tfl;
  readonly adapter: TfjsAdapter;
}

/** The plan's optimizer, starting at the schedule's float32 step-0 learning rate. */
function makeOptimizer(tf: Tf, settings: OptimizerSettings, schedule: Schedule): Optimizer {
  const initial = Math.fround(schedule(0));
  if (settings.name === 'sgd') return tf.train.sgd(initial);
  if (settings.name === 'momentum') return tf.train.momentum(initial, settings.momentumFactor, false);
  return tf.train.adam(initial, settings.beta1, settings.beta2, settings.epsilon);
}

/** Share of the test set the model classifies correctly (counted exactly, then divided). */
function testAccuracy(tf: Tf, model: Sequential, test: Dataset, inputUnits: number): number {
  const correct = tf.tidy(() => {
    const x = tf.tensor2d(test.images, [test.count, inputUnits]);
    const predicted = tf.argMax(model.predict(x) as Tensor, 1);
    const labels = tf.tensor1d(test.labels, 'int32');
    return tf.sum(tf.cast(tf.equal(predicted, labels), 'int32')).dataSync()[0]!;
  });
  return correct / test.count;
}

/** Logits of `count` images (rows of `inputUnits` values) from a throw-away model holding `weights`. */
function modelLogits(
  { tf, tfl }: TfjsModules,
  weights: MlpParameters,
  images: Float32Array,
  count: number,
  inputUnits: number,
): Float32Array {
  const model = buildModel(tf, tfl, weights);
  const values = tf.tidy(() =>
    (model.predict(tf.tensor2d(images, [count, inputUnits])) as Tensor).dataSync(),
  );
  model.dispose();
  return Float32Array.from(values);
}

/** Logits out, softmax cross-entropy as the loss (numerically the ONNX graph's LogSoftmax form). */
function compileForTraining({ tf, tfl }: TfjsModules, model: Sequential, optimizer: Optimizer): void {
  // The metric is a named function so fit logs it as `accuracy` (TensorBoard tag batch_accuracy).
  const accuracy = (yTrue: Tensor, yPred: Tensor) => tfl.metrics.categoricalAccuracy(yTrue, yPred);
  model.compile({
    optimizer,
    loss: (yTrue: Tensor, yPred: Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
    metrics: [accuracy],
  });
}

/** Where a fit is, as its callbacks see it, and the time spent in the demo's hooks. */
interface FitProgress {
  step: number;
  epoch: number;
  learningRate: number;
  overheadSeconds: number;
  stopped: boolean;
}

/**
 * The fit callback that reports each step and epoch to the demo's hooks (their time is counted
 * in `progress.overheadSeconds`, not as training) and stops the fit when the hooks ask.
 */
function hooksCallback(
  modules: TfjsModules,
  plan: TrainingPlan,
  model: Sequential,
  optimizer: Optimizer,
  hooks: TrainingHooks,
  progress: FitProgress,
) {
  const { tf, adapter } = modules;
  const { data, parameters } = plan;
  return {
    onEpochBegin: async (index: number) => {
      progress.epoch = index;
    },
    onBatchBegin: async () => {
      // Read back from the optimizer the value the scheduler set for this batch; the update
      // computes in float32, so that is the learning rate it uses.
      progress.learningRate = Math.fround(adapter.getLearningRate(optimizer));
    },
    onBatchEnd: async (_batch: number, logs?: Record<string, unknown>) => {
      const hookStart = performance.now();
      hooks.onStep({
        step: progress.step,
        epoch: progress.epoch,
        learningRate: progress.learningRate,
        loss: Number(logs?.loss),
        accuracy: Number(logs?.accuracy),
      });
      progress.step++;
      await yieldToEventLoop();
      if (hooks.shouldStop()) {
        progress.stopped = true;
        model.stopTraining = true;
      }
      progress.overheadSeconds += secondsSince(hookStart);
    },
    onEpochEnd: async (index: number, logs?: Record<string, unknown>) => {
      if (progress.stopped) return;
      const hookStart = performance.now();
      const accuracy = testAccuracy(tf, model, data.test, parameters.shape.inputUnits);
      // The tensorBoard callback below writes it as epoch_test_accuracy.
      if (logs) logs.test_accuracy = accuracy;
      hooks.onEpoch({
        epoch: index,
        steps: progress.step,
        testAccuracy: accuracy,
        parameters: readParameters(model, parameters.shape),
      });
      progress.overheadSeconds += secondsSince(hookStart);
    },
  };
}

/** Trains a fresh model from the plan's initial weights with `model.fit`, one batch per step, in order. */
async function trainTfjs(
  modules: TfjsModules,
  plan: TrainingPlan,
  hooks: TrainingHooks,
  writer: ScalarWriter,
): Promise<TrainingResult> {
  const { tf, tfl, adapter } = modules;
  const { data, parameters, schedule, epochs, batchSize } = plan;
  const { classes, inputUnits } = parameters.shape;
  const model = buildModel(tf, tfl, parameters);
  const optimizer = makeOptimizer(tf, plan.optimizer, schedule);
  compileForTraining(modules, model, optimizer);
  const x = tf.tensor2d(data.train.images, [data.train.count, inputUnits]);
  const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(data.train.labels, 'int32'), classes), 'float32'));
  const progress: FitProgress = {
    step: 0,
    epoch: 0,
    learningRate: Number.NaN,
    overheadSeconds: 0,
    stopped: false,
  };
  const start = performance.now();
  await model.fit(x, y, {
    batchSize,
    epochs,
    shuffle: false,
    verbose: 0,
    yieldEvery: 'never',
    callbacks: [
      adapter.learningRateScheduler({ model, schedule }),
      hooksCallback(modules, plan, model, optimizer, hooks, progress),
      adapter.tensorBoard(writer, { updateFreq: 'batch', model }),
    ],
  });
  const trainingSeconds = secondsSince(start) - progress.overheadSeconds;
  tf.dispose([x, y]);
  model.dispose();
  optimizer.dispose();
  return {
    steps: progress.step,
    samples: progress.step * batchSize,
    trainingSeconds,
    completed: !progress.stopped && progress.step === epochs * data.stepsPerEpoch,
  };
}

/** Prepares the tfjs runtime: backend, model with the plan's initial weights, optimizer, tensors. */
export async function prepareTfjs(plan: TrainingPlan, requested: TfjsBackendName): Promise<PreparedRunner> {
  const loaded = await loadTfjs(requested, plan.device);
  const tfl = await import('@tensorflow/tfjs-layers');
  const adapter = await import('@anneal/tfjs');
  const modules: TfjsModules = { tf: loaded.tf, tfl, adapter };
  return {
    runtime: 'tfjs',
    backend: loaded.backend,
    device: loaded.device,
    notes: loaded.notes,
    async logits(weights, images, count) {
      return modelLogits(modules, weights, images, count, plan.parameters.shape.inputUnits);
    },
    train: (hooks: TrainingHooks, writer: ScalarWriter) => trainTfjs(modules, plan, hooks, writer),
    async dispose() {},
  };
}
