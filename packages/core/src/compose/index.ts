export { type ClampOptions, clamp } from './clamp';
export {
  type EpochScheduleOptions,
  type EpochsToSteps,
  type EpochsToStepsSettings,
  epochSchedule,
  epochsToSteps,
} from './epochs';
export { type Float32Options, float32 } from './float32';
export { type JoinOptions, type JoinSegment, join } from './join';
export { configSchema, type JsonSchema } from './json-schema';
export { type NoiseOptions, noise } from './noise';
export { type OffsetOptions, offset } from './offset';
export {
  InvalidMetricError,
  isPlateauController,
  type PlateauConfig,
  type PlateauController,
  type PlateauOptions,
  type PlateauState,
  plateauOptionSpecs,
  reduceOnPlateau,
} from './plateau';
export { maxSampleLength, type SampleOptions, sample } from './sample';
export { type ScaleOptions, scale } from './scale';
export { type WarmupOptions, warmup } from './warmup';
