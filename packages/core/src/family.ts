/**
 * Families: a declaration (type, option specs, cross-field rules, the evaluation function, phases)
 * and the builder made from it. Declaring a family registers nothing: `fromConfig` reads the
 * explicit list in `registry.ts`, so a bundle that imports one builder contains that builder only.
 */
import { ScheduleConfigError } from './errors';
import {
  custom,
  depthOf,
  isSchedule,
  MAX_SCHEDULE_DEPTH,
  makeSchedule,
  type Phase,
  type Schedule,
} from './schedule';
import { IssueCollector, isPlainObject, type OptionSpecs, validateOptions } from './validate';

/** Reads a nested schedule config (a composite's child given as JSON). */
export type ConfigReader = (config: Record<string, unknown>) => Schedule;

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
  /**
   * Composites only: how their builder reads a child given as a config object (`fromConfig`).
   * `fromConfig` itself passes its own reader down instead.
   */
  readonly readConfig?: ConfigReader;
}

export type Builder<Input> = ((options: Input) => Schedule) & { readonly family: FamilyDefinition<unknown> };

/**
 * Returns the builder of a family: it validates once (collecting every issue) and returns a closure;
 * it throws `ScheduleConfigError`. Pure (the annotation lets bundlers drop unused families).
 */
/* @__NO_SIDE_EFFECTS__ */
export function defineFamily<Input, Options = Input>(definition: FamilyDefinition<Options>): Builder<Input> {
  const family = definition as FamilyDefinition<unknown>;
  const builder = (input: Input): Schedule => buildFamily(family, input, false, family.readConfig);
  Object.defineProperty(builder, 'family', { value: definition });
  Object.defineProperty(builder, 'name', { value: definition.type });
  return builder as Builder<Input>;
}

/** @internal Validates `input` against a family and builds the schedule. */
export function buildFamily(
  definition: FamilyDefinition<unknown>,
  input: unknown,
  fromJson: boolean,
  readConfig: ConfigReader | undefined,
): Schedule {
  const issues = new IssueCollector(definition.type);
  if (!isPlainObject(input)) {
    issues.add('', 'an options object', input);
    throw new ScheduleConfigError(definition.type, issues.issues);
  }
  const { options, config } = validateOptions(definition.options, input, issues, {
    ignoreKeys: fromJson ? ['type'] : [],
    resolveSchedule: (value, nestedIssues, path) => resolveNested(value, nestedIssues, path, readConfig),
  });
  const depth = 1 + deepestChild(options, issues);
  if (issues.ok && definition.check) definition.check(options, issues);
  if (!issues.ok) throw new ScheduleConfigError(definition.type, issues.issues);
  const evaluate = definition.build(options);
  const fullConfig = config ? deepFreeze({ type: definition.type, ...config }) : undefined;
  return makeSchedule(definition.type, evaluate, fullConfig, definition.phases?.(options) ?? [], depth);
}

/**
 * The depth of the deepest schedule among the options (0 without any), recording an issue at its
 * path when nesting one more level would exceed MAX_SCHEDULE_DEPTH.
 */
function deepestChild(options: Record<string, unknown>, issues: IssueCollector): number {
  let deepest = 0;
  let where = '';
  const visit = (value: unknown, path: string) => {
    if (isSchedule(value) && depthOf(value) > deepest) {
      deepest = depthOf(value);
      where = path;
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (isPlainObject(item))
          for (const [key, child] of Object.entries(item)) visit(child, `${path}[${index}].${key}`);
      });
    }
  };
  for (const [key, value] of Object.entries(options)) visit(value, key);
  if (deepest + 1 > MAX_SCHEDULE_DEPTH) {
    issues.addRule(
      where,
      `${where} nests schedules ${deepest + 1} deep; at most ${MAX_SCHEDULE_DEPTH} levels are allowed (evaluation recurses once per level)`,
      `at most ${MAX_SCHEDULE_DEPTH} levels`,
      deepest + 1,
    );
  }
  return deepest;
}

function resolveNested(
  value: unknown,
  issues: IssueCollector,
  path: string,
  readConfig: ConfigReader | undefined,
): Schedule | undefined {
  if (isSchedule(value)) return value;
  if (typeof value === 'function') return custom(value as (step: number) => number);
  if (isPlainObject(value) && readConfig) {
    try {
      return readConfig(value);
    } catch (error) {
      if (!ScheduleConfigError.isInstance(error)) throw error;
      for (const issue of error.issues) {
        issues.issues.push({
          ...issue,
          path: issue.path ? `${path}.${issue.path}` : path,
          message: issue.message.replace(/^([^:]+): /, `$1 (at ${path}): `),
        });
      }
      return undefined;
    }
  }
  issues.add(path, 'a schedule, a schedule config object or a function of the step', value);
  return undefined;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
