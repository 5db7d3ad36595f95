export {
  type CycleRestartsOptions,
  type CycleShape,
  cycleRestarts,
  type Float32Options,
  type Float32WarmupCosineDecayOptions,
  float32,
  float32WarmupCosineDecay,
  type OffsetOptions,
  offset,
} from './families';
export {
  evaluateReferenceCase,
  fromReference,
  type ReferenceCase,
  referenceApis,
  scheduleFromReference,
} from './from-reference';
export type { ReferenceConfig, ReferenceStepping } from './registry';
