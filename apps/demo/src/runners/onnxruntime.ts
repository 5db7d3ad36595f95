import type { Schedule } from '@anneal/core';
import type { OptimizerSpec, Trainer, TrainingGraph } from '@anneal/onnxruntime-training';
import type { DeviceName } from '../args';
import type { Dataset } from '../data';
import type { MlpParameters } from '../model';
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

type OrtTraining = typeof import('@anneal/onnxruntime-training');

/** Graph parameter names of the MLP: dense, relu, dense (torch.nn.Sequential numbering). */
export const parameterNames = {
  w1: 'layers.0.weight',
  b1: 'layers.0.bias',
  w2: 'layers.2.weight',
  b2: 'layers.2.bias',
} as const;

function toNamed(parameters: MlpParameters): Record<string, Float32Array> {
  return {
    [parameterNames.w1]: parameters.w1,
    [parameterNames.b1]: parameters.b1,
    [parameterNames.w2]: parameters.w2,
    [parameterNames.b2]: parameters.b2,
  };
}

function fromNamed(
  values: Record<string, Float32Array | Float64Array>,
  shape: MlpParameters['shape'],
): MlpParameters {
  const get = (name: string) => Float32Array.from(values[name]!);
  return {
    shape,
    w1: get(parameterNames.w1),
    b1: get(parameterNames.b1),
    w2: get(parameterNames.w2),
    b2: get(parameterNames.b2),
  };
}

async function loadOrtTraining(): Promise<OrtTraining> {
  try {
    const ort = await import('@anneal/onnxruntime-training');
    await import('onnxruntime-node');
    return ort;
  } catch (error) {
    throw new RuntimeUnavailableError(
      `onnxruntime: onnxruntime-node could not be loaded (${(error as Error).message.split('\n')[0]}). Install it, or leave it out with --runtimes tfjs.`,
      { cause: error },
    );
  }
}

/** The plan's optimizer as the graph builder spells it (momentum is SGD with a momentum factor). */
function ortOptimizer(settings: OptimizerSettings): OptimizerSpec {
  return settings.name === 'adam'
    ? { type: 'adam', beta1: settings.beta1, beta2: settings.beta2, epsilon: settings.epsilon }
    : { type: 'sgd', momentum: settings.name === 'momentum' ? settings.momentumFactor : 0 };
}

/** The training-step graph of the MLP: dense, relu, dense, softmax cross-entropy, the plan's optimizer. */
function buildMlpGraph(
  ort: OrtTraining,
  shape: MlpParameters['shape'],
  settings: OptimizerSettings,
): TrainingGraph {
  const { inputUnits, hiddenUnits, classes } = shape;
  return ort.buildTrainingGraph({
    layers: [{ type: 'dense', units: hiddenUnits }, { type: 'relu' }, { type: 'dense', units: classes }],
    loss: 'softmaxCrossEntropy',
    inputShape: [inputUnits],
    optimizer: ortOptimizer(settings),
  });
}

type CreateTrainer = (
  initial: MlpParameters,
  schedule: Schedule | ((step: number) => number),
) => Promise<Trainer>;

/** Creates trainers of `graph` on `device` (one thread); the trainer's warnings go to `warnings`. */
function trainerFactory(
  ort: OrtTraining,
  graph: TrainingGraph,
  device: DeviceName,
  warnings: string[],
): CreateTrainer {
  return (initial, schedule) =>
    ort.createTrainer({
      model: graph,
      schedule,
      parameters: toNamed(initial),
      executionProviders: device === 'gpu' ? ['cuda', 'cpu'] : ['cpu'],
      intraOpNumThreads: 1,
      onWarning: (message) => warnings.push(message),
    });
}

