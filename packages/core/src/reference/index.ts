/**
 * `@anneal/core/reference`: value-for-value compatibility with PyTorch, Keras, optax, transformers,
 * timm and the original Keras `cosine_decay_with_warmup`, from `{ api, params, base_lr }` configs.
 * A subpath of its own, so that `@anneal/core` alone does not bundle the libraries' tables.
 */
export {
  evaluateReferenceCase,
  fromAnyConfig,
  fromReference,
  type ReferenceCase,
  referenceApis,
  scheduleFromReference,
  toAnySchedule,
} from './from-reference';
export {
  type Assumption,
  detectFormat,
  hfSchedulerTypes,
  type IgnoredKey,
  type ImportFormat,
  type ImportOptions,
  type ImportReport,
  type ImportResult,
  importFormats,
  importSchedule,
  lightningSchedulerClasses,
  type PlateauImport,
  type ReadKey,
  type ScheduleImport,
  type StepUnit,
  timmScheds,
} from './import/index';
export { isKerasModelConfig, isKerasSerialized } from './keras-serialized';
export type { ReferenceConfig, ReferenceStepping } from './registry';
