/**
 * What both entries export (`@anneal/tensorboard-logger` and `@anneal/tensorboard-logger/browser`):
 * encoding, decoding, CRC, framing, histograms, tag presets, errors and the writer's argument
 * types. Browser-safe.
 */

export { crc32c, maskCrc32c, maskedCrc32c, unmaskCrc32c } from './crc32c';
export { decodeEvent, decodeHParamsPluginData } from './decode';
export {
  decodeRecords,
  type EventRecord,
  type ReadEventsOptions,
  type TruncatedTail,
} from './decode-records';
export {
  encodeEvent,
  type HistogramFields,
  HPARAMS_EXPERIMENT_TAG,
  HPARAMS_SESSION_END_TAG,
  HPARAMS_SESSION_START_TAG,
} from './encode';
export {
  type ArgumentIssue,
  type CorruptionReason,
  CorruptRecordError,
  EventFileWriteError,
  InvalidArgumentError,
  QueueFullError,
  TensorBoardLoggerError,
  WriterClosedError,
} from './errors';
export { defaultBucketLimits, histogramFromValues } from './histogram';
export {
  HUGGING_FACE_LEARNING_RATE,
  KERAS_LEARNING_RATE,
  type LearningRatePreset,
  learningRateTag,
  lightningLearningRate,
  type TagLocation,
} from './presets';
export * from './proto-types';
export { frameRecord } from './record-framing';
export {
  type HistogramBucket,
  type HistogramPoint,
  isEventFileName,
  type RunData,
  type RunHParams,
  type ScalarPoint,
  type TextPoint,
} from './run-data';
export type { ScalarEncoding } from './scalar-record';
export type { AddOptions, HistogramInput, HParamsOptions, QueueFullPolicy } from './writer';