async function createRunTrainer(create: CreateTrainer, plan: TrainingPlan): Promise<Trainer> {
  try {
    return await create(plan.parameters, plan.schedule);
  } catch (error) {
    throw new RuntimeUnavailableError(
      `onnxruntime: the training session could not be created: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** The note for `--device gpu` when the trainer fell back to the CPU, with the reasons its warnings gave. */
function cpuFallbackNote(warnings: readonly string[]): string {
  const reason = warnings
    .map((warning) => /unavailable \((.*)\); training/.exec(warning)?.[1] ?? warning)
    .join('; ');
  return `onnxruntime: --device gpu needs the CUDA execution provider (onnxruntime-node with its cuda12 install flag, CUDA 12, cuDNN 9), which is unavailable${reason ? ` (${reason})` : ''}; training on the CPU.`;
}

/** Logits from a throw-away trainer holding `weights` (learning rate 0). */
async function probeLogits(
  create: CreateTrainer,
  inputUnits: number,
  weights: MlpParameters,
  images: Float32Array,
  count: number,
): Promise<Float32Array> {
  const probe = await create(weights, () => 0);
  try {
    const labels = new BigInt64Array(count);
    const result = await probe.evaluate(images.subarray(0, count * inputUnits), labels);
    return Float32Array.from(result.logits);
  } finally {
    await probe.release();
  }
}

/** Labels as the graph takes them (int64). */
function int64Labels(dataset: Dataset): BigInt64Array {
  return BigInt64Array.from(dataset.labels, (label) => BigInt(label));
}

/** One training run: the trainer, what it trains on, and where its records go. */
interface OrtRun {
  readonly trainer: Trainer;
  readonly plan: TrainingPlan;
  readonly trainLabels: BigInt64Array;
  readonly testLabels: BigInt64Array;
  readonly hooks: TrainingHooks;
  readonly writer: ScalarWriter;
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
    const before = await trainer.evaluate(x, y);
    learningRate = trainer.learningRate(trainer.currentStep);
    const stepStart = performance.now();
    const loss = await trainer.step(x, y);
    counters.stepSeconds += secondsSince(stepStart);
    const accuracy = before.accuracy ?? Number.NaN;
    // The tags and steps @anneal/tfjs's tensorBoard callback writes for the tfjs run.
    writer.addScalar('batch_loss', loss, step);
    writer.addScalar('batch_accuracy', accuracy, step);
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
  writer.addScalar('epoch_accuracy', totals.accuracySum / data.stepsPerEpoch, epoch);
  writer.addScalar('epoch_learning_rate', totals.learningRate, epoch);
  writer.addScalar('epoch_test_accuracy', testAccuracy, epoch);
  hooks.onEpoch({
    epoch,
    steps,
    testAccuracy,
    parameters: fromNamed(trainer.parameters(), parameters.shape),
  });
}

async function trainOnnxRuntime(run: OrtRun): Promise<TrainingResult> {
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

/**
 * Prepares the ONNX Runtime run through @anneal/onnxruntime-training: a training-step graph for
 * the MLP with the plan's optimizer, and a trainer holding the plan's initial weights (same
 * layout as torch.nn.Linear, so no transposition). `--device gpu` asks for CUDA; the trainer
 * falls back to the CPU with a warning, which becomes a note for the user.
 */
export async function prepareOnnxRuntime(plan: TrainingPlan): Promise<PreparedRunner> {
  const ort = await loadOrtTraining();
  const graph = buildMlpGraph(ort, plan.parameters.shape, plan.optimizer);
  const notes: string[] = [];
  const warnings: string[] = [];
  const create = trainerFactory(ort, graph, plan.device, warnings);
  const trainer = await createRunTrainer(create, plan);
  const provider = String(trainer.executionProviders[0] ?? 'cpu');
  const actualDevice = provider === 'cuda' ? 'gpu' : 'cpu';
  if (plan.device === 'gpu' && actualDevice === 'cpu') notes.push(cpuFallbackNote(warnings));
  const trainLabels = int64Labels(plan.data.train);
  const testLabels = int64Labels(plan.data.test);

  return {
    runtime: 'onnxruntime',
    backend: provider,
    device: actualDevice,
    notes,
    logits: (weights, images, count) =>
      probeLogits(create, plan.parameters.shape.inputUnits, weights, images, count),
    train: (hooks: TrainingHooks, writer: ScalarWriter): Promise<TrainingResult> =>
      trainOnnxRuntime({ trainer, plan, trainLabels, testLabels, hooks, writer }),
    async dispose() {
      await trainer.release();
    },
  };
}
