// @anneal/core: schedules as pure functions of the step. Nothing here registers anything on
// import, so a bundle keeps only what it uses; `fromConfig` reads the explicit list in registry.ts.
// Reference-library compatibility (torch, keras, optax, transformers, timm) is `@anneal/core/reference`.

// Composition, plateau controller, sampling, epochs, JSON Schema.
export * from './compose/index';
export { fromConfig, toConfig, toSchedule } from './config';
export {
  AnnealError,
  formatValue,
  InvalidStepError,
  IssueListError,
  NotSerializableError,
  ScheduleConfigError,
  type ValidationIssue,
} from './errors';
// Families.
export * from './families/index';
export { type Builder, defineFamily, type FamilyDefinition } from './family';
// Learning-rate range test: createRangeTest, learningRateSweep, suggestions.
export * from './lr-finder/index';
export { getFamily, listFamilies } from './registry';
export {
  custom,
  isSchedule,
  type Phase,
  type Schedule,
  type ScheduleConfig,
  type ScheduleLike,
} from './schedule';
export {
  type BooleanSpec,
  describeSpec,
  type EnumSpec,
  IssueCollector,
  isPlainObject,
  type NumberArraySpec,
  type NumberSpec,
  type ObjectArraySpec,
  type OptionSpec,
  type OptionSpecs,
  rejectUnknownKeys,
  type ScheduleSpec,
  type UnknownKeySettings,
  type Validated,
  type ValidateSettings,
  validateOptions,
} from './validate';
