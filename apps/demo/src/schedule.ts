import { readFileSync } from 'node:fs';
import { type Schedule, type ScheduleConfig, toConfig, warmupCosineDecay } from '@anneal/core';
import { fromAnyConfig } from '@anneal/core/reference';
import type { OptimizerName } from './args';
import { BadInputError } from './errors';

/** Peak learning rate of the default schedule for each optimizer, for batches of 8 samples or more. */
export const peakLearningRates: Readonly<Record<OptimizerName, number>> = {
  sgd: 0.1,
  momentum: 0.05,
  adam: 2e-3,
};

/** Batches below this size scale the peak down linearly (the linear scaling rule of Goyal et al., 2017). */
export const peakBatchSize = 8;

/**
 * The headline schedule over the whole run: linear warm-up from 0 over the first 5 % of the
 * steps, hold at the peak for the next 10 %, cosine down to 1 % of the peak at the last step.
 * The peak is `peakLearningRates[optimizer] × min(1, batchSize / 8)`: with batches of 4 the
 * momentum peak of 0.05 keeps the CNN from learning at all (measured: 10 % test accuracy).
 */
export function defaultSchedule(
  optimizer: OptimizerName,
  totalSteps: number,
  batchSize = peakBatchSize,
): Schedule {
  const peakValue = peakLearningRates[optimizer] * Math.min(1, batchSize / peakBatchSize);
  return warmupCosineDecay({
    peakValue,
    totalSteps,
    warmupSteps: Math.max(1, Math.round(totalSteps * 0.05)),
    holdSteps: Math.round(totalSteps * 0.1),
    initialValue: 0,
    finalValue: peakValue * 0.01,
  });
}

/** A schedule file the demo cannot use: exit code 2. */
export class ScheduleFileError extends BadInputError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScheduleFileError';
  }
}

/** Reads a JSON schedule config (native `{"type": ...}` or reference `{"api", "params", "base_lr"}`). */
export function loadScheduleFile(path: string): Schedule {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ScheduleFileError(`--schedule: cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ScheduleFileError(`--schedule: ${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    return fromAnyConfig(json);
  } catch (error) {
    throw new ScheduleFileError(
      `--schedule: ${path} is not a valid schedule config: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Evaluates the schedule at every step of the run before training starts, so a schedule that
 * throws or yields a negative or non-finite learning rate is refused up front.
 */
export function checkSchedule(schedule: Schedule, totalSteps: number): void {
  for (let step = 0; step < totalSteps; step++) {
    let value: number;
    try {
      value = schedule(step);
    } catch (error) {
      throw new ScheduleFileError(`--schedule: evaluating step ${step} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (!Number.isFinite(value) || value < 0) {
      throw new ScheduleFileError(
        `--schedule: the learning rate at step ${step} must be a finite number >= 0; received ${value}.`,
      );
    }
  }
}

/** The schedule's JSON config for the report, or undefined when it has none. */
export function describeSchedule(schedule: Schedule): ScheduleConfig | undefined {
  try {
    return toConfig(schedule);
  } catch {
    return undefined;
  }
}
