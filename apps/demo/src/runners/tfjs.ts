import type { Schedule } from '@anneal/core';
import type { Optimizer, Tensor } from '@tensorflow/tfjs-core';
import type { Sequential } from '@tensorflow/tfjs-layers';
import type { Dataset } from '../data';
import { cnnLayout, fromTfjsWeights, type ModelName, type ModelParameters, toTfjsWeights } from '../models';
import {
  type OptimizerSettings,
  type ScalarWriter,
  secondsSince,
  type TrainingHooks,
  type TrainingPlan,
  type TrainingResult,
  yieldToEventLoop,
} from './types';

/**
 * The tfjs training loop, shared by Node (runners/tfjs-node.ts) and the browser page
 * (browser/page.ts): browser-safe, the backend is chosen by the caller.
 */
export type Tf = typeof import('@tensorflow/tfjs-core');
export type Tfl = typeof import('@tensorflow/tfjs-layers');
export type TfjsAdapter = typeof import('@anneal/tfjs');

/** The model's layers (Keras Sequential), holding `parameters` (converted from torch layout). */
function buildModel(tf: Tf, tfl: Tfl, parameters: ModelParameters): Sequential {
  const { imageSize, kernelSize, conv1Filters, conv2Filters, classes } = cnnLayout;
  const layers =
    parameters.model === 'cnn'
      ? [
          tfl.layers.conv2d({
            inputShape: [imageSize, imageSize, 1],
            filters: conv1Filters,
            kernelSize,
            activation: 'relu',
            name: 'conv1',
          }),
          tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
          tfl.layers.conv2d({ filters: conv2Filters, kernelSize, activation: 'relu', name: 'conv2' }),
          tfl.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
          tfl.layers.flatten({ name: 'flatten' }),
          tfl.layers.dense({ units: classes, name: 'logits' }),
        ]
      : [
          tfl.layers.dense({
            inputShape: [parameters.tensors[0]!.shape[1]!],
            units: parameters.tensors[0]!.shape[0]!,
            activation: 'relu',
            name: 'hidden',
          }),
          tfl.layers.dense({ units: parameters.tensors[2]!.shape[0]!, name: 'logits' }),
        ];
  const model = tfl.sequential({ layers });
  const tensors = toTfjsWeights(parameters).map(({ shape, values }) => tf.tensor(values, shape));
  model.setWeights(tensors);
  tf.dispose(tensors);
  return model;
}

function readParameters(model: Sequential, template: ModelParameters): ModelParameters {
  return fromTfjsWeights(
    template,
    model.getWeights().map((w) => w.dataSync() as Float32Array),
  );
}

/** Images as the model's input tensor: `[n, 784]` for the MLP, `[n, 28, 28, 1]` (NHWC) for the CNN. */
function imageTensor(tf: Tf, model: ModelName, images: Float32Array, count: number): Tensor {
  const size = cnnLayout.imageSize;
  return model === 'cnn'
    ? tf.tensor4d(images, [count, size, size, 1])
    : tf.tensor2d(images, [count, images.length / count]);
}

/** The loaded modules a tfjs run works with. */
export interface TfjsModules {
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
function testAccuracy(tf: Tf, model: Sequential, test: Dataset, kind: ModelName): number {
  // In chunks, so a GPU backend never holds the activations of the whole test set at once.
  const chunk = 500;
  let correct = 0;
  for (let first = 0; first < test.count; first += chunk) {
    const count = Math.min(chunk, test.count - first);
    correct += tf.tidy(() => {
      const images = test.images.subarray(first * test.pixels, (first + count) * test.pixels);
      const predicted = tf.argMax(model.predict(imageTensor(tf, kind, images, count)) as Tensor, 1);
      const labels = tf.tensor1d(test.labels.subarray(first, first + count), 'int32');
      return tf.sum(tf.cast(tf.equal(predicted, labels), 'int32')).dataSync()[0]!;
    });
  }
  return correct / test.count;
}

/** Logits of `count` images (rows of 784 pixels) from a throw-away model holding `weights`. */
export function modelLogits(
  { tf, tfl }: TfjsModules,
  weights: ModelParameters,
  images: Float32Array,
  count: number,
): Float32Array {
  const model = buildModel(tf, tfl, weights);
  const values = tf.tidy(() =>
    (model.predict(imageTensor(tf, weights.model, images, count)) as Tensor).dataSync(),
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
      const accuracy = testAccuracy(tf, model, data.test, parameters.model);
      // The tensorBoard callback below writes it as epoch_test_accuracy.
      if (logs) logs.test_accuracy = accuracy;
      hooks.onEpoch({
        epoch: index,
        steps: progress.step,
        testAccuracy: accuracy,
        parameters: readParameters(model, parameters),
      });
      progress.overheadSeconds += secondsSince(hookStart);
    },
  };
}

/** Trains a fresh model from the plan's initial weights with `model.fit`, one batch per step, in order. */
export async function trainTfjs(
  modules: TfjsModules,
  plan: TrainingPlan,
  hooks: TrainingHooks,
  writer: ScalarWriter,
): Promise<TrainingResult> {
  const { tf, tfl, adapter } = modules;
  const { data, parameters, schedule, epochs, batchSize } = plan;
  const classes = 10;
  const model = buildModel(tf, tfl, parameters);
  const optimizer = makeOptimizer(tf, plan.optimizer, schedule);
  compileForTraining(modules, model, optimizer);
  const x = imageTensor(tf, parameters.model, data.train.images, data.train.count);
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
