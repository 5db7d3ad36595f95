/**
 * The validation engine every @anneal package uses: option specs (one declaration drives
 * validation, defaults, the JSON Schema, the docs tables and the playground's controls), an issue
 * collector that gathers every problem before one error is thrown, the unknown-key check and the
 * house message format `<builder>: <path> must be <expected>; received <value>.`
 */
import { formatValue, type ValidationIssue } from './errors';

/** A plain object (not null, not an array): the shape of every options object and config. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Issue collector

/**
 * Collects validation issues so that a builder can report every problem at once.
 * Messages follow the house format: `<builder>: <path> must be <expected>; received <value>.`
 */
export class IssueCollector {
  /** What an issue about the whole input (empty path) calls it: `options`; adapters say `args`. */
  protected readonly wholeName: string = 'options';

  constructor(
    readonly builder: string,
    readonly pathPrefix = '',
    /** Where issues go; collectors for nested objects share their parent's. */
    readonly issues: ValidationIssue[] = [],
  ) {}

  /** Full path of a field under this collector's prefix. */
  path(field: string): string {
    if (!this.pathPrefix) return field;
    if (!field) return this.pathPrefix;
    return field.startsWith('[') ? `${this.pathPrefix}${field}` : `${this.pathPrefix}.${field}`;
  }

  /** How a message names a field: its full path (the whole input when empty). */
  protected messagePath(path: string, _field: string): string {
    return path || this.wholeName;
  }

  /** Records an issue: `<path> must be <expected>; received <value>.` */
  add(field: string, expected: string, received: unknown): void {
    const path = this.path(field);
    this.issues.push({
      path,
      expected,
      received,
      message: `${this.builder}: ${this.messagePath(path, field)} must be ${expected}; received ${this.formatReceived(received)}.`,
    });
  }

  /** Records an issue with a custom sentence (used for cross-field rules). */
  addRule(field: string, rule: string, expected: string, received: unknown): void {
    this.issues.push({
      path: this.path(field),
      expected,
      received,
      message: `${this.builder}: ${rule}; received ${this.formatReceived(received)}.`,
    });
  }

  /** How a received value is shown in messages; adapters override it to name host objects. */
  protected formatReceived(value: unknown): string {
    return formatValue(value);
  }

  /** Appends issues collected elsewhere (for nested schedules). */
  addAll(issues: readonly ValidationIssue[]): void {
    this.issues.push(...issues);
  }

  get ok(): boolean {
    return this.issues.length === 0;
  }
}

/**
 * Flags every own key of `input` that is not in `known` (typos such as `stepPerEpoch`):
 * `unknown <noun> "<path>" (expected one of <known>)`.
 */
export function rejectUnknownKeys(
  input: Record<string, unknown>,
  known: readonly string[],
  issues: IssueCollector,
  settings: UnknownKeySettings = {},
): void {
  const noun = settings.noun ?? 'option';
  const expected = known.length ? `one of ${known.join(', ')}` : `no ${noun}s`;
  const sentence =
    settings.sentence ?? ((path: string) => `unknown ${noun} ${JSON.stringify(path)} (expected ${expected})`);
  for (const key of Object.keys(input)) {
    if (known.includes(key) || settings.ignore?.includes(key)) continue;
    const path = settings.prefix ? `${settings.prefix}.${key}` : key;
    const expectedHere = typeof settings.expected === 'function' ? settings.expected(key) : settings.expected;
    issues.addRule(path, sentence(path, key), expectedHere ?? expected, input[key]);
  }
}

/** How `rejectUnknownKeys` words its issues and which keys it lets through. */
export interface UnknownKeySettings {
  /** What a key is called: `option` (default), `parameter`, `state field`. */
  readonly noun?: string;
  /** Path of the object the keys belong to (its keys are reported as `<prefix>.<key>`). */
  readonly prefix?: string;
  /** Keys allowed besides `known` (not listed in the message). */
  readonly ignore?: readonly string[];
  /** The whole sentence for one key, where the default wording does not fit. */
  readonly sentence?: (path: string, key: string) => string;
  /** The issue's `expected` (for each key), where it is not `one of <known>`. */
  readonly expected?: string | ((key: string) => string);
}

// ---------------------------------------------------------------------------------------------
// Option specs

interface SpecBase {
  /** One line: the option's only description, used by the docs, the JSON Schema and the playground. */
  readonly description?: string;
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
  /** The items' own specs; without them any plain objects are accepted (their owner checks them). */
  readonly items?: Readonly<Record<string, OptionSpec>>;
  readonly minLength?: number;
}
/** A Python dict of number keys to numbers (optax `boundaries_and_scales`); JSON keys are strings. */
export interface NumberMapSpec extends SpecBase {
  readonly kind: 'numberMap';
}
/** A number, or a pair of numbers (timm `noise_range_t`). */
export interface NumberOrPairSpec extends SpecBase {
  readonly kind: 'numberOrPair';
}
/** A free-form string (Keras `name`). */
export interface StringSpec extends SpecBase {
  readonly kind: 'string';
  readonly default?: string;
}
/** An option whose only accepted form is its absence (Python callables such as `scale_fn`). */
export interface UnsupportedSpec extends SpecBase {
  readonly kind: 'unsupported';
  /** Why it cannot be given and what to use instead. */
  readonly reason: string;
}

