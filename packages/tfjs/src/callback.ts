import { isPlainObject, type Schedule, type ScheduleLike } from '@anneal/core';
import type { ReferenceConfig } from '@anneal/core/reference';
import type { ArgsIssues } from './args';
import { TrainingSetupError } from './errors';
import { assertSupportedOptimizer, type ModelLike, type OptimizerLike, setLearningRate } from './optimizer';

/**
 * What the factories accept as a schedule: an anneal schedule, a native config
 * (`{ type: 'warmupCosineDecay', ... }`), a reference-library config
 * (`{ api: 'keras.optimizers.schedules.ExponentialDecay', params }`) or a plain function of the step.
 */
export type ScheduleInput = ScheduleLike | ReferenceConfig;

/** Fit logs as callbacks see them: numbers, or scalar tensors when tfjs calls a callback unwrapped. */
export type LogsLike = Record<string, unknown>;

type Handlers = {
  onTrainBegin(logs?: LogsLike): Promise<void>;
  onTrainEnd(logs?: LogsLike): Promise<void>;
  onEpochBegin(epoch: number, logs?: LogsLike): Promise<void>;
  onEpochEnd(epoch: number, logs?: LogsLike): Promise<void>;
  onBatchBegin(batch: number, logs?: LogsLike): Promise<void>;
  onBatchEnd(batch: number, logs?: LogsLike): Promise<void>;
};
const handlerNames = [
  'onTrainBegin',
  'onTrainEnd',
  'onEpochBegin',
  'onEpochEnd',
  'onBatchBegin',
  'onBatchEnd',
] as const;

/**
 * A plain callback object for `model.fit` / `model.fitDataset`. tfjs wraps such objects in its
 * own `CustomCallback`, which resolves every tensor in the logs (a device sync) before each
 * handler it finds, so a callback carries only the handlers it needs (none of these has
 * `onBatchEnd` unless it writes batch scalars). When the first entry of the callbacks list is a
 * tfjs callback class, tfjs calls every entry directly instead: it first calls `setParams` /
 * `setModel`, which then add no-op handlers for the missing ones. Handlers never use `this`
 * (tfjs calls them with its wrapper as `this`).
 */
export interface TrainingCallback extends Partial<Handlers> {
  setParams(params: unknown): void;
  setModel(model: unknown): void;
}

type ControlHandler = 'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin';

/** A callback that sets the learning rate: it always has these five handlers (and no onBatchEnd). */
export type LearningRateCallback = Omit<TrainingCallback, ControlHandler> & Pick<Handlers, ControlHandler>;

/** Builds the callback object from the handlers it needs, plus read-only properties. */
export function makeCallback<Extra extends object>(
  handlers: Partial<Handlers>,
  properties: PropertyDescriptorMap = {},
): TrainingCallback & Extra {
  const callback = { ...handlers } as Partial<Handlers> & Partial<TrainingCallback>;
  const calledDirectly = () => {
    for (const name of handlerNames) callback[name] ??= async () => {};
  };
  callback.setParams = calledDirectly;
  callback.setModel = calledDirectly;
  return Object.defineProperties(callback, properties) as TrainingCallback & Extra;
}

/** The options learningRateScheduler and reduceLROnPlateau share. */
export interface LearningRateControlArgs {
  /** The model being trained; its optimizer is read each time training begins. Give this or `optimizer`. */
  model?: ModelLike;
  /** The optimizer to drive (the one passed to `model.compile`). Give this or `model`. */
  optimizer?: OptimizerLike;
  /**
   * `'batch'` (default): the learning rate is set before every batch. `'epoch'`: it is set before
   * the first batch of each epoch and held for the epoch (Keras `LearningRateScheduler`); needs `stepsPerEpoch`.
   */
  updateEvery?: 'batch' | 'epoch';
  /**
   * Batches per epoch. Given, the schedule is read in epochs: the batch at optimizer step k uses
   * `schedule(k / stepsPerEpoch)` (`updateEvery: 'batch'`) or `schedule(floor(k / stepsPerEpoch))`
   * (`updateEvery: 'epoch'`). Must equal the number of batches `fit` runs per epoch.
   */
  stepsPerEpoch?: number;
  /**
   * Added to `optimizer.iterations` to give the step. Leave it 0 when the optimizer's count carries
   * over (a model saved with `includeOptimizer: true`); set it to the updates already done when the
   * optimizer restarted at 0 (a new optimizer, or a model saved without its optimizer).
   */
  initialStep?: number;
  /**
   * Receives one line per epoch (Keras `verbose=1`); pass `console.log` to print. The package
   * itself never writes to the console.
   */
  verbose?: (message: string) => void;
  /** Called each time a learning rate is set, with the float32 value the update uses and its step. */
  onLearningRate?: (learningRate: number, step: number) => void;
}

