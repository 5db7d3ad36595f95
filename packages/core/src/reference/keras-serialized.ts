/**
 * Keras schedules as Keras writes them: `keras.optimizers.schedules.serialize(schedule)` gives
 * `{ module: "keras.optimizers.schedules", class_name, config, registered_name: null }` (Keras 3)
 * or `{ class_name, config }` (Keras 2); `config.name` may be null or absent. Read as the reference
 * config `{ api: "keras.optimizers.schedules.<class_name>", params: config }`. A Keras model's config
 * (`compile_config` present) gives the optimizer's learning rate.
 */
import { ScheduleConfigError } from '../errors';
import type { ScheduleConfig } from '../schedule';
import { isPlainObject, rejectUnknownKeys } from '../validate';
import { kerasApis } from './keras';
import { ParamIssues, type ReferenceConfig } from './registry';

const serializedKeys = ['module', 'class_name', 'config', 'registered_name'];
const kerasModule = 'keras.optimizers.schedules';

/** Does `json` have the shape of a serialized Keras schedule (and no `api` or `type` of its own)? */
export function isKerasSerialized(json: unknown): json is Record<string, unknown> {
  return (
    isPlainObject(json) &&
    'class_name' in json &&
    'config' in json &&
    !('api' in json) &&
    !('type' in json) &&
    !isKerasModelConfig(json)
  );
}

/**
 * Is `json` a Keras model's config (the `config.json` of a `.keras` archive, or `model.get_config()`
 * with `compile_config`)? Its schedule is `compile_config.optimizer.config.learning_rate`.
 */
export function isKerasModelConfig(json: unknown): json is Record<string, unknown> {
  return isPlainObject(json) && 'compile_config' in json && !('api' in json) && !('type' in json);
}

/**
 * The learning rate of a Keras model's config: a number (a constant learning rate, as a native
 * `constant` config) or a serialized schedule (as a reference config). Throws `ScheduleConfigError`
 * naming the first missing or malformed level.
 */
export function kerasModelLearningRate(json: Record<string, unknown>): ReferenceConfig | ScheduleConfig {
  const issues = new ParamIssues('fromAnyConfig (Keras model config)');
  let node: unknown = json;
  let path = '';
  for (const level of ['compile_config', 'optimizer', 'config']) {
    path = path ? `${path}.${level}` : level;
    node = (node as Record<string, unknown>)[level];
    if (!isPlainObject(node)) {
      issues.add(
        path,
        level === 'optimizer' ? 'the serialized optimizer (a compiled model)' : 'an object',
        node,
      );
      throw new ScheduleConfigError('fromAnyConfig', issues.issues);
    }
  }
  const learningRate = (node as Record<string, unknown>).learning_rate;
  if (typeof learningRate === 'number' && learningRate >= 0 && learningRate < Number.POSITIVE_INFINITY)
    return { type: 'constant', value: learningRate };
  if (isKerasSerialized(learningRate)) return fromKerasSerialized(learningRate);
  issues.add(
    `${path}.learning_rate`,
    'a finite number >= 0 or a serialized Keras schedule { class_name, config }',
    learningRate,
  );
  throw new ScheduleConfigError('fromAnyConfig', issues.issues);
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
