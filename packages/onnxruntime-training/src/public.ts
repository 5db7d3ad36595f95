/** What the Node entry (index.ts) and the browser entry (browser.ts) both export. */
export {
  type Checkpoint,
  type CheckpointFingerprint,
  type CheckpointTensor,
  parseCheckpoint,
} from './checkpoint';
export {
  CheckpointError,
  ExecutionProviderError,
  FeedError,
  NonFiniteLossError,
  TrainerReleasedError,
  TrainingConfigError,
} from './errors';
export type { TensorLike } from './feeds';
export type {
  Batch,
  FindLearningRateOptions,
  RangeTestBatches,
} from './find-learning-rate';
export {
  buildEvaluationGraph,
  buildTrainingGraph,
  type EvaluationGraph,
  type GraphValueInfo,
  type NormalizedTrainingOptions,
  type StateInfo,
  type TrainingGraph,
} from './graph/build';
export type { ParameterInfo } from './graph/layers';
export type {
  ActivationLayer,
  AdamOptimizer,
  AdamWOptimizer,
  Conv2dLayer,
  DenseLayer,
  Dtype,
  EvaluationGraphOptions,
  FlattenLayer,
  LayerSpec,
  LossName,
  MaxPool2dLayer,
  ModelOptions,
  OptimizerSpec,
  SgdOptimizer,
  TrainingGraphOptions,
} from './graph/spec';
export { createRandom, type InitParametersOptions, initParameters } from './init';
export type { LearningRateFeed, LearningRateFeedOptions } from './learning-rate-feed';
export type { OrtRuntime } from './runtime';
export type { ExecutionProvider } from './session';
export type { LoadOptions } from './trainer/checkpointing';
export type { EvaluationResult } from './trainer/evaluation';
export type { OutputLocation, ParameterValues } from './trainer/options';
