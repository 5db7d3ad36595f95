/** ONNX Runtime in Node: onnxruntime-node through @anneal/onnxruntime-training (CPU, or CUDA with --device gpu). */
import type { Schedule } from '@anneal/core';
import type { Trainer, TrainingGraph } from '@anneal/onnxruntime-training';
import type { DeviceName } from '../args';
import type { ModelParameters } from '../models';
import { buildModelGraph, int64Labels, toNamed, trainOnnxRuntime } from './onnxruntime';

type OrtTraining = typeof import('@anneal/onnxruntime-training');

import {
  type PreparedRunner,
  RuntimeUnavailableError,
  type ScalarWriter,
  type TrainingHooks,
  type TrainingPlan,
  type TrainingResult,
} from './types';

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

type CreateTrainer = (
  initial: ModelParameters,
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
  weights: ModelParameters,
  images: Float32Array,
  count: number,
): Promise<Float32Array> {
  const probe = await create(weights, () => 0);
  try {
    const labels = new BigInt64Array(count);
    const result = await probe.evaluate(images.subarray(0, count * 784), labels);
    return Float32Array.from(result.logits);
  } finally {
    await probe.release();
  }
}

/**
 * Prepares the ONNX Runtime run through @anneal/onnxruntime-training: a training-step graph for
 * the MLP with the plan's optimizer, and a trainer holding the plan's initial weights (same
 * layout as torch.nn.Linear, so no transposition). `--device gpu` asks for CUDA; the trainer
 * falls back to the CPU with a warning, which becomes a note for the user.
 */
export async function prepareOnnxRuntime(plan: TrainingPlan): Promise<PreparedRunner> {
  const ort = await loadOrtTraining();
  const graph = buildModelGraph(ort, plan.parameters, plan.optimizer);
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
    environment: 'node',
    backend: provider,
    device: actualDevice,
    adapter: actualDevice === 'gpu' ? 'CUDA' : 'CPU',
    notes,
    logits: (weights, images, count) => probeLogits(create, weights, images, count),
    train: (hooks: TrainingHooks, writer: ScalarWriter): Promise<TrainingResult> =>
      trainOnnxRuntime({ trainer, plan, trainLabels, testLabels, hooks, writer, batchAccuracy: true }),
    async dispose() {
      await trainer.release();
    },
  };
}
