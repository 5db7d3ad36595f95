/**
 * The supported reference APIs, listed once (library by library, in the order `referenceApis()`
 * gives), the look-ups on that list, and the building of a composite's children.
 */
import type { ScheduleConfig } from '../schedule';
import { isPlainObject } from '../validate';
import { kerasApis } from './keras';
import { kerasWarmupCosineApis } from './keras-warmup-cosine';
import { optaxApis } from './optax';
import { type BuildContext, type Library, type ParamValues, type ReferenceApi, readParams } from './registry';
import { timmApis } from './timm';
import { torchApis } from './torch';
import { transformersApis } from './transformers';

/** Every supported API (a function: the library modules use `buildChild` from here, so they may load after it). */
export function listReferenceApis(): readonly ReferenceApi[] {
  return [
    ...torchApis,
    ...kerasApis,
    ...optaxApis,
    ...transformersApis,
    ...timmApis,
    ...kerasWarmupCosineApis,
  ];
}

export function getReferenceApi(api: string): ReferenceApi | undefined {
  return listReferenceApis().find((definition) => definition.api === api);
}

/** Finds a composite's child by short name within one library. */
export function getChildApi(library: Library, name: string): ReferenceApi | undefined {
  return listReferenceApis().find(
    (definition) =>
      definition.library === library && (definition.shortNames?.includes(name) || definition.api === name),
  );
}

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
    parent.issues.addRule(
      `${field}.api`,
      `${field}.api must name a ${library} schedule that ${parent.api} can hold (one of ${choices.join(', ')})`,
      `one of ${choices.join(', ')}`,
      name,
    );
    return undefined;
  }
  const issues = parent.issues.child(`${definition.api} (at ${parent.issues.path(field)})`, field);
  const before = issues.issues.length;
  const { api: _api, ...args } = value;
  const params = readParams(definition.params, args, issues);
  const context: BuildContext = {
    api: definition.api,
    baseLr: options.baseLr,
    stepping: parent.stepping,
    issues,
  };
  if (issues.issues.length === before) definition.check?.(params, context);
  if (issues.issues.length !== before) return { definition, params, config: undefined };
  const built = definition.build(params, { ...context, ...(options.extra ?? {}) });
  if (!('type' in built) || typeof built.type !== 'string') {
    parent.issues.addRule(
      `${field}.api`,
      `${field}.api cannot be a metric-driven scheduler inside ${parent.api}`,
      'a schedule',
      name,
    );
    return undefined;
  }
  return { definition, params, config: built as ScheduleConfig };
}
