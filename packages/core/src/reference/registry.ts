/**
 * The table of supported reference APIs and the parameter checking they share. Each library file
 * registers its APIs: the library's own parameter names with their defaults, the rules the library
 * enforces (and those anneal adds where a value has no faithful equivalent), and a `build` that
 * returns a native anneal config.
 */

import type { PlateauController } from '../compose/plateau';
import { formatValue, type ValidationIssue } from '../errors';
import type { ScheduleConfig } from '../schedule';

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

/** Collects issues for one API; messages read `<label>: <field> must be <expected>; received <value>.` */
export class RuleIssues {
  constructor(
    /** Names the rule's owner: the API, with the position for a child (`... (at schedulers[1])`). */
    readonly label: string,
    /** Prefix of `ValidationIssue.path` (`params.` at the top, `params.schedulers[1].` for a child). */
    readonly pathPrefix: string,
    readonly sink: ValidationIssue[],
  ) {}

  /** `<field> must be <expected>`. */
  add(field: string, expected: string, received: unknown): void {
    this.sink.push({
      path: `${this.pathPrefix}${field}`,
      expected,
      received,
      message: `${this.label}: ${field} must be ${expected}; received ${formatValue(received)}.`,
    });
  }

  /** A sentence of its own: `<label>: <sentence>; received <value>.` */
  rule(field: string, sentence: string, expected: string, received: unknown): void {
    this.sink.push({
      path: `${this.pathPrefix}${field}`,
      expected,
      received,
      message: `${this.label}: ${sentence}; received ${formatValue(received)}.`,
    });
  }

  /** A child collector for a nested object (composite children). */
  child(label: string, field: string): RuleIssues {
    return new RuleIssues(label, `${this.pathPrefix}${field}.`, this.sink);
  }

  get count(): number {
    return this.sink.length;
  }
}

// ---------------------------------------------------------------------------------------------
// Parameter specs

interface ParamBase {
  /** Absent or `null` means "not set" (Python `None`); otherwise the default applies. */
  readonly optional?: boolean;
  /** One line for the docs. */
  readonly description?: string;
}
export interface NumberParam extends ParamBase {
  readonly kind: 'number';
  readonly integer?: boolean;
  readonly default?: number;
}
export interface BooleanParam extends ParamBase {
  readonly kind: 'boolean';
  readonly default?: boolean;
}
export interface EnumParam extends ParamBase {
  readonly kind: 'enum';
  readonly values: readonly string[];
  readonly default?: string;
}
export interface NumberArrayParam extends ParamBase {
  readonly kind: 'numberArray';
  readonly integer?: boolean;
  readonly default?: readonly number[];
}
/** A Python dict of number keys to numbers (optax `boundaries_and_scales`); JSON keys are strings. */
export interface NumberMapParam extends ParamBase {
  readonly kind: 'numberMap';
}
/** A number, or a pair of numbers (timm `noise_range_t`). */
export interface NumberOrPairParam extends ParamBase {
  readonly kind: 'numberOrPair';
}
/** An array of objects (composite children, optax `sgdr_schedule` kwargs): checked by the API itself. */
export interface ObjectArrayParam extends ParamBase {
  readonly kind: 'objectArray';
}
/** A free-form string (Keras `name`): no effect on values. */
export interface StringParam extends ParamBase {
  readonly kind: 'string';
  readonly default?: string;
}
/** A parameter whose only JSON form is the default (Python callables such as `scale_fn`). */
export interface UnsupportedParam extends ParamBase {
  readonly kind: 'unsupported';
  /** Why it cannot be given and what to use instead. */
  readonly reason: string;
}

export type ParamSpec =
  | NumberParam
  | BooleanParam
  | EnumParam
  | NumberArrayParam
  | NumberMapParam
  | NumberOrPairParam
  | ObjectArrayParam
  | StringParam
  | UnsupportedParam;

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