export type OptionSpec =
  | NumberSpec
  | BooleanSpec
  | EnumSpec
  | NumberArraySpec
  | ScheduleSpec
  | ObjectArraySpec
  | NumberMapSpec
  | NumberOrPairSpec
  | StringSpec
  | UnsupportedSpec;
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function describeNumber(spec: NumberSpec | NumberArraySpec): string {
  const what = spec.integer ? 'an integer' : 'a finite number';
  const max = 'max' in spec ? spec.max : undefined;
  if (max !== undefined && spec.min !== undefined) {
    const lo = spec.minExclusive ? '(' : '[';
    const hi = (spec as NumberSpec).maxExclusive ? ')' : ']';
    return `${what} in ${lo}${spec.min}, ${max}${hi}`;
  }
  if (spec.min !== undefined) return `${what} ${spec.minExclusive ? '>' : '>='} ${spec.min}`;
  if (max !== undefined) return `${what} ${(spec as NumberSpec).maxExclusive ? '<' : '<='} ${max}`;
  return what;
}

function numberOk(spec: NumberSpec | NumberArraySpec, value: unknown): value is number {
  if (!isFiniteNumber(value)) return false;
  if (spec.integer && !Number.isSafeInteger(value)) return false;
  if (spec.min !== undefined && (spec.minExclusive ? !(value > spec.min) : !(value >= spec.min)))
    return false;
  const max = 'max' in spec ? spec.max : undefined;
  if (max !== undefined && ((spec as NumberSpec).maxExclusive ? !(value < max) : !(value <= max)))
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
      return spec.items
        ? `an array${spec.minLength ? ` of at least ${spec.minLength}` : ''} of objects with keys ${Object.keys(spec.items).join(', ')}`
        : 'an array of objects';
    case 'numberMap':
      return 'an object mapping steps to finite numbers';
    case 'numberOrPair':
      return 'a finite number or a pair [start, end]';
    case 'string':
      return 'a string';
    case 'unsupported':
      return 'absent';
  }
}

// ---------------------------------------------------------------------------------------------
// Validating an object against specs

/** How `validateOptions` treats what the specs do not settle by themselves. */
export interface ValidateSettings {
  /** Keys allowed beside the specs (`type` in a JSON config). */
  readonly ignoreKeys?: readonly string[];
  /** What an unknown key is called in messages: `option` (default) or `parameter`. */
  readonly noun?: string;
  /**
   * When `null` means "not set": `'optional'` for specs marked optional (Python's `None` in the
   * reference layer), `'defaulted'` also for specs with a default. Otherwise null is a value (and invalid).
   */
  readonly nullIsAbsent?: 'optional' | 'defaulted';
  /**
   * How a missing required option reads: `'required'` (default), `<path> is required (<expected>)`,
   * or `'invalid'`, as any other bad value: `<path> must be <expected>; received undefined`.
   */
  readonly missing?: 'required' | 'invalid';
  /** Resolves a `schedule` option that is not a number; records its own issues under `path`. */
  readonly resolveSchedule?: (value: unknown, issues: IssueCollector, path: string) => unknown;
}

/** What `validateOptions` returns: options with defaults applied, and their JSON form (undefined when a nested schedule has none). */
export interface Validated {
  readonly options: Record<string, unknown>;
  readonly config: Record<string, unknown> | undefined;
}

/**
 * Validates one object against specs, recording every issue: unknown keys, missing required
 * options, each value against its spec. Returns the options with defaults applied (arrays copied
 * and frozen, nested schedules resolved) and the normalized config fragment.
 */
export function validateOptions(
  specs: OptionSpecs,
  input: Record<string, unknown>,
  issues: IssueCollector,
  settings: ValidateSettings = {},
  prefix = '',
): Validated {
  rejectUnknownKeys(input, Object.keys(specs), issues, {
    noun: settings.noun,
    prefix,
    ignore: settings.ignoreKeys,
  });
  const result = {
    options: {} as Record<string, unknown>,
    config: {} as Record<string, unknown> | undefined,
  };
  for (const [key, spec] of Object.entries(specs)) {
    // Own properties only: an inherited `toString` or a prototype set through `__proto__` is not an option.
    let value = Object.hasOwn(input, key) ? input[key] : undefined;
    if (value === null && nullMeansAbsent(spec, settings.nullIsAbsent)) value = undefined;
    const path = prefix ? `${prefix}.${key}` : key;
    if (value === undefined) {
      if ('default' in spec && spec.default !== undefined) keep(result, key, spec.default);
      else if (!spec.optional && spec.kind !== 'unsupported') {
        const expected = describeSpec(spec);
        if (settings.missing === 'invalid') issues.add(path, expected, undefined);
        else issues.addRule(path, `${path} is required (${expected})`, expected, undefined);
      }
      continue;
    }
    validateValue(spec, value, { path, key, issues, settings, result });
  }
  return result;
}

