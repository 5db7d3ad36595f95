import { isPlateauController, type PlateauController } from '../compose/plateau';
import { checkConfigDepth, readNativeConfig } from '../config';
import { AnnealError, ScheduleConfigError } from '../errors';
import { custom, isSchedule, type Schedule, type ScheduleConfig, type ScheduleLike } from '../schedule';
import { isPlainObject, rejectUnknownKeys } from '../validate';
import { getReferenceApi, listReferenceApis } from './apis';
import {
  fromKerasSerialized,
  isKerasModelConfig,
  isKerasSerialized,
  kerasModelLearningRate,
} from './keras-serialized';
import {
  type BuildContext,
  ParamIssues,
  type ReferenceConfig,
  type ReferenceStepping,
  readParams,
  steppings,
} from './registry';

/** Keys of a golden-file case that describe the data, not the schedule; `fromReference` ignores them. */
const caseKeys = [
  'id',
  'family',
  'steps',
  'lr',
  'notes',
  'lr_float32',
  'lr_float64_numpy_version',
  'closed_form_lr',
  'metrics',
  'initial_lr',
  'get_cycle_length',
  'iters_per_epoch',
];
const configKeys = ['api', 'params', 'base_lr', 'stepping'];

/** Validates a reference config and returns the native config it maps to (or a plateau controller). */
function resolve(config: unknown): ScheduleConfig | PlateauController {
  const top = new ParamIssues('fromReference');
  const sink = top.issues;
  if (!isPlainObject(config)) {
    top.add('config', 'a reference config { "api": ..., "params": {...}, "base_lr": ... }', config);
    throw new ScheduleConfigError('fromReference', sink);
  }
  const api = config.api;
  const definition = typeof api === 'string' ? getReferenceApi(api) : undefined;
  if (!definition) {
    top.addRule(
      'api',
      `unknown api ${typeof api === 'string' ? JSON.stringify(api) : '(missing)'}: expected a fully qualified name listed by referenceApis(), e.g. "torch.optim.lr_scheduler.OneCycleLR"`,
      'a supported api name',
      api,
    );
    throw new ScheduleConfigError('fromReference', sink);
  }
  const issues = new ParamIssues(definition.api, 'params', sink);
  const topIssues = new ParamIssues(definition.api, '', sink);
  rejectUnknownKeys(config, configKeys, topIssues, {
    ignore: caseKeys,
    sentence: (key) => `unknown key ${JSON.stringify(key)} (a reference config has ${configKeys.join(', ')})`,
    expected: configKeys.join(', '),
  });
  const stepping = (config.stepping ?? 'per-step') as ReferenceStepping;
  if (!steppings.includes(stepping)) {
    topIssues.add(
      'stepping',
      `one of ${steppings.map((s) => JSON.stringify(s)).join(', ')}`,
      config.stepping,
    );
  }
  const baseLr = config.base_lr;
  if (
    baseLr !== undefined &&
    baseLr !== null &&
    !(typeof baseLr === 'number' && Number.isFinite(baseLr) && baseLr >= 0)
  ) {
    topIssues.add('base_lr', "a finite number >= 0 (the optimizer's learning rate)", baseLr);
  } else if ((baseLr === undefined || baseLr === null) && definition.baseLr === 'required') {
    topIssues.addRule(
      'base_lr',
      "base_lr is required: the schedule multiplies the optimizer's learning rate (a finite number >= 0)",
      'a finite number >= 0',
      baseLr,
    );
  }
  const params = readParams(definition.params, config.params, issues);
  const context: BuildContext = {
    api: definition.api,
    baseLr: typeof baseLr === 'number' ? baseLr : undefined,
    stepping,
    issues,
  };
  if (sink.length === 0) definition.check?.(params, context);
  if (sink.length > 0) throw new ScheduleConfigError(definition.api, sink);
  let built: ScheduleConfig | PlateauController;
  try {
    built = definition.build(params, context);
  } catch (error) {
    throw rewrap(definition.api, error);
  }
  if (sink.length > 0) throw new ScheduleConfigError(definition.api, sink);
  return built;
}

/** A native builder's complaint, restated as the reference API's. */
function rewrap(api: string, error: unknown): unknown {
  if (!ScheduleConfigError.isInstance(error)) return error;
  const issues = error.issues.map((issue) => ({
    ...issue,
    path: `native.${issue.path}`,
    message: `${api}: these arguments have no native anneal equivalent: ${issue.message}`,
  }));
  return new ScheduleConfigError(api, issues);
}

