import { listFamilies } from '../registry';
import type { NumberArraySpec, NumberSpec, OptionSpec, OptionSpecs } from '../validate';

/** A JSON Schema document (draft 2020-12), as plain JSON. */
export type JsonSchema = { readonly [keyword: string]: unknown };

const scheduleRef = { $ref: '#/$defs/schedule' } as const;

function numberSchema(spec: NumberSpec | NumberArraySpec): Record<string, unknown> {
  const schema: Record<string, unknown> = { type: spec.integer ? 'integer' : 'number' };
  if (spec.min !== undefined) schema[spec.minExclusive ? 'exclusiveMinimum' : 'minimum'] = spec.min;
  if ('max' in spec && spec.max !== undefined)
    schema[spec.maxExclusive ? 'exclusiveMaximum' : 'maximum'] = spec.max;
  return schema;
}

function optionSchema(spec: OptionSpec): Record<string, unknown> {
  let schema: Record<string, unknown>;
  switch (spec.kind) {
    case 'number':
      schema = numberSchema(spec);
      break;
    case 'boolean':
      schema = { type: 'boolean' };
      break;
    case 'enum':
      schema = { type: 'string', enum: [...spec.values] };
      break;
    case 'numberArray':
      schema = { type: 'array', items: numberSchema(spec) };
      if (spec.minLength !== undefined) schema.minItems = spec.minLength;
      break;
    case 'schedule':
      schema = spec.acceptNumber
        ? { oneOf: [{ type: 'number', minimum: 0 }, scheduleRef] }
        : { ...scheduleRef };
      break;
    case 'objectArray':
      schema = { type: 'array', items: spec.items ? objectSchema(spec.items, []) : { type: 'object' } };
      if (spec.minLength !== undefined) schema.minItems = spec.minLength;
      break;
    case 'numberMap':
      schema = { type: 'object', additionalProperties: { type: 'number' } };
      break;
    case 'numberOrPair':
      schema = {
        oneOf: [{ type: 'number' }, { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 }],
      };
      break;
    case 'string':
      schema = { type: 'string' };
      break;
    case 'unsupported':
      schema = { not: {} };
      break;
  }
  if (spec.description !== undefined) schema.description = spec.description;
  if ('default' in spec && spec.default !== undefined) {
    schema.default = Array.isArray(spec.default) ? [...spec.default] : spec.default;
  }
  return schema;
}

function objectSchema(
  specs: OptionSpecs,
  leading: readonly [string, Record<string, unknown>][],
): Record<string, unknown> {
  const properties: Record<string, unknown> = Object.fromEntries(leading);
  const required: string[] = leading.map(([key]) => key);
  for (const [key, spec] of Object.entries(specs)) {
    properties[key] = optionSchema(spec);
    const hasDefault = 'default' in spec && spec.default !== undefined;
    if (!hasDefault && !spec.optional) required.push(key);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

/**
 * A JSON Schema (draft 2020-12) for native schedule configs (`{ "type": ..., ...options }`), built
 * from the option specs of every registered family: one `$defs` entry per type (ranges, defaults,
 * descriptions, `additionalProperties: false`), nested schedules as `$ref: "#/$defs/schedule"`, and
 * the root a `oneOf` over the types. Cross-field rules (warm-up longer than the run, ...) are checked
 * by `fromConfig`, not by the schema.
 */
export function configSchema(): JsonSchema {
  const families = listFamilies();
  const defs: Record<string, unknown> = {
    schedule: {
      description: 'A native @anneal/core schedule config; "type" selects the family.',
      oneOf: families.map((family) => ({ $ref: `#/$defs/${family.type}` })),
    },
  };
  for (const family of families) {
    defs[family.type] = {
      title: family.type,
      description: family.summary,
      ...objectSchema(family.options, [['type', { const: family.type, description: 'Schedule family.' }]]),
    };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: '@anneal/core schedule config',
    description:
      'A learning-rate schedule as JSON: { "type": <family>, ...options }. Values are absolute learning rates; durations are optimizer steps.',
    $ref: '#/$defs/schedule',
    $defs: defs,
  };
}
