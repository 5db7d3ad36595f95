/**
 * @anneal/onnxruntime-training for Node (onnxruntime-node by default; checkpoints as files).
 * The browser entry is `@anneal/onnxruntime-training/browser`.
 */

export { readCheckpoint } from './node/checkpoint-file';
export { createTrainer, learningRateFeed } from './node/trainer';
export * from './public';
export type { TrainerOptions } from './trainer/options';
export type { Trainer } from './trainer/trainer';
