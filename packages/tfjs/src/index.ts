export { type BackendDescription, describeBackend, type TfLike } from './backend-info';
export type {
  LearningRateCallback,
  LearningRateControlArgs,
  LogsLike,
  ScheduleInput,
  TrainingCallback,
} from './callback';
export { TrainingSetupError, UnsupportedOptimizerError } from './errors';
export {
  type FindLearningRateArgs,
  type FitData,
  type FitDatasetData,
  findLearningRate,
} from './find-learning-rate';
export {
  type LearningRateSchedulerArgs,
  type LearningRateSchedulerCallback,
  learningRateScheduler,
} from './learning-rate-scheduler';
export {
  assertSupportedOptimizer,
  getLearningRate,
  type ModelLike,
  type OptimizerLike,
  setLearningRate,
  supportedOptimizers,
} from './optimizer';
export {
  type ReduceLROnPlateauArgs,
  type ReduceLROnPlateauCallback,
  reduceLROnPlateau,
} from './reduce-lr-on-plateau';
export {
  type ScheduledOptimizer,
  type ScheduledOptimizerArgs,
  type SteppableOptimizer,
  scheduledOptimizer,
} from './scheduled-optimizer';
export {
  type ScalarWriter,
  type TensorBoardArgs,
  type TensorBoardRun,
  type TensorBoardWriters,
  tensorBoard,
} from './tensorboard';
