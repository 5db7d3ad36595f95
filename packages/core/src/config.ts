/** JSON configs: `fromConfig` (config → schedule, reading the explicit registry), `toConfig`, `toSchedule`. */
import { formatValue, NotSerializableError, ScheduleConfigError } from './errors';
import { buildFamily, type ConfigReader } from './family';
import { getFamily, listFamilies } from './registry';
import { custom, isSchedule, type Schedule, type ScheduleConfig, type ScheduleLike } from './schedule';
import { IssueCollector, isPlainObject } from './validate';

/**
 * Builds a schedule from a native JSON config (`{ "type": ..., ...options }`), children included.
 * Throws `ScheduleConfigError` listing every issue. Reference-library configs
 * (`{ api, params, base_lr }`) are read by `fromAnyConfig` and `fromReference` from
 * `@anneal/core/reference`.
 */
export function fromConfig(json: unknown): Schedule {
  return readNativeConfig(json, fromConfig);
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