/**
 * Builds the anneal equivalent of a schedule from PyTorch, Keras, optax, transformers, timm or the
 * original Keras `cosine_decay_with_warmup`, from a config shaped like a case in the golden files:
 * `{ api, params, base_lr }`, or from a Keras schedule as `keras.optimizers.schedules.serialize()`
 * writes it (`{ module, class_name, config, registered_name }`; Keras 2: `{ class_name, config }`).
 * Its values equal the library's at every step, in that library's step convention (step k = the lr
 * of update k; timm: epoch or update t).
 *
 * Returns a `Schedule` built only from native families (so `toConfig` gives a native config), or a
 * `PlateauController` for the metric-driven `ReduceLROnPlateau` and timm `PlateauLRScheduler`.
 * Throws `ScheduleConfigError` listing every issue, each naming the library's rule.
 *
 * @example fromReference({ api: 'torch.optim.lr_scheduler.StepLR', params: { step_size: 3 }, base_lr: 0.1 })(3) === 0.01
 */
export function fromReference(
  config: ReferenceConfig | Record<string, unknown>,
): Schedule | PlateauController {
  const reference = isKerasSerialized(config) ? fromKerasSerialized(config) : config;
  const built = resolve(reference);
  if (isPlateauController(built)) return built;
  try {
    return readNativeConfig(built, readAnyNested);
  } catch (error) {
    throw rewrap(String((reference as Record<string, unknown>).api), error);
  }
}

/** Like `fromReference`, for schedules only: a metric-driven API throws `ScheduleConfigError`. */
export function scheduleFromReference(config: ReferenceConfig | Record<string, unknown>): Schedule {
  const built = fromReference(config);
  if (isPlateauController(built)) {
    const api = String((isKerasSerialized(config) ? fromKerasSerialized(config) : config).api);
    throw new ScheduleConfigError(api, [
      {
        path: 'api',
        expected: 'a schedule (not metric-driven)',
        received: api,
        message: `${api}: is driven by metrics, so it is a controller, not a schedule; call fromReference() and report(metric) on what it returns.`,
      },
    ]);
  }
  return built;
}

/** The fully qualified names of every supported reference API. */
export function referenceApis(): string[] {
  return listReferenceApis().map((definition) => definition.api);
}

/** A case of a golden file (only the fields `evaluateReferenceCase` reads). */
export interface ReferenceCase extends ReferenceConfig {
  /** Steps to evaluate; `null` is the value right after construction (torch `step(epoch)` cases). */
  readonly steps?: readonly (number | null)[];
  /** Plateau schedulers: the metric reported at each step. */
  readonly metrics?: readonly number[];
}

/**
 * The values of a golden-file case, computed by anneal: the schedule at each of `steps` (`null`:
 * the value right after construction, step 0), or for a plateau case the initial value followed by
 * the value after each metric in `metrics`. Ignores any `lr` fields.
 */
export function evaluateReferenceCase(referenceCase: ReferenceCase): number[] {
  const built = fromReference(referenceCase);
  if (isPlateauController(built)) {
    const metrics = referenceCase.metrics;
    if (!Array.isArray(metrics)) {
      throw new ScheduleConfigError(String(referenceCase.api), [
        {
          path: 'metrics',
          expected: 'an array of metrics',
          received: metrics,
          message: `${String(referenceCase.api)}: metrics must be an array of numbers for a plateau case; received ${JSON.stringify(metrics)}.`,
        },
      ]);
    }
    return [built.value, ...metrics.map((metric) => built.report(metric))];
  }
  const steps = referenceCase.steps;
  if (!Array.isArray(steps)) {
    throw new AnnealError(
      `evaluateReferenceCase: steps must be an array of steps (or null); received ${JSON.stringify(steps)}.`,
    );
  }
  return steps.map((step) => built(step === null ? 0 : step));
}

/**
 * Builds a schedule from any config a user may hold: a native one (`{ "type": ... }`), a
 * reference-library one (`{ api, params, base_lr }`), a Keras schedule as `serialize()` writes it,
 * or a Keras model's config (its optimizer's learning rate), children of any kind included. Throws
 * `ScheduleConfigError` listing every issue (metric-driven APIs included: use `fromReference`).
 */
export function fromAnyConfig(json: unknown): Schedule {
  checkConfigDepth(json, 'fromAnyConfig');
  return readAnyNested(json as Record<string, unknown>);
}

/** A config or child whose depth `fromAnyConfig` already checked. */
function readAnyNested(json: Record<string, unknown>): Schedule {
  if (isKerasModelConfig(json)) {
    const learningRate = kerasModelLearningRate(json);
    return 'type' in learningRate
      ? readNativeConfig(learningRate, readAnyNested)
      : scheduleFromReference(learningRate);
  }
  if (isKerasSerialized(json) || (isPlainObject(json) && 'api' in json && !('type' in json)))
    return scheduleFromReference(json);
  return readNativeConfig(json, readAnyNested);
}

/** `toSchedule` that also reads reference-library configs: a schedule, a function, or any config. */
export function toAnySchedule(value: ScheduleLike | ReferenceConfig | unknown): Schedule {
  if (isSchedule(value)) return value;
  if (typeof value === 'function') return custom(value as (step: number) => number);
  return fromAnyConfig(value);
}
