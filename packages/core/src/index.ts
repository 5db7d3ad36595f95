export {
  AnnealError,
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
export { constant, type ConstantOptions } from './families/constant';
export { warmupCosineDecay, type WarmupCosineDecayOptions } from './families/warmup-cosine-decay';
