/**
 * The Node side of the adapter: onnxruntime-node as the default runtime, the CUDA → CPU
 * fallback, warnings through `process.emitWarning`, and checkpoints as files written atomically.
 */
import * as onnxruntimeNode from 'onnxruntime-node';
import {
  createLearningRateFeed,
  type LearningRateFeed,
  type LearningRateFeedOptions,
} from '../learning-rate-feed';
import type { OrtRuntime } from '../runtime';
import type { TrainerHost, TrainerOptions } from '../trainer/options';
import { type CheckpointFiles, createTrainerOn, type Trainer } from '../trainer/trainer';
import { writeFileAtomic } from './atomic-write';
import { readCheckpointBytes } from './checkpoint-file';

const nodeRuntime: OrtRuntime = onnxruntimeNode;

/** The default `onWarning` in Node: `process.emitWarning` with type `AnnealWarning`. */
export function emitWarning(message: string): void {
  process.emitWarning(message, { type: 'AnnealWarning', code: 'ANNEAL_ONNXRUNTIME_TRAINING' });
}

const nodeHost: TrainerHost = {
  defaultRuntime: nodeRuntime,
  defaultExecutionProviders: ['cpu'],
  defaultStrict: false,
  defaultOnWarning: emitWarning,
  providers: {
    fallback: 'cpu',
    fallbackLabel: 'the CPU',
    requirements:
      'CUDA needs onnxruntime-node installed with its cuda12 flag, an NVIDIA driver, CUDA 12 and cuDNN 9',
  },
};

const nodeFiles: CheckpointFiles = { read: readCheckpointBytes, write: writeFileAtomic };

/**
 * Creates a trainer. Validates every option (one `TrainingConfigError` listing every problem),
 * creates the session (onnxruntime-node unless `ort` says otherwise; CPU, one intra-op thread by
 * default) and copies the initial values.
 *
 * @example
 * const graph = buildTrainingGraph({ inputShape: [784], layers, loss: 'softmaxCrossEntropy', optimizer: { type: 'adam' } });
 * const trainer = await createTrainer({
 *   model: graph,
 *   schedule: warmupCosineDecay({ peakValue: 1e-3, warmupSteps: 100, totalSteps: 1000 }),
 *   parameters: initParameters({ graph, seed: 0 }),
 * });
 * const loss = await trainer.step(xBatch, yBatch); // uses learning rate schedule(0)
 */
export function createTrainer(options: TrainerOptions): Promise<Trainer> {
  return createTrainerOn(nodeHost, nodeFiles, options);
}

/**
 * Feeds for a graph that takes the learning rate as a scalar input (your own training-step
 * graph built from standard ONNX ops); tensors of onnxruntime-node unless `ort` says otherwise.
 *
 * @example
 * const lr = learningRateFeed({ schedule, session });
 * await session.run({ ...otherFeeds, ...lr(step) });
 */
export function learningRateFeed(options: LearningRateFeedOptions): LearningRateFeed {
  return createLearningRateFeed(options, nodeRuntime);
}
