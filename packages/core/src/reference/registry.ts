/**
 * The table of supported reference APIs and the parameter checking they share. Each library file
 * registers its APIs: the library's own parameter names with their defaults, the rules the library
 * enforces (and those anneal adds where a value has no faithful equivalent), and a `build` that
 * returns a native anneal config.
 */

import type { PlateauController } from '../compose/plateau';
import type { ScheduleConfig } from '../schedule';
import {
  IssueCollector,
  isPlainObject,
  type OptionSpec,
  type OptionSpecs,
  validateOptions,
} from '../validate';

/** A reference-library config: `{ api, params, base_lr }`, shaped like a case in the golden files. */
export interface ReferenceConfig {
  /** The library's fully qualified name, e.g. `torch.optim.lr_scheduler.OneCycleLR`. */
  readonly api: string;
  /** The library's own argument names and values (children of composites as `{ api: <short name>, ...args }`). */
  readonly params?: Readonly<Record<string, unknown>>;
  /** The optimizer's learning rate for libraries whose schedule multiplies it (torch, transformers, timm). */
  readonly base_lr?: number;
  /**
   * How the host drives the scheduler. Only PyTorch `CosineAnnealingWarmRestarts` depends on it:
   * `explicit-epoch` and `fractional` (`scheduler.step(epoch)`) find the cycle with a logarithm,
   * `per-step` (`scheduler.step()`) counts. Default `per-step`.
   */
  readonly stepping?: ReferenceStepping;
  readonly [key: string]: unknown;
}

export type ReferenceStepping =
  | 'per-step'
  | 'per-epoch'
  | 'per-batch'
  | 'per-update'
  | 'fractional'
  | 'explicit-epoch';

export const steppings: readonly ReferenceStepping[] = [
  'per-step',
  'per-epoch',
  'per-batch',
  'per-update',
  'fractional',
  'explicit-epoch',
];

export type Library =
  | 'pytorch'
  | 'keras'
  | 'optax'
  | 'transformers'
  | 'timm'
  | 'keras-cosine-decay-with-warmup';

/**
 * The engine's collector with the reference layer's wording: a message names the field as the
 * library spells it (`step_size must be ...`), while the issue's `path` is rooted at the config
 * (`params.step_size`, `params.schedulers[1].step_size` for a composite's child).
 */
export class ParamIssues extends IssueCollector {
  protected override messagePath(_path: string, field: string): string {
    return field;
  }

  /** A collector for a composite's child, named `label`, under `field`; it shares this one's issues. */
  child(label: string, field: string): ParamIssues {
    return new ParamIssues(label, this.path(field), this.issues);
  }
}

/** A library parameter: the engine's option specs (`null` for an optional one is Python's `None`). */
export type ParamSpec = OptionSpec;
export type ParamSpecs = OptionSpecs;
export type ParamValues = Record<string, unknown>;

/** Validates the parameters' types against the specs and applies defaults; rules are checked by the API. */
export function readParams(
  specs: ParamSpecs,
  input: unknown,
  issues: ParamIssues,
  ignoreKeys: readonly string[] = [],
): ParamValues {
  if (input === undefined) input = {};
  if (!isPlainObject(input)) {
    issues.add('params', "an object of the library's arguments", input);
    return {};
  }
  return validateOptions(specs, input, issues, { ignoreKeys, noun: 'parameter', nullIsAbsent: 'optional' })
    .options;
}

// ---------------------------------------------------------------------------------------------
// Registry

export interface BuildContext {
  /** The API's fully qualified name. */
  readonly api: string;
  /** `base_lr` of the config (undefined when absent). */
  readonly baseLr: number | undefined;
  readonly stepping: ReferenceStepping;
  /** Issues for this API (rules found while building are reported here). */
  readonly issues: ParamIssues;
  /**
   * PyTorch `SequentialLR` (1.13) starts every child after the first with `step(0)`, i.e. the
   * closed form at epoch 0, where the first child starts with its recursive form.
   */
  readonly closedFormStart?: boolean;
}

export interface ReferenceApi {
  /** Fully qualified name, as in the golden files' `api`. */
  readonly api: string;
  readonly library: Library;
  /** Short names accepted for children of composites (`LinearLR`, `linear_schedule`). */
  readonly shortNames?: readonly string[];
  /** Does the value depend on the optimizer's learning rate? `'required'`: yes; `'ignored'`: no. */
  readonly baseLr: 'required' | 'ignored';
  readonly params: ParamSpecs;
  /** One line for docs: the native builders the API maps to. */
  readonly summary: string;
  /** Library rules; runs after the type checks passed. */
  readonly check?: (params: ParamValues, context: BuildContext) => void;
  /** A native config, or a plateau controller (metric-driven APIs). Called only when no issue was found. */
  readonly build: (params: ParamValues, context: BuildContext) => ScheduleConfig | PlateauController;
}

// ---------------------------------------------------------------------------------------------
// Small helpers for rules

