/** JSON configs: `fromConfig` (config → schedule, reading the explicit registry), `toConfig`, `toSchedule`. */
import { formatValue, NotSerializableError, ScheduleConfigError } from './errors';
import { buildFamily, type ConfigReader } from './family';
import { getFamily, listFamilies } from './registry';
import {
  custom,
  isSchedule,
  MAX_SCHEDULE_DEPTH,
  type Schedule,
  type ScheduleConfig,
  type ScheduleLike,
} from './schedule';
import { IssueCollector, isPlainObject } from './validate';

/**
 * Builds a schedule from a native JSON config (`{ "type": ..., ...options }`), children included.
 * Throws `ScheduleConfigError` listing every issue. Reference-library configs
 * (`{ api, params, base_lr }`) are read by `fromAnyConfig` and `fromReference` from
 * `@anneal/core/reference`.
 */
export function fromConfig(json: unknown): Schedule {
  checkConfigDepth(json, 'fromConfig');
  return readNativeConfig(json, readNestedNative);
}

/** Children of a config whose depth `fromConfig` already checked. */
function readNestedNative(json: Record<string, unknown>): Schedule {
  return readNativeConfig(json, readNestedNative);
}

/** Objects and arrays may nest this deep in a config (a cycle in a config built in code ends here too). */
export const MAX_CONFIG_NESTING = 512;

/**
 * Refuses, before anything recurses, a config whose schedules nest deeper than MAX_SCHEDULE_DEPTH
 * (an object with a string `type` or `api` is a schedule) or whose objects nest deeper than
 * MAX_CONFIG_NESTING: a walk with an explicit stack, so no input can overflow the call stack here.
 * Throws `ScheduleConfigError` naming the path where the limit is crossed.
 */
export function checkConfigDepth(json: unknown, builder: string): void {
  const stack: { value: object; path: string; schedules: number; nesting: number }[] = [];
  // An object reached again (shared in a config built in code) is walked again only when it is
  // deeper than before, so sharing cannot make the walk exponential and a cycle ends at a limit.
  const deepestSeen = new Map<object, { schedules: number; nesting: number }>();
  const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;
  const push = (value: unknown, path: string, schedules: number, nesting: number) => {
    if (!isObject(value)) return;
    const seen = deepestSeen.get(value);
    if (seen && seen.schedules >= schedules && seen.nesting >= nesting) return;
    deepestSeen.set(value, {
      schedules: Math.max(schedules, seen?.schedules ?? 0),
      nesting: Math.max(nesting, seen?.nesting ?? 0),
    });
    stack.push({ value, path, schedules, nesting });
  };
  push(json, '', 0, 1);
  while (stack.length > 0) {
    const { value, path, schedules, nesting } = stack.pop()!;
    const record = value as Record<string, unknown>;
    const isSchedule =
      !Array.isArray(value) && (typeof record.type === 'string' || typeof record.api === 'string');
    const level = schedules + (isSchedule ? 1 : 0);
    const at = path || 'config';
    if (level > MAX_SCHEDULE_DEPTH || nesting > MAX_CONFIG_NESTING) {
      const issues = new IssueCollector(builder);
      const [what, limit, found] =
        level > MAX_SCHEDULE_DEPTH
          ? ['schedules', MAX_SCHEDULE_DEPTH, level]
          : ['objects and arrays', MAX_CONFIG_NESTING, nesting];
      issues.addRule(
        path,
        `${at} nests ${what} ${found} deep; at most ${limit} levels are allowed`,
        `at most ${limit} levels`,
        found,
      );
      throw new ScheduleConfigError(builder, issues.issues);
    }
    // Paths are built for objects only: a long array of numbers costs no strings.
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++)
        if (isObject(value[index])) push(value[index], `${path}[${index}]`, level, nesting + 1);
    } else {
      for (const key of Object.keys(record))
        if (isObject(record[key])) push(record[key], path ? `${path}.${key}` : key, level, nesting + 1);
    }
  }
}

/**
 * @internal `fromConfig` with the reader used for nested children (the reference layer passes one
 * that also reads `{ api, params }` children).
 */
export function readNativeConfig(json: unknown, readNested: ConfigReader): Schedule {
  const issues = new IssueCollector('fromConfig');
  if (!isPlainObject(json)) {
    issues.add('', 'a config object with a "type" key', json);
    throw new ScheduleConfigError('fromConfig', issues.issues);
  }
  if ('api' in json && !('type' in json)) {
    issues.addRule(
      'api',
      'a reference-library config ({ api, params, base_lr }) is read by fromAnyConfig or fromReference from "@anneal/core/reference"',
      'a native config with a "type" key',
      json.api,
    );
    throw new ScheduleConfigError('fromConfig', issues.issues);
  }
  const type = json.type;
  const family = typeof type === 'string' ? getFamily(type) : undefined;
  if (!family) {
    const types = listFamilies().map((f) => JSON.stringify(f.type));
    issues.add('type', `one of ${types.join(', ')}`, type);
    throw new ScheduleConfigError('fromConfig', issues.issues);
  }
  return buildFamily(family, json, true, readNested);
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

/** Accepts a schedule, a native config or a plain function and returns a schedule. */
export function toSchedule(value: ScheduleLike | unknown): Schedule {
  if (isSchedule(value)) return value;
  if (typeof value === 'function') return custom(value as (step: number) => number);
  return fromConfig(value);
}
