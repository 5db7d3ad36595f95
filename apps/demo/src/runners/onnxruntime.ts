/**
 * The ONNX Runtime training loop and graphs, shared by Node (runners/onnxruntime-node.ts) and the
 * browser page (browser/page-onnxruntime.ts): browser-safe, the trainer is created by the caller.
 */
import type { OptimizerSpec, Trainer, TrainingGraph } from '@anneal/onnxruntime-training';
import type { Dataset } from '../data';
import { cnnLayout, type ModelParameters, withValues } from '../models';
import {
  type OptimizerSettings,
  type ScalarWriter,
  secondsSince,
  type TrainingHooks,
  type TrainingPlan,
  type TrainingResult,
  yieldToEventLoop,
} from './types';

/** The builder both entries export (the Node entry and `/browser`). */
export type OrtTraining = Pick<typeof import('@anneal/onnxruntime-training'), 'buildTrainingGraph'>;

/** The parameters by graph name, as `createTrainer` takes them. */
export function toNamed(parameters: ModelParameters): Record<string, Float32Array> {
  return Object.fromEntries(parameters.tensors.map((tensor) => [tensor.name, tensor.values]));
}

function fromNamed(
  values: Record<string, Float32Array | Float64Array>,
  template: ModelParameters,
): ModelParameters {
  return withValues(
    template,
    template.tensors.map((tensor) => Float32Array.from(values[tensor.name]!)),
  );
}

/** The plan's optimizer as the graph builder spells it (momentum is SGD with a momentum factor). */
export function ortOptimizer(settings: OptimizerSettings): OptimizerSpec {
  return settings.name === 'adam'
    ? { type: 'adam', beta1: settings.beta1, beta2: settings.beta2, epsilon: settings.epsilon }
    : { type: 'sgd', momentum: settings.name === 'momentum' ? settings.momentumFactor : 0 };
}

/**
 * The training-step graph of the plan's model with the plan's optimizer: the MLP (dense, relu,
 * dense) or the CNN (conv, relu, max-pool, conv, relu, max-pool, flatten, dense), each ending in
 * softmax cross-entropy. Parameter names and layouts are torch's, as in `models.ts`.
 */
export function buildModelGraph(
  ort: OrtTraining,
  parameters: ModelParameters,
  settings: OptimizerSettings,
): TrainingGraph {
  const optimizer = ortOptimizer(settings);
  if (parameters.model === 'cnn') {
    const { imageSize, kernelSize, conv1Filters, conv2Filters, classes } = cnnLayout;
    return ort.buildTrainingGraph({
      layers: [
        { type: 'conv2d', filters: conv1Filters, kernelSize },
        { type: 'relu' },
        { type: 'maxPool2d', poolSize: 2 },
        { type: 'conv2d', filters: conv2Filters, kernelSize },
        { type: 'relu' },
        { type: 'maxPool2d', poolSize: 2 },
        { type: 'flatten' },
        { type: 'dense', units: classes },
      ],
      loss: 'softmaxCrossEntropy',
      inputShape: [1, imageSize, imageSize],
      optimizer,
    });
  }
  const [hiddenUnits, inputUnits] = parameters.tensors[0]!.shape as [number, number];
  const classes = parameters.tensors[2]!.shape[0]!;
  return ort.buildTrainingGraph({
    layers: [{ type: 'dense', units: hiddenUnits }, { type: 'relu' }, { type: 'dense', units: classes }],
    loss: 'softmaxCrossEntropy',
    inputShape: [inputUnits],
    optimizer,
  });
}

/** Labels as the graph takes them (int64). */
export function int64Labels(dataset: Dataset): BigInt64Array {
  return BigInt64Array.from(dataset.labels, (label) => BigInt(label));
}

/** One training run: the trainer, what it trains on, and where its records go. */
export interface OrtRun {
  /** A Node or browser trainer (the browser one saves checkpoints as bytes, not files). */
  readonly trainer: Omit<Trainer, 'save' | 'load'>;
  readonly plan: TrainingPlan;
  readonly trainLabels: BigInt64Array;
  readonly testLabels: BigInt64Array;
  readonly hooks: TrainingHooks;
  readonly writer: ScalarWriter;
  /**
   * Measure each batch's accuracy before the update with a forward pass of its own (not counted
   * as training time). The browser runs leave it out: on a software GPU it doubles the run time.
   */
  readonly batchAccuracy: boolean;
}