function nullMeansAbsent(spec: OptionSpec, rule: ValidateSettings['nullIsAbsent']): boolean {
  if (rule === 'optional') return spec.optional === true;
  return (
    rule === 'defaulted' && (spec.optional === true || ('default' in spec && spec.default !== undefined))
  );
}

type Result = { options: Record<string, unknown>; config: Record<string, unknown> | undefined };

/** Where a value being validated sits: its path, its key, and what collects its issues and result. */
interface Field {
  readonly path: string;
  readonly key: string;
  readonly issues: IssueCollector;
  readonly settings: ValidateSettings;
  readonly result: Result;
}

function keep(result: Result, key: string, value: unknown, configValue: unknown = value): void {
  result.options[key] = value;
  if (result.config) result.config[key] = configValue;
}

function validateValue(spec: OptionSpec, value: unknown, field: Field): void {
  const { path, key, issues, result } = field;
  switch (spec.kind) {
    case 'number':
      if (!numberOk(spec, value)) issues.add(path, describeSpec(spec), value);
      keep(result, key, value);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') issues.add(path, 'a boolean', value);
      keep(result, key, value);
      return;
    case 'enum':
    case 'string':
      if (spec.kind === 'string' ? typeof value !== 'string' : !spec.values.includes(value as string))
        issues.add(path, describeSpec(spec), value);
      keep(result, key, value);
      return;
    case 'numberArray': {
      if (!Array.isArray(value) || (spec.minLength !== undefined && value.length < spec.minLength)) {
        issues.add(path, describeSpec(spec), value);
      } else {
        value.forEach((item, index) => {
          if (!numberOk(spec, item)) issues.add(`${path}[${index}]`, describeNumber(spec), item);
        });
      }
      keep(result, key, Array.isArray(value) ? Object.freeze([...value]) : value);
      return;
    }
    case 'numberMap':
      checkNumberMap(value, path, issues);
      keep(result, key, value);
      return;
    case 'numberOrPair':
      if (
        !isFiniteNumber(value) &&
        !(Array.isArray(value) && value.length === 2 && value.every(isFiniteNumber))
      )
        issues.add(path, describeSpec(spec), value);
      keep(result, key, value);
      return;
    case 'unsupported':
      issues.addRule(path, `${path} is not supported: ${spec.reason}`, 'absent', value);
      keep(result, key, value);
      return;
    case 'schedule':
      validateSchedule(spec, value, field);
      return;
    case 'objectArray':
      validateObjectArray(spec, value, field);
      return;
  }
}

function checkNumberMap(value: unknown, path: string, issues: IssueCollector): void {
  if (!isPlainObject(value)) {
    issues.add(path, 'an object mapping steps to finite numbers', value);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (!Number.isFinite(Number(key)) || key.trim() === '')
      issues.add(`${path} key ${JSON.stringify(key)}`, 'a number', key);
    if (!isFiniteNumber(item)) issues.add(`${path}[${JSON.stringify(key)}]`, 'a finite number', item);
  }
}

function validateSchedule(spec: ScheduleSpec, value: unknown, field: Field): void {
  const { path, key, issues, settings, result } = field;
  if (spec.acceptNumber && typeof value === 'number') {
    if (!(value >= 0 && value < Number.POSITIVE_INFINITY)) issues.add(path, describeSpec(spec), value);
    keep(result, key, value);
    return;
  }
  const child = settings.resolveSchedule?.(value, issues, path) as { config?: unknown } | undefined;
  result.options[key] = child;
  if (!result.config) return;
  if (child?.config) result.config[key] = child.config;
  else result.config = undefined;
}

function validateObjectArray(spec: ObjectArraySpec, value: unknown, field: Field): void {
  const { path, key, issues, settings, result } = field;
  const items = spec.items;
  if (!items) {
    if (!Array.isArray(value) || !value.every(isPlainObject)) issues.add(path, describeSpec(spec), value);
    keep(result, key, value);
    return;
  }
  if (!Array.isArray(value) || (spec.minLength !== undefined && value.length < spec.minLength)) {
    issues.add(path, describeSpec(spec), value);
    result.options[key] = value;
    return;
  }
  const options: Record<string, unknown>[] = [];
  const configs: Record<string, unknown>[] = [];
  value.forEach((item, index) => {
    const itemPath = `${path}[${index}]`;
    if (!isPlainObject(item)) {
      issues.add(itemPath, `an object with keys ${Object.keys(items).join(', ')}`, item);
      return;
    }
    const validated = validateOptions(items, item, issues, { ...settings, ignoreKeys: [] }, itemPath);
    options.push(Object.freeze(validated.options));
    if (validated.config) configs.push(validated.config);
    else result.config = undefined;
  });
  result.options[key] = Object.freeze(options);
  if (result.config) result.config[key] = configs;
}