export const controlKeys = [
  'model',
  'optimizer',
  'updateEvery',
  'stepsPerEpoch',
  'initialStep',
  'verbose',
  'onLearningRate',
] as const;

export interface ControlOptions {
  readonly model: ModelLike | undefined;
  readonly optimizer: OptimizerLike | undefined;
  readonly updateEvery: 'batch' | 'epoch';
  readonly stepsPerEpoch: number | undefined;
  readonly initialStep: number;
  readonly verbose: ((message: string) => void) | undefined;
  readonly onLearningRate: ((learningRate: number, step: number) => void) | undefined;
}

/** Validates the shared options into `issues`; returns them normalized (only meaningful when issues.ok). */
export function readControlOptions(issues: ArgsIssues, args: Record<string, unknown>): ControlOptions {
  readTarget(issues, args);
  issues.optionalEnum(args, 'updateEvery', ['batch', 'epoch']);
  issues.optionalInteger(args, 'stepsPerEpoch', 1);
  issues.optionalInteger(args, 'initialStep', 0);
  if (args.updateEvery === 'epoch' && args.stepsPerEpoch === undefined) {
    issues.addRule(
      'stepsPerEpoch',
      'stepsPerEpoch is required when updateEvery is "epoch" (the step is optimizer.iterations; stepsPerEpoch turns it into the epoch the schedule reads)',
      'an integer >= 1',
      undefined,
    );
  }
  issues.optionalFunction(
    args,
    'verbose',
    'a function that receives each message, e.g. console.log (the package never writes to the console itself)',
  );
  issues.optionalFunction(args, 'onLearningRate', 'a function (learningRate, step) => void');
  return {
    model: args.model as ModelLike | undefined,
    optimizer: args.optimizer as OptimizerLike | undefined,
    updateEvery: (args.updateEvery as 'batch' | 'epoch' | undefined) ?? 'batch',
    stepsPerEpoch: args.stepsPerEpoch as number | undefined,
    initialStep: (args.initialStep as number | undefined) ?? 0,
    verbose: args.verbose as ((message: string) => void) | undefined,
    onLearningRate: args.onLearningRate as ((learningRate: number, step: number) => void) | undefined,
  };
}

/** Checks that exactly one of `model` and `optimizer` is given and that each is an object. */
export function readTarget(issues: ArgsIssues, args: Record<string, unknown>): void {
  const hasModel = args.model !== undefined;
  const hasOptimizer = args.optimizer !== undefined;
  if (hasModel === hasOptimizer) {
    issues.addRule(
      hasModel ? 'optimizer' : 'model',
      hasModel
        ? 'give model or optimizer, not both'
        : 'model (the LayersModel being trained) or optimizer is required, because tfjs does not hand plain callback objects the model',
      'exactly one of model, optimizer',
      hasModel ? args.optimizer : undefined,
    );
  }
  if (hasModel && !(isPlainObject(args.model) && 'optimizer' in args.model)) {
    issues.add('model', 'a tfjs LayersModel (an object with an optimizer property)', args.model);
  }
  if (hasOptimizer && !isPlainObject(args.optimizer)) {
    issues.add('optimizer', 'a tfjs optimizer', args.optimizer);
  }
}

/** The optimizer to drive now, checked; `model.optimizer` is read each call (a model may be recompiled). */
export function resolveOptimizer(
  factory: string,
  target: { model?: ModelLike | undefined; optimizer?: OptimizerLike | undefined },
): OptimizerLike {
  const optimizer = target.optimizer ?? target.model?.optimizer;
  if (optimizer == null) {
    throw new TrainingSetupError(
      `${factory}: the model has no optimizer; compile it (model.compile({ optimizer, loss })) before calling fit.`,
    );
  }
  assertSupportedOptimizer(optimizer, factory);
  return optimizer;
}

