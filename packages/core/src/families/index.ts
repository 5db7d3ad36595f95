export { type ConstantOptions, constant } from './constant';
export { type CosineDecayOptions, cosineDecay } from './cosine-decay';
export { type CosineRestartsOptions, cosineRestarts } from './cosine-restarts';
export { type CycleRestartsOptions, type CycleShape, cycleRestarts } from './cycle-restarts';
export { type CyclicOptions, cyclic } from './cyclic';
export { type ExponentialDecayOptions, exponentialDecay } from './exponential-decay';
export {
  type Float32WarmupCosineDecayOptions,
  float32WarmupCosineDecay,
} from './float32-warmup-cosine-decay';
export { type InverseSqrtOptions, inverseSqrt } from './inverse-sqrt';
export { type InverseTimeDecayOptions, inverseTimeDecay } from './inverse-time-decay';
export { type LinearOptions, linear } from './linear';
export { type MultiStepDecayOptions, multiStepDecay } from './multi-step-decay';
export { type OneCycleOptions, oneCycle } from './one-cycle';
export { type PiecewiseConstantOptions, piecewiseConstant } from './piecewise-constant';
export { type PiecewiseInterpolateOptions, piecewiseInterpolate } from './piecewise-interpolate';
export { type PolynomialOptions, polynomial } from './polynomial';
export { type StepDecayOptions, stepDecay } from './step-decay';
export { type TanhDecayOptions, tanhDecay } from './tanh-decay';
export { type WarmupCosineDecayOptions, warmupCosineDecay } from './warmup-cosine-decay';
export { type WarmupStableDecayOptions, type WsdShape, warmupStableDecay } from './warmup-stable-decay';