/** Counters of a run, carried from epoch to epoch. */
interface RunCounters {
  step: number;
  stepSeconds: number;
  stopped: boolean;
}

/** What an epoch's batches add up to, for the epoch_* scalars. */
interface EpochTotals {
  readonly lossSum: number;
  readonly accuracySum: number;
  /** The learning rate of the epoch's last step. */
  readonly learningRate: number;
}

/** The batches of one epoch; stops after the step at which `hooks.shouldStop()` turns true. */
async function trainEpoch(run: OrtRun, epoch: number, counters: RunCounters): Promise<EpochTotals> {
  const { trainer, plan, trainLabels, hooks, writer } = run;
  const { data, batchSize } = plan;
  const rowSize = data.train.pixels;
  let lossSum = 0;
  let accuracySum = 0;
  let learningRate = Number.NaN;
  for (let batch = 0; batch < data.stepsPerEpoch; batch++) {
    const step = counters.step;
    const first = batch * batchSize;
    const x = data.train.images.subarray(first * rowSize, (first + batchSize) * rowSize);
    const y = trainLabels.subarray(first, first + batchSize);
    // Batch accuracy before the update (a forward pass of its own, not counted as training time).
    const before = run.batchAccuracy ? await trainer.evaluate(x, y) : undefined;
    learningRate = trainer.learningRate(trainer.currentStep);
    const stepStart = performance.now();
    const loss = await trainer.step(x, y);
    counters.stepSeconds += secondsSince(stepStart);
    const accuracy = before?.accuracy ?? Number.NaN;
    // The tags and steps @anneal/tfjs's tensorBoard callback writes for the tfjs run.
    writer.addScalar('batch_loss', loss, step);
    if (before) writer.addScalar('batch_accuracy', accuracy, step);
    writer.addScalar('batch_learning_rate', learningRate, step);
    lossSum += loss;
    accuracySum += accuracy;
    hooks.onStep({ step, epoch, learningRate, loss, accuracy });
    counters.step = step + 1;
    await yieldToEventLoop();
    if (hooks.shouldStop()) {
      counters.stopped = true;
      break;
    }
  }
  return { lossSum, accuracySum, learningRate };
}

/** Test accuracy, the epoch_* scalars and the epoch hook after a full epoch. */
async function finishEpoch(run: OrtRun, epoch: number, steps: number, totals: EpochTotals): Promise<void> {
  const { trainer, plan, testLabels, hooks, writer } = run;
  const { data, parameters } = plan;
  const evaluation = await trainer.evaluate(data.test.images, testLabels);
  // The graph reports a float32 fraction; count the correct samples to get the exact share.
  const testAccuracy = Math.round((evaluation.accuracy ?? Number.NaN) * data.test.count) / data.test.count;
  writer.addScalar('epoch_loss', totals.lossSum / data.stepsPerEpoch, epoch);
  if (run.batchAccuracy) writer.addScalar('epoch_accuracy', totals.accuracySum / data.stepsPerEpoch, epoch);
  writer.addScalar('epoch_learning_rate', totals.learningRate, epoch);
  writer.addScalar('epoch_test_accuracy', testAccuracy, epoch);
  hooks.onEpoch({
    epoch,
    steps,
    testAccuracy,
    // A copy read back from the device (the webgpu provider keeps parameters on the GPU).
    parameters: fromNamed(await trainer.readParameters(), parameters),
  });
}

export async function trainOnnxRuntime(run: OrtRun): Promise<TrainingResult> {
  const { epochs, batchSize, data } = run.plan;
  const counters: RunCounters = { step: 0, stepSeconds: 0, stopped: false };
  for (let epoch = 0; epoch < epochs; epoch++) {
    const totals = await trainEpoch(run, epoch, counters);
    if (counters.stopped) break;
    await finishEpoch(run, epoch, counters.step, totals);
  }
  return {
    steps: counters.step,
    samples: counters.step * batchSize,
    trainingSeconds: counters.stepSeconds,
    completed: !counters.stopped && counters.step === epochs * data.stepsPerEpoch,
  };
}
