/**
 * Keras schedules as Keras writes them: `keras.optimizers.schedules.serialize(schedule)` gives
 * `{ module: "keras.optimizers.schedules", class_name, config, registered_name: null }` (Keras 3)
 * or `{ class_name, config }` (Keras 2); `config.name` may be null or absent. Read as the reference
 * config `{ api: "keras.optimizers.schedules.<class_name>", params: config }`.
 */
import { ScheduleConfigError } from '../errors';
import { isPlainObject, rejectUnknownKeys } from '../validate';
import { kerasApis } from './keras';
import { ParamIssues, type ReferenceConfig } from './registry';

const serializedKeys = ['module', 'class_name', 'config', 'registered_name'];
const kerasModule = 'keras.optimizers.schedules';

/** Does `json` have the shape of a serialized Keras schedule (and no `api` or `type` of its own)? */
export function isKerasSerialized(json: unknown): json is Record<string, unknown> {
  return (
    isPlainObject(json) && 'class_name' in json && 'config' in json && !('api' in json) && !('type' in json)
  );
}

/** The reference config of a serialized Keras schedule; throws `ScheduleConfigError` listing every issue. */
export function fromKerasSerialized(json: Record<string, unknown>): ReferenceConfig {
  const issues = new ParamIssues('fromReference (Keras serialize())');
  rejectUnknownKeys(json, serializedKeys, issues, { noun: 'key' });
  const classes = kerasApis.map((definition) => definition.shortNames?.[0] ?? definition.api);
  const { module, class_name: className, config, registered_name: registeredName } = json;
  if (module !== undefined && module !== kerasModule)
    issues.add('module', `"${kerasModule}" (Keras 3) or absent (Keras 2)`, module);
  if (typeof className !== 'string' || !classes.includes(className))
    issues.add('class_name', `one of ${classes.join(', ')}`, className);
  if (registeredName !== undefined && registeredName !== null && registeredName !== className)
    issues.add('registered_name', 'null (a built-in Keras schedule)', registeredName);
  if (!isPlainObject(config)) issues.add('config', "an object of the schedule's arguments", config);
  if (!issues.ok) throw new ScheduleConfigError('fromReference', issues.issues);
  return { api: `${kerasModule}.${className as string}`, params: config as Record<string, unknown> };
}
