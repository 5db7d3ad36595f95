import {
  isPlainObject,
  isPlateauController,
  type PlateauController,
  reduceOnPlateau,
  type Schedule,
  ScheduleConfigError,
} from '@anneal/core';
import { fromAnyConfig, fromReference, isKerasSerialized } from '@anneal/core/reference';
import { inputError, isStackOverflow, nestedTooDeeply } from './errors';

/** What a config file describes: a schedule, or a metric-driven plateau controller. */
export type LoadedConfig =
  | { readonly kind: 'schedule'; readonly schedule: Schedule; readonly name: string }
  | { readonly kind: 'plateau'; readonly controller: PlateauController; readonly name: string };

/** `warmupCosineDecay`, or `torch.optim.lr_scheduler.StepLR (stepDecay)` for reference configs. */
function nameOf(json: unknown, schedule: Schedule | undefined): string {
  const api = !isPlainObject(json)
    ? undefined
    : typeof json.api === 'string'
      ? json.api
      : isKerasSerialized(json) && typeof json.class_name === 'string'
        ? `keras.optimizers.schedules.${json.class_name}`
        : undefined;
  if (api !== undefined) {
    const native = schedule?.config?.type;
    return native ? `${api} (as ${native})` : api;
  }
  if (isPlainObject(json) && typeof json.type === 'string') return json.type;
  return schedule?.config?.type ?? 'schedule';
}

/**
 * Builds what a parsed config describes: native configs (`{ "type": ... }`), reference configs
 * (`{ "api", "params", "base_lr" }`), Keras schedules as `serialize()` writes them and
 * `reduceOnPlateau` configs. Invalid configs become a
 * `CliError` (exit 1) whose details list every issue.
 */
export function loadConfig(json: unknown, label: string): LoadedConfig {
  try {
    if (isPlainObject(json) && json.type === 'reduceOnPlateau') {
      const { type: _type, ...options } = json;
      return { kind: 'plateau', controller: reduceOnPlateau(options), name: 'reduceOnPlateau' };
    }
    const isReference =
      isPlainObject(json) && !('type' in json) && ('api' in json || isKerasSerialized(json));
    // fromAnyConfig: a native composite may hold reference children.
    const built: unknown = isReference ? fromReference(json) : fromAnyConfig(json);
    if (isPlateauController(built))
      return { kind: 'plateau', controller: built, name: nameOf(json, undefined) };
    const schedule = built as Schedule;
    return { kind: 'schedule', schedule, name: nameOf(json, schedule) };
  } catch (error) {
    if (ScheduleConfigError.isInstance(error)) {
      const count = error.issues.length;
      throw inputError(
        `${label}: invalid config (${count} ${count === 1 ? 'issue' : 'issues'})`,
        error.issues.map((issue) => {
          const located = issue.path && !issue.message.includes(issue.path) ? ` [at ${issue.path}]` : '';
          return `${issue.message}${located}`;
        }),
      );
    }
    if (isStackOverflow(error)) throw nestedTooDeeply(label, 'build');
    throw error;
  }
}

/** The schedule a command needs, or a clear error for a metric-driven controller. */
export function requireSchedule(loaded: LoadedConfig, label: string, command: string): Schedule {
  if (loaded.kind === 'schedule') return loaded.schedule;
  throw inputError(
    `${label}: ${loaded.name} is metric-driven (a plateau controller): it has no value at a step without metrics; ${command} needs a schedule (use \`anneal values --cases\` with a case that lists its metrics)`,
  );
}
