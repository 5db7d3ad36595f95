import {
  AnnealError,
  formatValue,
  InvalidStepError,
  NotSerializableError,
  ScheduleConfigError,
} from './errors';
import { IssueCollector } from './validate';

/** A JSON config of a built-in schedule: `{ "type": "warmupCosineDecay", ... }`. */
export interface ScheduleConfig {
  readonly type: string;
  readonly [option: string]: unknown;
}

/** A labelled span of steps, used to annotate plots (`warmup`, `hold`, `decay`, ...). `end` may be Infinity. */
export interface Phase {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/**
 * A learning-rate schedule: a pure function of the step. Step k (0-based) is the learning rate
 * used by the update that moves the optimizer's count from k to k+1. Fractional steps are allowed.
 * Throws `InvalidStepError` for a negative, NaN or infinite step.
 */
export interface Schedule {
  (step: number): number;
  /** The JSON config this schedule was built from, or `undefined` for a custom function. */
  readonly config: ScheduleConfig | undefined;
  /** Phases for plot annotations (may be empty). */
  readonly phases: readonly Phase[];
}

/** Anything accepted where a schedule is expected: a schedule, a native config, or a plain function of the step. */
export type ScheduleLike = Schedule | ScheduleConfig | ((step: number) => number);

// ---------------------------------------------------------------------------------------------
// Option specs: one declaration drives validation, defaults, JSON Schema and docs tables.

interface SpecBase {
  /** One line for docs and the JSON Schema. */
  readonly description: string;
  /** Optional without a default: absent means "not set". */
  readonly optional?: boolean;
}

export interface NumberSpec extends SpecBase {
  readonly kind: 'number';
  readonly integer?: boolean;
  readonly min?: number;
  readonly minExclusive?: boolean;
  readonly max?: number;
  readonly maxExclusive?: boolean;
  readonly default?: number;
}
export interface BooleanSpec extends SpecBase {
  readonly kind: 'boolean';
  readonly default?: boolean;
}
export interface EnumSpec extends SpecBase {
  readonly kind: 'enum';
  readonly values: readonly string[];
  readonly default?: string;
}
export interface NumberArraySpec extends SpecBase {
  readonly kind: 'numberArray';
  readonly integer?: boolean;
  readonly min?: number;
  readonly minExclusive?: boolean;
  readonly minLength?: number;
  readonly default?: readonly number[];
}
export interface ScheduleSpec extends SpecBase {
  readonly kind: 'schedule';
  /** Also accept a plain finite number >= 0 (kept as a number in the options and the config). */
  readonly acceptNumber?: boolean;
}
export interface ObjectArraySpec extends SpecBase {
  readonly kind: 'objectArray';
  readonly items: Readonly<Record<string, OptionSpec>>;
  readonly minLength?: number;
}
export type OptionSpec =
  | NumberSpec
  | BooleanSpec
  | EnumSpec
  | NumberArraySpec
  | ScheduleSpec
  | ObjectArraySpec;
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Everything a family declares. `build` receives validated options with defaults applied and nested schedules resolved. */
export interface FamilyDefinition<Options> {
  readonly type: string;
  /** One-sentence summary (docs, JSON Schema). */
  readonly summary: string;
  readonly options: OptionSpecs;
  /** Cross-field rules; runs only when every field passed its own checks. */
  readonly check?: (options: Options, issues: IssueCollector) => void;
  /** Returns the bare evaluation function. It is only ever called with a finite step >= 0. */
  readonly build: (options: Options) => (step: number) => number;
  /** Phases for plot annotations. */
  readonly phases?: (options: Options) => Phase[];
}

export type Builder<Input> = ((options: Input) => Schedule) & { readonly family: FamilyDefinition<unknown> };

const families = new Map<string, FamilyDefinition<unknown>>();
const scheduleMarker = Symbol.for('anneal.schedule');
const evaluatorKey = Symbol.for('anneal.evaluate');

/** Every registered family, in registration order (for the JSON Schema, the CLI and docs). */
export function listFamilies(): readonly FamilyDefinition<unknown>[] {
  return [...families.values()];
}

/** The family registered under `type`, if any. */
export function getFamily(type: string): FamilyDefinition<unknown> | undefined {
  return families.get(type);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isSchedule(value: unknown): value is Schedule {
  return (
    typeof value === 'function' && (value as unknown as Record<symbol, unknown>)[scheduleMarker] === true
  );
}

function describeNumber(spec: NumberSpec | NumberArraySpec): string {
  const parts: string[] = [];
  if ('max' in spec && spec.max !== undefined && spec.min !== undefined) {
    const lo = spec.minExclusive ? '(' : '[';
    const hi = spec.maxExclusive ? ')' : ']';
    parts.push(`${spec.integer ? 'an integer' : 'a finite number'} in ${lo}${spec.min}, ${spec.max}${hi}`);
  } else if (spec.min !== undefined) {
    const op = spec.minExclusive ? '>' : '>=';
    parts.push(`${spec.integer ? 'an integer' : 'a finite number'} ${op} ${spec.min}`);
  } else if ('max' in spec && spec.max !== undefined) {
    parts.push(
      `${spec.integer ? 'an integer' : 'a finite number'} ${spec.maxExclusive ? '<' : '<='} ${spec.max}`,
    );
  } else {
    parts.push(spec.integer ? 'an integer' : 'a finite number');
  }
  return parts.join('');
}

function numberOk(spec: NumberSpec | NumberArraySpec, value: unknown): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (spec.integer && !Number.isSafeInteger(value)) return false;
  if (spec.min !== undefined && (spec.minExclusive ? !(value > spec.min) : !(value >= spec.min)))
    return false;
  if (
    'max' in spec &&
    spec.max !== undefined &&
    (spec.maxExclusive ? !(value < spec.max) : !(value <= spec.max))
  )
    return false;
  return true;
}

/** Describes what a spec expects, in words used by error messages and docs. */
export function describeSpec(spec: OptionSpec): string {
  switch (spec.kind) {
    case 'number':
      return describeNumber(spec);
    case 'boolean':
      return 'a boolean';
    case 'enum':
      return `one of ${spec.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'numberArray':
      return `an array of ${spec.minLength ? `at least ${spec.minLength} ` : ''}${describeNumber(spec).replace(/^an? (finite number|integer)/, '$1s')}`;
    case 'schedule':
      return spec.acceptNumber
        ? 'a finite number >= 0, a schedule, a schedule config object or a function of the step'
        : 'a schedule, a schedule config object or a function of the step';
    case 'objectArray':
      return `an array${spec.minLength ? ` of at least ${spec.minLength}` : ''} of objects with keys ${Object.keys(spec.items).join(', ')}`;
  }
}

/** Validates one object against specs; returns the normalized options and the normalized config fragment. */
function validateObject(
  specs: OptionSpecs,
  input: Record<string, unknown>,
  issues: IssueCollector,
  prefix: string,
  ignoreKeys: readonly string[],
): { options: Record<string, unknown>; config: Record<string, unknown> | undefined } {
  const options: Record<string, unknown> = {};
  let config: Record<string, unknown> | undefined = {};
  const join = (field: string) => (prefix ? `${prefix}.${field}` : field);
  for (const key of Object.keys(input)) {
    if (!(key in specs) && !ignoreKeys.includes(key)) {
      issues.addRule(
        join(key),
        `unknown option ${JSON.stringify(join(key))} (expected one of ${Object.keys(specs).join(', ') || 'no options'})`,
        `one of ${Object.keys(specs).join(', ')}`,
        input[key],
      );
    }
  }
  for (const [key, spec] of Object.entries(specs)) {
    const value = input[key];
    const path = join(key);
    if (value === undefined) {
      if ('default' in spec && spec.default !== undefined) {
        options[key] = spec.default;
        if (config) config[key] = spec.default;
      } else if (!spec.optional) {
        issues.addRule(path, `${path} is required (${describeSpec(spec)})`, describeSpec(spec), undefined);
      }
      continue;
    }
    switch (spec.kind) {
      case 'number':
        if (!numberOk(spec, value)) issues.add(path, describeSpec(spec), value);
        options[key] = value;
        if (config) config[key] = value;
        break;
      case 'boolean':
        if (typeof value !== 'boolean') issues.add(path, 'a boolean', value);
        options[key] = value;
        if (config) config[key] = value;
        break;
      case 'enum':
        if (typeof value !== 'string' || !spec.values.includes(value))
          issues.add(path, describeSpec(spec), value);
        options[key] = value;
        if (config) config[key] = value;
        break;
      case 'numberArray': {
        if (!Array.isArray(value) || (spec.minLength !== undefined && value.length < spec.minLength)) {
          issues.add(path, describeSpec(spec), value);
        } else {
          value.forEach((item, index) => {
            if (!numberOk(spec, item)) issues.add(`${path}[${index}]`, describeNumber(spec), item);
          });
        }
        options[key] = Array.isArray(value) ? Object.freeze([...value]) : value;
        if (config) config[key] = options[key];
        break;
      }
      case 'schedule': {
        if (spec.acceptNumber && typeof value === 'number') {
          if (!(value >= 0 && value < Number.POSITIVE_INFINITY)) issues.add(path, describeSpec(spec), value);
          options[key] = value;
          if (config) config[key] = value;
          break;
        }
        const child = resolveNested(value, issues, path);
        options[key] = child;
        if (config) {
          if (child?.config) config[key] = child.config;
          else config = undefined;
        }
        break;
      }
      case 'objectArray': {
        if (!Array.isArray(value) || (spec.minLength !== undefined && value.length < spec.minLength)) {
          issues.add(path, describeSpec(spec), value);
          options[key] = value;
          break;
        }
        const items: Record<string, unknown>[] = [];
        const itemConfigs: Record<string, unknown>[] = [];
        value.forEach((item, index) => {
          if (!isPlainObject(item)) {
            issues.add(
              `${path}[${index}]`,
              `an object with keys ${Object.keys(spec.items).join(', ')}`,
              item,
            );
            return;
          }
          const result = validateObject(spec.items, item, issues, `${path}[${index}]`, []);
          items.push(Object.freeze(result.options));
          if (result.config) itemConfigs.push(result.config);
          else if (config) config = undefined;
        });
        options[key] = Object.freeze(items);
        if (config) config[key] = itemConfigs;
        break;
      }
    }
  }
  return { options, config };
}

function resolveNested(value: unknown, issues: IssueCollector, path: string): Schedule | undefined {
  if (isSchedule(value)) return value;
  if (typeof value === 'function') return custom(value as (step: number) => number);
  if (isPlainObject(value)) {
    try {
      return fromConfig(value);
    } catch (error) {
      if (ScheduleConfigError.isInstance(error)) {
        for (const issue of error.issues) {
          const nestedPath = issue.path ? `${path}.${issue.path}` : path;
          issues.issues.push({
            ...issue,
            path: nestedPath,
            message: issue.message.replace(/^([^:]+): /, `$1 (at ${path}): `),
          });
        }
        return undefined;
      }
      throw error;
    }
  }
  issues.add(path, 'a schedule, a schedule config object or a function of the step', value);
  return undefined;
}

function invalidStep(name: string, step: unknown): InvalidStepError {
  return new InvalidStepError(
    `${name}: step must be a finite number >= 0; received ${formatValue(step)}.`,
    step,
  );
}

function makeSchedule(
  name: string,
  evaluate: (step: number) => number,
  config: ScheduleConfig | undefined,
  phases: readonly Phase[],
): Schedule {
  const schedule = (step: number): number => {
    // One comparison rejects NaN, negatives and +Infinity; non-numbers fail typeof.
    if (!(step >= 0 && step < Number.POSITIVE_INFINITY) || typeof step !== 'number')
      throw invalidStep(name, step);
    return evaluate(step);
  };
  Object.defineProperties(schedule, {
    config: { value: config, enumerable: true },
    phases: { value: Object.freeze([...phases]), enumerable: true },
    [scheduleMarker]: { value: true },
    [evaluatorKey]: { value: evaluate },
    name: { value: name },
  });
  return schedule as Schedule;
}

/**
 * @internal The bare evaluation function behind a schedule (no step validation), for composites
 * that call a child on every step with a step they already know is finite and >= 0.
 */
export function evaluatorOf(schedule: Schedule): (step: number) => number {
  return (
    (schedule as unknown as Record<symbol, ((step: number) => number) | undefined>)[evaluatorKey] ?? schedule
  );
}

/**
 * Registers a family and returns its builder. Builders validate once (collecting every issue)
 * and return a closure; they throw `ScheduleConfigError`.
 */
export function defineFamily<Input, Options = Input>(definition: FamilyDefinition<Options>): Builder<Input> {
  if (families.has(definition.type))
    throw new AnnealError(`defineFamily: type ${definition.type} is already registered.`);
  families.set(definition.type, definition as FamilyDefinition<unknown>);
  const builder = (input: Input): Schedule =>
    buildFamily(definition as FamilyDefinition<unknown>, input, false);
  Object.defineProperty(builder, 'family', { value: definition });
  Object.defineProperty(builder, 'name', { value: definition.type });
  return builder as Builder<Input>;
}

function buildFamily(definition: FamilyDefinition<unknown>, input: unknown, fromJson: boolean): Schedule {
  const issues = new IssueCollector(definition.type);
  if (!isPlainObject(input)) {
    issues.add('', 'an options object', input);
    throw new ScheduleConfigError(definition.type, issues.issues);
  }
  const { options, config } = validateObject(definition.options, input, issues, '', fromJson ? ['type'] : []);
  if (issues.ok && definition.check) definition.check(options, issues);
  if (!issues.ok) throw new ScheduleConfigError(definition.type, issues.issues);
  const evaluate = definition.build(options);
  const fullConfig = config
    ? (deepFreeze({ type: definition.type, ...config }) as ScheduleConfig)
    : undefined;
  return makeSchedule(definition.type, evaluate, fullConfig, definition.phases?.(options) ?? []);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Wraps a plain function of the step as a schedule. Its values are checked on every call
 * (finite and >= 0) because nothing validated them; `toConfig` on it throws `NotSerializableError`.
 */
export function custom(fn: (step: number) => number, name = fn.name || 'custom'): Schedule {
  if (typeof fn !== 'function') {
    const issues = new IssueCollector('custom');
    issues.add('fn', 'a function of the step', fn);
    throw new ScheduleConfigError('custom', issues.issues);
  }
  return makeSchedule(
    name,
    (step) => {
      const value = fn(step);
      if (!(typeof value === 'number' && value >= 0 && value < Number.POSITIVE_INFINITY)) {
        throw new AnnealError(
          `${name}: a custom schedule must return a finite number >= 0; received ${formatValue(value)} at step ${step}.`,
        );
      }
      return value;
    },
    undefined,
    [],
  );
}

/** Reference-config hook: set by the compat module so `fromConfig` also accepts `{ api, params, base_lr }`. */
let referenceHook: ((config: Record<string, unknown>) => Schedule) | undefined;

/** @internal Registers the `{ api, params }` handler (done by the reference module). */
export function setReferenceHandler(handler: (config: Record<string, unknown>) => Schedule): void {
  referenceHook = handler;
}

/**
 * Builds a schedule from a JSON config (`{ "type": ..., ...options }`) or, when it has an `api`
 * key, from a reference-library config (see `fromReference`). Throws `ScheduleConfigError`
 * listing every issue.
 */
export function fromConfig(json: unknown): Schedule {
  if (isPlainObject(json) && 'api' in json && !('type' in json)) {
    if (!referenceHook)
      throw new AnnealError('fromConfig: reference configs are not available in this build.');
    return referenceHook(json);
  }
  if (!isPlainObject(json)) {
    const issues = new IssueCollector('fromConfig');
    issues.add('', 'a config object with a "type" key', json);
    throw new ScheduleConfigError('fromConfig', issues.issues);
  }
  const type = json.type;
  const family = typeof type === 'string' ? families.get(type) : undefined;
  if (!family) {
    const issues = new IssueCollector('fromConfig');
    issues.add('type', `one of ${[...families.keys()].map((t) => JSON.stringify(t)).join(', ')}`, type);
    throw new ScheduleConfigError('fromConfig', issues.issues);
  }
  return buildFamily(family, json, true);
}

/**
 * The JSON config of a schedule. Round-trips exactly: `fromConfig(toConfig(s))` gives the same
 * value as `s` at every step. Throws `NotSerializableError` for custom functions (also nested ones).
 */
export function toConfig(schedule: Schedule): ScheduleConfig {
  if (!isSchedule(schedule)) {
    throw new NotSerializableError(
      `toConfig: expected a schedule built by @anneal/core; received ${formatValue(schedule)}. Wrap plain functions with custom(), which has no JSON form.`,
    );
  }
  if (!schedule.config) {
    throw new NotSerializableError(
      `toConfig: schedule "${schedule.name}" is (or contains) a custom function, which has no JSON form; build it from built-in families to serialize it.`,
    );
  }
  return schedule.config;
}

/** Accepts a schedule, a config (native or reference) or a plain function and returns a schedule. */
export function toSchedule(value: ScheduleLike | unknown): Schedule {
  if (isSchedule(value)) return value;
  if (typeof value === 'function') return custom(value as (step: number) => number);
  return fromConfig(value);
}
