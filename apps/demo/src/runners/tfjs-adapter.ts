import type { Schedule } from '@anneal/core';
import type { Optimizer } from '@tensorflow/tfjs-core';

interface LearningRateHolder {
  learningRate?: number;
  setLearningRate?: (value: number) => void;
}

/** Sets the optimizer's learning rate: SGD and Momentum only honour `setLearningRate`, the others read the field. */
export function writeLearningRate(optimizer: Optimizer, value: number): void {
  const holder = optimizer as unknown as LearningRateHolder;
  if (typeof holder.setLearningRate === 'function') holder.setLearningRate(value);
  else holder.learningRate = value;
}

export function readLearningRate(optimizer: Optimizer): number {
  return Number((optimizer as unknown as LearningRateHolder).learningRate);
}

/** Sets the learning rate for the batch about to run from the schedule, counting global steps. */
export function scheduleCallback(schedule: Schedule, optimizer: Optimizer) {
  let step = 0;
  return {
    onBatchBegin: async () => {
      writeLearningRate(optimizer, Math.fround(schedule(step)));
      step++;
    },
  };
}