/** `value` is in the range; `interval` like `(0, 1]`. */
export function inRange(
  value: number,
  low: number,
  high: number,
  lowOpen: boolean,
  highOpen: boolean,
): boolean {
  const aboveLow = lowOpen ? value > low : value >= low;
  const belowHigh = highOpen ? value < high : value <= high;
  return aboveLow && belowHigh;
}

export function interval(low: number, high: number, lowOpen: boolean, highOpen: boolean): string {
  const highText = high === Number.POSITIVE_INFINITY ? 'inf' : String(high);
  return `in ${lowOpen ? '(' : '['}${low}, ${highText}${highOpen ? ')' : ']'}`;
}

/** Records `<field> must be in <interval>` unless the number lies in it. */
export function requireRange(
  issues: ParamIssues,
  params: ParamValues,
  field: string,
  low: number,
  high: number,
  lowOpen: boolean,
  highOpen: boolean,
  why = '',
): void {
  const value = params[field];
  if (typeof value !== 'number') return;
  if (!inRange(value, low, high, lowOpen, highOpen)) {
    issues.add(field, `${interval(low, high, lowOpen, highOpen)}${why}`, value);
  }
}

/** The smallest double greater than x (for "switches just after the boundary" semantics). */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Number.POSITIVE_INFINITY) return x;
  if (x === 0) return Number.MIN_VALUE;
  const buffer = new DataView(new ArrayBuffer(8));
  buffer.setFloat64(0, x);
  const bits = buffer.getBigUint64(0);
  buffer.setBigUint64(0, x > 0 ? bits + 1n : bits - 1n);
  return buffer.getFloat64(0);
}

/**
 * The ceiling given to a growing `exponentialDecay` (decay factor > 1) that the library leaves
 * unbounded: the largest double, so values agree until the library's own overflow to Infinity.
 */
export const unboundedGrowthCeiling = Number.MAX_VALUE;

/** `endValue` for a growing exponential the library does not bound. */
export function growthBound(factor: number): { endValue?: number } {
  return factor > 1 ? { endValue: unboundedGrowthCeiling } : {};
}

/**
 * The unending cosine wave the libraries write as m + (a − m) · (1 + cos(π t / H)) / 2 (a at step 0,
 * m at H, period 2H): `cosineDecay` with `periodic`, whose angle is π · t / H as theirs. The libraries
 * also accept m above a (a wave that starts at its bottom); that is the wave from m down to a read
 * H steps ahead, since (1 + cos(π (t + H) / H)) / 2 = (1 − cos(π t / H)) / 2.
 */
export function cosineWaveConfig(
  startValue: number,
  halfPeriodValue: number,
  halfPeriodSteps: number,
): ScheduleConfig {
  if (!(halfPeriodValue > startValue)) {
    return {
      type: 'cosineDecay',
      initialValue: startValue,
      finalValue: halfPeriodValue,
      decaySteps: halfPeriodSteps,
      periodic: true,
    };
  }
  return {
    type: 'offset',
    offsetSteps: halfPeriodSteps,
    schedule: {
      type: 'cosineDecay',
      initialValue: halfPeriodValue,
      finalValue: startValue,
      decaySteps: halfPeriodSteps,
      periodic: true,
    },
  };
}

/** The base learning rate of an API whose `baseLr` is 'required' (checked before `build` runs). */
export function base(context: BuildContext): number {
  return context.baseLr as number;
}

/** A `constant` config. */
export function constantConfig(value: number): ScheduleConfig {
  return { type: 'constant', value };
}

/** `last_epoch`, which torch and transformers schedulers take: only -1 (a fresh scheduler) has a meaning here. */
export const lastEpochParam: ParamSpecs = {
  last_epoch: { kind: 'number', integer: true, default: -1, description: 'Only -1 (a fresh scheduler).' },
};

/** Records an issue unless `last_epoch` is -1: a schedule is a function of the step, with no state to resume. */
export function requireFreshScheduler(p: ParamValues, context: BuildContext): void {
  if (p.last_epoch !== -1) {
    context.issues.addRule(
      'last_epoch',
      'last_epoch must be -1 (a fresh scheduler): anneal schedules are functions of the step, so resuming needs no state; evaluate the schedule at the step you resume from',
      '-1',
      p.last_epoch,
    );
  }
}

/** Records `<field> must be > 0 (<why>)` for a number that is not positive (type errors are reported by readParams). */
export function requirePositive(p: ParamValues, context: BuildContext, field: string, why: string): void {
  const value = p[field];
  if (typeof value === 'number' && !(value > 0)) context.issues.add(field, `> 0 (${why})`, value);
}

/** Records `<field> must be >= 0 (<why>)` for a negative number (type errors are reported by readParams). */
export function requireNonNegative(p: ParamValues, context: BuildContext, field: string, why: string): void {
  const value = p[field];
  if (typeof value === 'number' && !(value >= 0)) context.issues.add(field, `>= 0 (${why})`, value);
}
