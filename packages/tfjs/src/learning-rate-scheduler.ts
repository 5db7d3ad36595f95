import type { Schedule } from '@anneal/core';
import { isPlainObject } from '@anneal/core';
import { ArgsIssues } from './args';
import {
  checkTargetNow,
  controlKeys,
  createLearningRateControl,
  type LearningRateCallback,
  type LearningRateControlArgs,
  makeCallback,
  readControlOptions,
  type ScheduleInput,
} from './callback';

export interface LearningRateSchedulerArgs extends LearningRateControlArgs {
  /** Any anneal schedule, schedule config, reference-library config or function of the step. */
  schedule: ScheduleInput;
}

export interface LearningRateSchedulerCallback extends LearningRateCallback {
  /** The schedule being applied (read in epochs when `stepsPerEpoch` was given). */
  readonly schedule: Schedule;
  /** The float32 learning rate set last, or undefined before the first batch. */
  readonly learningRate: number | undefined;
}

/**
 * A callback for `model.fit` / `model.fitDataset` that applies an anneal schedule: before each
 * batch it sets the learning rate to `schedule(step)`, where the step is the optimizer's update
 * count (`optimizer.iterations`, plus `initialStep`). Validation never advances it, and a model
 * saved with `includeOptimizer: true` resumes where it stopped. The value is recorded under `lr`
 * in the batch and epoch logs (History, TensorBoard, progress output).
 *
 * Throws `ScheduleConfigError` (every invalid option at once, an invalid schedule config
 * included) and `UnsupportedOptimizerError` (an optimizer whose learning rate cannot be set).
 *
 * @example
 * model.compile({ optimizer: tf.train.adam(1e-3), loss: 'meanSquaredError' });
 * await model.fit(xs, ys, {
 *   epochs: 10,
 *   callbacks: [learningRateScheduler({ model, schedule: warmupCosineDecay({ peakValue: 1e-3, totalSteps: 1000, warmupSteps: 100 }) })],
 * });
 */
export function learningRateScheduler(args: LearningRateSchedulerArgs): LearningRateSchedulerCallback {
  const factory = 'learningRateScheduler';
  const issues = new ArgsIssues(factory);
  if (!isPlainObject(args)) {
    issues.add('', 'an args object ({ schedule, model or optimizer, ... })', args);
    issues.throwIfAny();
  }
  const input = args as unknown as Record<string, unknown>;
  issues.unknownKeys(input, ['schedule', ...controlKeys]);
  const schedule = issues.schedule('schedule', input.schedule);
  const options = readControlOptions(issues, input);
  issues.throwIfAny();
  checkTargetNow(factory, options);
  const control = createLearningRateControl(factory, options, schedule!);
  return makeCallback<LearningRateSchedulerCallback>(control.handlers, {
    schedule: { value: schedule, enumerable: true },
    learningRate: { get: control.learningRate, enumerable: true },
  });
}
