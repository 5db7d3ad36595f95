import {
  constant,
  isPlainObject,
  type PlateauController,
  plateauOptionSpecs,
  reduceOnPlateau,
  type Schedule,
} from '@anneal/core';
import { ArgsIssues } from './args';
import {
  checkTargetNow,
  controlKeys,
  createLearningRateControl,
  type LearningRateCallback,
  type LearningRateControlArgs,
  logNumber,
  makeCallback,
  readControlOptions,
  type ScheduleInput,
} from './callback';
import { TrainingSetupError } from './errors';
import { getLearningRate } from './optimizer';

export interface ReduceLROnPlateauArgs extends LearningRateControlArgs {
  /** The epoch-log entry to watch, e.g. `'val_loss'` (default), `'loss'`, `'val_acc'`. */
  monitor?: string;
  /**
   * `'min'` (lower is better), `'max'`, or `'auto'` (default): `'max'` when `monitor` contains
   * `acc` (accuracy), `'min'` otherwise, as Keras does.
   */
  mode?: 'min' | 'max' | 'auto';
  /** Multiplier applied at each reduction, in (0, 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement tolerated before a reduction (PyTorch semantics: reduce after more than `patience`). Default 10. */
  patience?: number;
  /** Minimum improvement that counts (see `thresholdMode`). Default 1e-4. */
  threshold?: number;
  /** `'relative'` (default) or `'absolute'` (Keras `min_delta`). */
  thresholdMode?: 'relative' | 'absolute';
  /** Epochs after a reduction during which epochs without improvement are not counted. Default 0. */
  cooldown?: number;
  /** Floor of the learning rate (absolute, Keras `min_lr`). Default 0. */
  minValue?: number;
  /** A reduction that would lower the learning rate by this much or less is skipped. Default 1e-8. */
  minDelta?: number;
  /**
   * Without `schedule`: the learning rate before any reduction; default the optimizer's learning
   * rate when the callback is created (needs a compiled model or the optimizer). With `schedule`:
   * the schedule's scale, on which `minDelta` acts (default 1).
   */
  initialValue?: number;
  /**
   * A schedule to multiply: the learning rate at step t is max(schedule(t) · multiplier, minValue),
   * the multiplier dropping by `factor` at each plateau. Without it, a constant `initialValue`.
   */
  schedule?: ScheduleInput;
}

export interface ReduceLROnPlateauCallback extends LearningRateCallback {
  /** Core's plateau controller: `multiplier`, `reductions`, and `state()` / `restore()` for resuming. */
  readonly controller: PlateauController;
  /** The schedule applied: the base schedule times the live multiplier. */
  readonly schedule: Schedule;
  /** The float32 learning rate set last, or undefined before the first batch. */
  readonly learningRate: number | undefined;
}

/**
 * Core's plateau options this callback passes through: all but `mode` (its own, with `'auto'`),
 * `initialValue` last (its default depends on `schedule` and the optimizer).
 */
const plateauKeys = [
  ...Object.keys(plateauOptionSpecs).filter((key) => key !== 'mode' && key !== 'initialValue'),
  'initialValue',
];

/**
 * A callback that lowers the learning rate when a metric in the epoch logs (`val_loss` by default)
 * stops improving, using @anneal/core's `reduceOnPlateau` controller. It composes with a schedule:
 * the learning rate is the schedule times the plateau multiplier, set before every batch (or
 * epoch) like `learningRateScheduler` — so, unlike Keras, it works when the run has a schedule.
 * Use it instead of, not next to, a `learningRateScheduler` (both would set the learning rate).
 *
 * Resuming: persist `callback.controller.state()` (plain JSON) with the model and call
 * `controller.restore(state)` on a callback built with the same options (the same `initialValue`:
 * the loaded optimizer already holds the reduced rate).
 *
 * Throws `ScheduleConfigError` for invalid options, `UnsupportedOptimizerError` for an optimizer
 * whose learning rate cannot be set, and `TrainingSetupError` at the end of an epoch whose logs
 * lack `monitor` (e.g. `val_loss` without validation data).
 */
export function reduceLROnPlateau(args: ReduceLROnPlateauArgs): ReduceLROnPlateauCallback {
  const factory = 'reduceLROnPlateau';
  const issues = new ArgsIssues(factory);
  if (!isPlainObject(args)) {
    issues.add('', 'an args object ({ model or optimizer, monitor, factor, patience, ... })', args);
    issues.throwIfAny();
  }
  const input = args as unknown as Record<string, unknown>;
  issues.unknownKeys(input, ['monitor', 'mode', 'schedule', ...plateauKeys, ...controlKeys]);
  const options = readControlOptions(issues, input);
  const monitor = input.monitor ?? 'val_loss';
  if (!(typeof monitor === 'string' && monitor.length > 0))
    issues.add('monitor', 'a non-empty string', monitor);
  issues.optionalEnum(input, 'mode', ['min', 'max', 'auto']);
  const base = input.schedule === undefined ? undefined : issues.schedule('schedule', input.schedule);

  // The base learning rate without a schedule: initialValue, else the optimizer's current one.
  let initialValue = input.initialValue;
  if (input.schedule === undefined && initialValue === undefined) {
    const optimizer = options.optimizer ?? options.model?.optimizer;
    if (optimizer == null) {
      issues.addRule(
        'initialValue',
        'initialValue is required when neither schedule nor a compiled model (or optimizer) gives the base learning rate',
        'a finite number > 0',
        undefined,
      );
    } else if (issues.ok) {
      checkTargetNow(factory, options);
      initialValue = getLearningRate(optimizer);
    }
  }
  // An invalid mode is already reported; core then gets the automatic one so it does not report it again.
  const mode = input.mode === 'min' || input.mode === 'max' ? input.mode : autoMode(String(monitor));
  const plateauOptions: Record<string, unknown> = { mode };
  for (const key of plateauKeys) if (input[key] !== undefined) plateauOptions[key] = input[key];
  if (initialValue !== undefined) plateauOptions.initialValue = initialValue;
  let controller: PlateauController | undefined;
  try {
    controller = reduceOnPlateau(plateauOptions);
  } catch (error) {
    if (!issues.nested('', error)) throw error;
  }
  issues.throwIfAny();
  checkTargetNow(factory, options);
  const plateau = controller!;
  const schedule = plateau.applyTo(base ?? constant({ value: plateau.config.initialValue }));

  const control = createLearningRateControl(factory, options, schedule, {
    onEpochEnd: async (epoch, logs, step) => {
      const metric = await logNumber(logs?.[monitor as string]);
      if (metric === undefined) {
        const available = Object.keys(logs ?? {}).join(', ') || 'none';
        throw new TrainingSetupError(
          `${factory}: monitor ${JSON.stringify(monitor)} is not in the epoch logs (available: ${available}); pass validationData or validationSplit to fit for val_ metrics, or monitor another entry.`,
        );
      }
      const before = plateau.reductions;
      plateau.report(metric);
      if (plateau.reductions > before) {
        options.verbose?.(
          `${factory}: epoch ${epoch + 1}: ${monitor} did not improve; multiplier now ${plateau.multiplier}, learning rate ${control.valueAt(step)} at step ${step}.`,
        );
      }
    },
  });
  return makeCallback<ReduceLROnPlateauCallback>(control.handlers, {
    controller: { value: plateau, enumerable: true },
    schedule: { value: schedule, enumerable: true },
    learningRate: { get: control.learningRate, enumerable: true },
  });
}

function autoMode(monitor: string): 'min' | 'max' {
  return monitor.includes('acc') ? 'max' : 'min';
}
