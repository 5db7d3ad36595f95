import type { Schedule } from '@anneal/core';
import { isPlainObject } from '@anneal/core';
import { ArgsIssues } from './args';
import type { ScheduleInput } from './callback';
import { assertSupportedOptimizer, type OptimizerLike, setLearningRate } from './optimizer';

/** An optimizer a custom training loop steps itself. */
export interface SteppableOptimizer extends OptimizerLike {
  minimize(f: () => unknown, returnCost?: boolean, varList?: unknown[]): unknown;
  applyGradients(variableGradients: unknown): void;
}

export interface ScheduledOptimizerArgs {
  /** Any anneal schedule, schedule config or function of the step. */
  schedule: ScheduleInput;
  /** Added to `optimizer.iterations` to give the step (for an optimizer that restarted at 0). Default 0. */
  initialStep?: number;
  /** Given, the schedule is read in epochs: the update at step k uses `schedule(k / stepsPerEpoch)`. */
  stepsPerEpoch?: number;
  /** Called each time a learning rate is set, with the float32 value the update uses and its step. */
  onLearningRate?: (learningRate: number, step: number) => void;
}

export interface ScheduledOptimizer<O extends SteppableOptimizer> {
  /** The wrapped optimizer (unchanged apart from its learning rate). */
  readonly optimizer: O;
  readonly schedule: Schedule;
  /** The step the next update takes: `initialStep + optimizer.iterations`. */
  readonly step: number;
  /** The float32 learning rate set last, or undefined before the first update. */
  readonly learningRate: number | undefined;
  /** Sets the learning rate for the next update (`schedule(step)`) and returns the float32 value it will use. */
  applyLearningRate(): number;
  /** `optimizer.minimize(...)` after `applyLearningRate()`. */
  minimize: O['minimize'];
  /** `optimizer.applyGradients(...)` after `applyLearningRate()`. */
  applyGradients: O['applyGradients'];
}

/**
 * For custom training loops: wraps a tfjs optimizer so that each `minimize` / `applyGradients`
 * first sets the learning rate for the step it is about to take. The step is read from the
 * optimizer (`iterations`), so it survives `getWeights` / `setWeights` round trips.
 *
 * Throws `ScheduleConfigError` for invalid args and `UnsupportedOptimizerError` for an optimizer
 * whose learning rate cannot be set.
 *
 * @example
 * const scheduled = scheduledOptimizer(tf.train.sgd(0.1), { schedule: { type: 'constant', value: 0.01 } });
 * for (const batch of batches) scheduled.minimize(() => loss(batch));
 */
export function scheduledOptimizer<O extends SteppableOptimizer>(
  optimizer: O,
  args: ScheduledOptimizerArgs,
): ScheduledOptimizer<O> {
  const factory = 'scheduledOptimizer';
  const issues = new ArgsIssues(factory);
  if (!isPlainObject(args)) {
    issues.add('', 'an args object ({ schedule, ... })', args);
    issues.throwIfAny();
  }
  const input = args as unknown as Record<string, unknown>;
  issues.unknownKeys(input, ['schedule', 'initialStep', 'stepsPerEpoch', 'onLearningRate']);
  const schedule = issues.schedule('schedule', input.schedule);
  issues.optionalInteger(input, 'initialStep', 0);
  issues.optionalInteger(input, 'stepsPerEpoch', 1);
  issues.optionalFunction(input, 'onLearningRate', 'a function (learningRate, step) => void');
  issues.throwIfAny();
  assertSupportedOptimizer(optimizer, factory);
  const initialStep = args.initialStep ?? 0;
  const { stepsPerEpoch, onLearningRate } = args;
  let applied: number | undefined;

  const stepNow = () => initialStep + optimizer.iterations;
  const applyLearningRate = (): number => {
    const step = stepNow();
    const value = schedule!(stepsPerEpoch === undefined ? step : step / stepsPerEpoch);
    setLearningRate(optimizer, value);
    applied = Math.fround(value);
    onLearningRate?.(applied, step);
    return applied;
  };
  const minimize = (...rest: Parameters<O['minimize']>) => {
    applyLearningRate();
    return optimizer.minimize(...(rest as [() => unknown, boolean?, unknown[]?]));
  };
  const applyGradients = (variableGradients: Parameters<O['applyGradients']>[0]) => {
    applyLearningRate();
    return optimizer.applyGradients(variableGradients);
  };
  return {
    optimizer,
    schedule: schedule!,
    get step() {
      return stepNow();
    },
    get learningRate() {
      return applied;
    },
    applyLearningRate,
    minimize: minimize as O['minimize'],
    applyGradients: applyGradients as O['applyGradients'],
  };
}
