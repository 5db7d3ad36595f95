// biome-ignore-all assist/source/organizeImports: module order is registration order, which is the order of listFamilies(), the JSON Schema and the playground menu.
export {
  AnnealError,
  IssueListError,
  formatValue,
  InvalidStepError,
  NotSerializableError,
  ScheduleConfigError,
  type ValidationIssue,
} from './errors';
export {
  custom,
  fromConfig,
  getFamily,
  isSchedule,
  listFamilies,
  toConfig,
  toSchedule,
  type Phase,
  type Schedule,
  type ScheduleConfig,
  type ScheduleLike,
} from './schedule';
export { IssueCollector } from './validate';
// Families (each registers its config type on import).
export * from './families/index';
// Composition, plateau controller, sampling, epochs, JSON Schema.
export * from './compose/index';
// Reference-library compatibility: fromReference (torch, keras, optax, transformers, timm).
export * from './reference/index';
// Learning-rate range test: createRangeTest, learningRateSweep, suggestions.
export * from './lr-finder/index';