export type ParamValues = Record<string, unknown>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Validates the parameters' types against the specs and applies defaults; rules are checked by the API. */
export function readParams(
  specs: ParamSpecs,
  input: unknown,
  issues: RuleIssues,
  ignoreKeys: readonly string[] = [],
): ParamValues {
  const values: ParamValues = {};
  if (input === undefined) input = {};
  if (!isPlainObject(input)) {
    issues.add('params', "an object of the library's arguments", input);
    return values;
  }
  const names = Object.keys(specs);
  for (const key of Object.keys(input)) {
    if (!(key in specs) && !ignoreKeys.includes(key)) {
      issues.rule(
        key,
        `unknown parameter ${JSON.stringify(key)} (expected ${names.length ? `one of ${names.join(', ')}` : 'no parameters'})`,
        names.length ? `one of ${names.join(', ')}` : 'no parameters',
        input[key],
      );
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    let value = input[name];
    if (value === null && spec.optional) value = undefined;
    if (value === undefined) {
      if ('default' in spec && spec.default !== undefined) values[name] = spec.default;
      else if (!spec.optional && spec.kind !== 'unsupported') {
        issues.rule(name, `${name} is required (${describeParam(spec)})`, describeParam(spec), undefined);
      }
      continue;
    }
    switch (spec.kind) {
      case 'number':
        if (!isFiniteNumber(value) || (spec.integer && !Number.isSafeInteger(value))) {
          issues.add(name, describeParam(spec), value);
        }
        break;
      case 'boolean':
        if (typeof value !== 'boolean') issues.add(name, 'a boolean', value);
        break;
      case 'enum':
        if (typeof value !== 'string' || !spec.values.includes(value))
          issues.add(name, describeParam(spec), value);
        break;
      case 'numberArray':
        if (!Array.isArray(value)) issues.add(name, describeParam(spec), value);
        else {
          value.forEach((item, index) => {
            if (!isFiniteNumber(item) || (spec.integer && !Number.isSafeInteger(item))) {
              issues.add(`${name}[${index}]`, spec.integer ? 'an integer' : 'a finite number', item);
            }
          });
        }
        break;
      case 'numberMap':
        if (!isPlainObject(value)) issues.add(name, describeParam(spec), value);
        else {
          for (const [key, item] of Object.entries(value)) {
            if (!Number.isFinite(Number(key)) || key.trim() === '')
              issues.add(`${name} key ${JSON.stringify(key)}`, 'a number', key);
            if (!isFiniteNumber(item)) issues.add(`${name}[${JSON.stringify(key)}]`, 'a finite number', item);
          }
        }
        break;
      case 'numberOrPair':
        if (
          !isFiniteNumber(value) &&
          !(Array.isArray(value) && value.length === 2 && value.every((item) => isFiniteNumber(item)))
        ) {
          issues.add(name, describeParam(spec), value);
        }
        break;
      case 'objectArray':
        if (!Array.isArray(value) || !value.every(isPlainObject))
          issues.add(name, describeParam(spec), value);
        break;
      case 'string':
        if (typeof value !== 'string') issues.add(name, 'a string', value);
        break;
      case 'unsupported':
        issues.rule(name, `${name} is not supported: ${spec.reason}`, 'absent', value);
        break;
    }
    values[name] = value;
  }
  return values;
}

export function describeParam(spec: ParamSpec): string {
  switch (spec.kind) {
    case 'number':
      return spec.integer ? 'an integer' : 'a finite number';
    case 'boolean':
      return 'a boolean';
    case 'enum':
      return `one of ${spec.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'numberArray':
      return spec.integer ? 'an array of integers' : 'an array of finite numbers';
    case 'numberMap':
      return 'an object mapping steps to finite numbers';
    case 'numberOrPair':
      return 'a finite number or a pair [start, end]';
    case 'objectArray':
      return 'an array of objects';
    case 'string':
      return 'a string';
    case 'unsupported':
      return 'absent';
  }
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
  readonly issues: RuleIssues;
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

const apis = new Map<string, ReferenceApi>();

export function registerReferenceApi(definition: ReferenceApi): void {
  apis.set(definition.api, definition);
}

export function getReferenceApi(api: string): ReferenceApi | undefined {
  return apis.get(api);
}

/** Finds a composite's child by short name within one library. */
export function getChildApi(library: Library, name: string): ReferenceApi | undefined {
  for (const definition of apis.values()) {
    if (
      definition.library === library &&
      (definition.shortNames?.includes(name) || definition.api === name)
    ) {
      return definition;
    }
  }
  return undefined;
}

export function listReferenceApis(): readonly ReferenceApi[] {
  return [...apis.values()];
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
  issues: RuleIssues,
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

// ---------------------------------------------------------------------------------------------
// Composite children

export interface BuiltChild {
  readonly definition: ReferenceApi;
  readonly params: ParamValues;
  /** The child's native config; undefined when the child had issues (already recorded). */
  readonly config: ScheduleConfig | undefined;
}

/**
 * Validates and builds one child of a composite (`{ api: <short name>, ...args }`). Issues are
 * recorded under `<field>` with the child's API named in the message.
 */
export function buildChild(
  library: Library,
  value: unknown,
  field: string,
  parent: BuildContext,
  options: {
    readonly baseLr: number | undefined;
    readonly allowed?: readonly string[];
    readonly extra?: Partial<BuildContext>;
  },
): BuiltChild | undefined {
  if (!isPlainObject(value)) {
    parent.issues.add(field, 'an object { "api": <name>, ...arguments }', value);
    return undefined;
  }
  const name = value.api;
  const definition = typeof name === 'string' ? getChildApi(library, name) : undefined;
  const allowed = options.allowed;
  if (!definition || (allowed && !allowed.includes(definition.shortNames?.[0] ?? definition.api))) {
    const choices =
      allowed ??
      listReferenceApis()
        .filter((entry) => entry.library === library)
        .map((entry) => entry.shortNames?.[0] ?? entry.api);
    parent.issues.rule(
      `${field}.api`,
      `${field}.api must name a ${library} schedule that ${parent.api} can hold (one of ${choices.join(', ')})`,
      `one of ${choices.join(', ')}`,
      name,
    );
    return undefined;
  }
  const issues = parent.issues.child(`${definition.api} (at ${parent.issues.pathPrefix}${field})`, field);
  const before = issues.count;
  const { api: _api, ...args } = value;
  const params = readParams(definition.params, args, issues);
  const context: BuildContext = {
    api: definition.api,
    baseLr: options.baseLr,
    stepping: parent.stepping,
    issues,
  };
  if (issues.count === before) definition.check?.(params, context);
  if (issues.count !== before) return { definition, params, config: undefined };
  const built = definition.build(params, { ...context, ...(options.extra ?? {}) });
  if (!('type' in built) || typeof built.type !== 'string') {
    parent.issues.rule(
      `${field}.api`,
      `${field}.api cannot be a metric-driven scheduler inside ${parent.api}`,
      'a schedule',
      name,
    );
    return undefined;
  }
  return { definition, params, config: built as ScheduleConfig };
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
    context.issues.rule(
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