/** Checks the optimizer at construction when it is already known (given, or the model is compiled). */
export function checkTargetNow(
  factory: string,
  target: { model?: ModelLike | undefined; optimizer?: OptimizerLike | undefined },
): void {
  if (target.optimizer !== undefined) assertSupportedOptimizer(target.optimizer, factory);
  else if (target.model?.optimizer != null) assertSupportedOptimizer(target.model.optimizer, factory);
}

/** Reads a number from a log entry: a number, or a scalar tensor (tfjs passes those to unwrapped callbacks). */
export async function logNumber(value: unknown): Promise<number | undefined> {
  if (typeof value === 'number') return value;
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { data?: unknown }).data === 'function'
  ) {
    const data = (await (value as { data(): Promise<ArrayLike<number>> }).data()) as ArrayLike<number>;
    return data.length === 1 ? Number(data[0]) : undefined;
  }
  return undefined;
}

export interface LearningRateControl {
  readonly handlers: Pick<Handlers, ControlHandler>;
  /** The float32 learning rate applied last, or undefined before the first batch. */
  readonly learningRate: () => number | undefined;
  /** The (float64) value the schedule gives the update at optimizer step `step`. */
  readonly valueAt: (step: number) => number;
}

/**
 * The engine behind learningRateScheduler and reduceLROnPlateau: before each batch (or epoch),
 * reads the step from the optimizer, evaluates the schedule and sets the learning rate; records
 * it under `lr` in the batch and epoch logs.
 */
export function createLearningRateControl(
  factory: string,
  options: ControlOptions,
  schedule: Schedule,
  hooks: {
    onTrainBegin?: (optimizer: OptimizerLike) => void;
    /** Runs after `lr` is written to the epoch logs. */
    onEpochEnd?: (epoch: number, logs: LogsLike | undefined, step: number) => Promise<void>;
  } = {},
): LearningRateControl {
  const { stepsPerEpoch, updateEvery, initialStep, verbose, onLearningRate } = options;
  let optimizer: OptimizerLike | undefined;
  let applied: number | undefined;

  const valueAt = (step: number): number => {
    if (stepsPerEpoch === undefined) return schedule(step);
    return schedule(updateEvery === 'epoch' ? Math.floor(step / stepsPerEpoch) : step / stepsPerEpoch);
  };
  const active = (): OptimizerLike => {
    if (optimizer === undefined) optimizer = resolveOptimizer(factory, options);
    return optimizer;
  };
  const stepOf = (current: OptimizerLike): number => initialStep + current.iterations;
  const apply = (current: OptimizerLike, step: number): number => {
    const value = valueAt(step);
    setLearningRate(current, value);
    applied = Math.fround(value);
    onLearningRate?.(applied, step);
    return applied;
  };

  const handlers: LearningRateControl['handlers'] = {
    async onTrainBegin() {
      optimizer = resolveOptimizer(factory, options);
      hooks.onTrainBegin?.(optimizer);
    },
    async onTrainEnd() {
      optimizer = undefined;
    },
    async onEpochBegin(epoch) {
      const current = active();
      const step = stepOf(current);
      if (updateEvery === 'epoch') {
        apply(current, step);
        verbose?.(
          `${factory}: epoch ${epoch + 1} (step ${step}): setting learning rate to ${valueAt(step)}.`,
        );
      } else {
        verbose?.(
          `${factory}: epoch ${epoch + 1} (step ${step}): learning rate ${valueAt(step)}, updated every batch.`,
        );
      }
    },
    async onBatchBegin(_batch, logs) {
      const current = active();
      const learningRate =
        updateEvery === 'batch' || applied === undefined ? apply(current, stepOf(current)) : applied;
      if (logs) logs.lr = learningRate;
    },
    async onEpochEnd(epoch, logs) {
      if (logs && applied !== undefined) logs.lr = applied;
      if (hooks.onEpochEnd) await hooks.onEpochEnd(epoch, logs, stepOf(active()));
    },
  };
  return { handlers, learningRate: () => applied, valueAt };
}
