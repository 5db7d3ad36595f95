import type { Schedule } from '@anneal/core';
import type { MlpParameters } from '../model';
import {
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
type Trainer = Awaited<ReturnType<OrtTraining['createTrainer']>>;

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

/**
 * Prepares the ONNX Runtime run through @anneal/onnxruntime-training: a training-step graph for
 * the MLP with the plan's optimizer, and a trainer holding the plan's initial weights (same
 * layout as torch.nn.Linear, so no transposition). `--device gpu` asks for CUDA; the trainer
 * falls back to the CPU with a warning, which becomes a note for the user.
 */
export async function prepareOnnxRuntime(plan: TrainingPlan): Promise<PreparedRunner> {
  let ort: OrtTraining;
  try {
    ort = await import('@anneal/onnxruntime-training');
    await import('onnxruntime-node');
  } catch (error) {
    throw new RuntimeUnavailableError(
      `onnxruntime: onnxruntime-node could not be loaded (${(error as Error).message.split('\n')[0]}). Install it, or leave it out with --runtimes tfjs.`,
      { cause: error },
    );
  }
  const { data, parameters, schedule, optimizer: settings, epochs, batchSize, device } = plan;
  const { inputUnits, hiddenUnits, classes } = parameters.shape;
  const optimizer =
    settings.name === 'adam'
      ? { type: 'adam' as const, beta1: settings.beta1, beta2: settings.beta2, epsilon: settings.epsilon }
      : { type: 'sgd' as const, momentum: settings.name === 'momentum' ? settings.momentumFactor : 0 };
  const graph = ort.buildTrainingGraph({
    layers: [{ type: 'dense', units: hiddenUnits }, { type: 'relu' }, { type: 'dense', units: classes }],
    loss: 'softmaxCrossEntropy',
    inputShape: [inputUnits],
    optimizer,
  });
  const notes: string[] = [];
  const warnings: string[] = [];
  const create = (initial: MlpParameters, trainerSchedule: Schedule | ((step: number) => number)) =>
    ort.createTrainer({
      model: graph,
      schedule: trainerSchedule,
      parameters: toNamed(initial),
      executionProviders: device === 'gpu' ? ['cuda', 'cpu'] : ['cpu'],
      intraOpNumThreads: 1,
      onWarning: (message) => warnings.push(message),
    });
  let trainer: Trainer;
  try {
    trainer = await create(parameters, schedule);
  } catch (error) {
    throw new RuntimeUnavailableError(
      `onnxruntime: the training session could not be created: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const provider = String(trainer.executionProviders[0] ?? 'cpu');
  const actualDevice = provider === 'cuda' ? 'gpu' : 'cpu';
  if (device === 'gpu' && actualDevice === 'cpu') {
    const reason = warnings
      .map((warning) => /unavailable \((.*)\); training/.exec(warning)?.[1] ?? warning)
      .join('; ');
    notes.push(
      `onnxruntime: --device gpu needs the CUDA execution provider (onnxruntime-node with its cuda12 install flag, CUDA 12, cuDNN 9), which is unavailable${reason ? ` (${reason})` : ''}; training on the CPU.`,
    );
  }
  const trainLabels = BigInt64Array.from(data.train.labels, (label) => BigInt(label));
  const testLabels = BigInt64Array.from(data.test.labels, (label) => BigInt(label));

  return {
    runtime: 'onnxruntime',
    backend: provider,
    device: actualDevice,
    notes,
    async logits(weights, images, count) {
      const probe = await create(weights, () => 0);
      try {
        const labels = new BigInt64Array(count);
        const result = await probe.evaluate(images.subarray(0, count * inputUnits), labels);
        return Float32Array.from(result.logits);
      } finally {
        await probe.release();
      }
    },
    async train(hooks: TrainingHooks, writer: ScalarWriter): Promise<TrainingResult> {
      let step = 0;
      let stepSeconds = 0;
      let stopped = false;
      const rowSize = data.train.pixels;
      outer: for (let epoch = 0; epoch < epochs; epoch++) {
        let lossSum = 0;
        let accuracySum = 0;
        let learningRate = Number.NaN;
        for (let batch = 0; batch < data.stepsPerEpoch; batch++) {
          const first = batch * batchSize;
          const x = data.train.images.subarray(first * rowSize, (first + batchSize) * rowSize);
          const y = trainLabels.subarray(first, first + batchSize);
          // Batch accuracy before the update (a forward pass of its own, not counted as training time).
          const before = await trainer.evaluate(x, y);
          learningRate = trainer.learningRate(trainer.currentStep);
          const stepStart = performance.now();
          const loss = await trainer.step(x, y);
          stepSeconds += secondsSince(stepStart);
          const accuracy = before.accuracy ?? Number.NaN;
          // The tags and steps @anneal/tfjs's tensorBoard callback writes for the tfjs run.
          writer.addScalar('batch_loss', loss, step);
          writer.addScalar('batch_accuracy', accuracy, step);
          writer.addScalar('batch_learning_rate', learningRate, step);
          lossSum += loss;
          accuracySum += accuracy;
          hooks.onStep({ step, epoch, learningRate, loss, accuracy });
          step++;
          await yieldToEventLoop();
          if (hooks.shouldStop()) {
            stopped = true;
            break outer;
          }
        }
        const evaluation = await trainer.evaluate(data.test.images, testLabels);
        // The graph reports a float32 fraction; count the correct samples to get the exact share.
        const testAccuracy =
          Math.round((evaluation.accuracy ?? Number.NaN) * data.test.count) / data.test.count;
        writer.addScalar('epoch_loss', lossSum / data.stepsPerEpoch, epoch);
        writer.addScalar('epoch_accuracy', accuracySum / data.stepsPerEpoch, epoch);
        writer.addScalar('epoch_learning_rate', learningRate, epoch);
        writer.addScalar('epoch_test_accuracy', testAccuracy, epoch);
        hooks.onEpoch({
          epoch,
          steps: step,
          testAccuracy,
          parameters: fromNamed(trainer.parameters(), parameters.shape),
        });
      }
      return {
        steps: step,
        samples: step * batchSize,
        trainingSeconds: stepSeconds,
        completed: !stopped && step === epochs * data.stepsPerEpoch,
      };
    },
    async dispose() {
      await trainer.release();
    },
  };
}
