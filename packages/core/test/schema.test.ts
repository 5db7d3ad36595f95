import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSchema, schemaPath } from '../scripts/write-schema';
import {
  configSchema,
  constant,
  custom,
  join,
  listFamilies,
  noise,
  scale,
  toConfig,
  warmup,
  warmupCosineDecay,
} from '../src/index';

type Json = Record<string, unknown>;

const structural = new Set([
  '$ref',
  'oneOf',
  'const',
  'enum',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
]);
const annotations = new Set(['$schema', '$defs', 'title', 'description', 'default']);

/** A small validator for the subset of draft 2020-12 that configSchema() emits. Returns error paths. */
function validate(schema: Json, value: unknown, root: Json, path = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/$defs/', '');
    return validate((root.$defs as Record<string, Json>)[name]!, value, root, path);
  }
  if (Array.isArray(schema.oneOf)) {
    const matches = (schema.oneOf as Json[]).filter(
      (option) => validate(option, value, root, path).length === 0,
    ).length;
    return matches === 1 ? [] : [`${path}: matches ${matches} of oneOf`];
  }
  const errors: string[] = [];
  if ('const' in schema && value !== schema.const) errors.push(`${path}: not ${String(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${path}: not in enum`);
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return [`${path}: not an object`];
      const properties = (schema.properties ?? {}) as Record<string, Json>;
      for (const key of (schema.required ?? []) as string[])
        if (!(key in value)) errors.push(`${path}.${key}: required`);
      for (const [key, item] of Object.entries(value)) {
        if (properties[key]) errors.push(...validate(properties[key]!, item, root, `${path}.${key}`));
        else if (schema.additionalProperties === false) errors.push(`${path}.${key}: additional property`);
      }
      break;
    }
    case 'array':
      if (!Array.isArray(value)) return [`${path}: not an array`];
      if (typeof schema.minItems === 'number' && value.length < schema.minItems)
        errors.push(`${path}: too short`);
      value.forEach((item, index) => {
        errors.push(...validate(schema.items as Json, item, root, `${path}[${index}]`));
      });
      break;
    case 'number':
    case 'integer':
      if (typeof value !== 'number' || (schema.type === 'integer' && !Number.isInteger(value)))
        return [`${path}: not a ${schema.type}`];
      if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${path}: below minimum`);
      if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum)
        errors.push(`${path}: not above exclusiveMinimum`);
      if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${path}: above maximum`);
      if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum)
        errors.push(`${path}: not below exclusiveMaximum`);
      break;
    case 'string':
      if (typeof value !== 'string') errors.push(`${path}: not a string`);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') errors.push(`${path}: not a boolean`);
      break;
  }
  return errors;
}

/** Every keyword in the schema, so the validator above cannot silently ignore one. */
function keywords(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) keywords(item, into);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, child] of Object.entries(node)) {
      into.add(key);
      if (key === 'properties' || key === '$defs')
        for (const item of Object.values(child as Json)) keywords(item, into);
      else if (key !== 'default' && key !== 'const' && key !== 'enum' && key !== 'required')
        keywords(child, into);
    }
  }
  return into;
}

describe('configSchema / schema.json', () => {
  const schema = configSchema() as Json;

  it('schema.json is up to date (regenerate with the core "schema" script)', () => {
    expect(readFileSync(schemaPath, 'utf8')).toBe(renderSchema());
  });

  it('is a draft 2020-12 schema with one definition per registered family', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const defs = schema.$defs as Record<string, Json>;
    const types = listFamilies().map((family) => family.type);
    expect((defs.schedule!.oneOf as Json[]).map((ref) => ref.$ref)).toEqual(
      types.map((type) => `#/$defs/${type}`),
    );
    for (const type of types) {
      expect(defs[type]!.additionalProperties).toBe(false);
      expect((defs[type]!.properties as Json).type).toEqual({ const: type, description: 'Schedule family.' });
      expect(defs[type]!.required).toContain('type');
    }
  });

  it('uses only keywords the structural validator checks or annotations', () => {
    const unknown = [...keywords(schema)].filter((key) => !structural.has(key) && !annotations.has(key));
    // Property names appear as keys under "properties" and "$defs"; drop those that are option or family names.
    const optionNames = new Set(
      listFamilies().flatMap((family) => [family.type, ...Object.keys(family.options), 'type']),
    );
    for (const family of listFamilies()) {
      for (const spec of Object.values(family.options))
        if (spec.kind === 'objectArray')
          for (const key of Object.keys(spec.items ?? {})) optionNames.add(key);
    }
    expect(unknown.filter((key) => !optionNames.has(key) && key !== 'schedule')).toEqual([]);
  });

  it('states ranges, defaults and descriptions from the option specs', () => {
    const wcd = (schema.$defs as Record<string, Json>).warmupCosineDecay!;
    const properties = wcd.properties as Record<string, Json>;
    expect(properties.totalSteps).toMatchObject({ type: 'number', exclusiveMinimum: 0 });
    expect(properties.warmupSteps).toMatchObject({ type: 'number', minimum: 0, default: 0 });
    expect(wcd.required).toEqual(['type', 'peakValue', 'totalSteps']);
    const noiseDef = (schema.$defs as Record<string, Json>).noise!.properties as Record<string, Json>;
    expect(noiseDef.rangeFraction).toMatchObject({ exclusiveMinimum: 0, maximum: 1, default: 0.67 });
    expect(noiseDef.seed).toMatchObject({ type: 'integer', minimum: 0 });
    expect(noiseDef.schedule).toEqual({ $ref: '#/$defs/schedule', description: expect.any(String) });
  });

  it('accepts the configs of built-ins and composites', () => {
    const base = warmupCosineDecay({ peakValue: 0.1, totalSteps: 100, warmupSteps: 10 });
    const configs = [
      toConfig(base),
      toConfig(join({ segments: [{ schedule: constant({ value: 0.1 }), steps: 5 }, { schedule: base }] })),
      toConfig(scale({ schedule: base, factor: 0.5 })),
      toConfig(scale({ schedule: base, factor: constant({ value: 2 }) })),
      toConfig(noise({ schedule: warmup({ schedule: base, warmupSteps: 3 }), seed: 4 })),
      { type: 'warmupCosineDecay', peakValue: 1, totalSteps: 10 },
    ];
    for (const config of configs)
      expect(validate(schema, JSON.parse(JSON.stringify(config)), schema)).toEqual([]);
  });

  it.each([
    [{ type: 'nope' }, '$: matches 0 of oneOf'],
    [{ type: 'constant', value: -1 }, '$: matches 0 of oneOf'],
    [{ type: 'constant', value: 1, extra: 2 }, '$: matches 0 of oneOf'],
    [{ type: 'constant' }, '$: matches 0 of oneOf'],
    [{ type: 'noise', schedule: { type: 'constant', value: 1 }, seed: 1.5 }, '$: matches 0 of oneOf'],
    [{ type: 'join', segments: [] }, '$: matches 0 of oneOf'],
  ])('rejects %o', (config, error) => {
    expect(validate(schema, config, schema)).toEqual([error]);
    const family = listFamilies().find((f) => f.type === (config as Json).type);
    if (family) {
      // The same config fails the schema's definition of its own type for a specific reason.
      const own = (schema.$defs as Record<string, Json>)[family.type]!;
      expect(validate(own, config, schema).length).toBeGreaterThan(0);
    }
  });

  it('cannot describe custom functions (they have no JSON form)', () => {
    expect(() => toConfig(scale({ schedule: custom(() => 1), factor: 2 }))).toThrow('custom function');
  });
});
