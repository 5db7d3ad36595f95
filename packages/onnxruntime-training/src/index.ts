export {
  type Checkpoint,
  type CheckpointFingerprint,
  type CheckpointTensor,
  readCheckpoint,
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
export { type LearningRateFeed, type LearningRateFeedOptions, learningRateFeed } from './learning-rate-feed';
export type { ExecutionProvider } from './session';
export type { LoadOptions } from './trainer/checkpointing';
export type { EvaluationResult } from './trainer/evaluation';
export type { ParameterValues, TrainerOptions } from './trainer/options';
export { createTrainer, type Trainer } from './trainer/trainer';
