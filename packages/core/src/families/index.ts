export { constant, type ConstantOptions } from './constant';
export { warmupCosineDecay, type WarmupCosineDecayOptions } from './warmup-cosine-decay';
