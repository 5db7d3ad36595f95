import { listFamilies } from '@anneal/core';

/** A registered family as `listFamilies()` describes it (type, summary, option specs). */
export type Family = ReturnType<typeof listFamilies>[number];
/** One declarative option spec (`kind`, bounds, default, description). */
export type OptionSpec = Family['options'][string];
export type OptionSpecs = Family['options'];

/** Every registered family, read from core each time (families registered later appear too). */
export function families(): readonly Family[] {
  return listFamilies();
}

export function findFamily(type: unknown): Family | undefined {
  return typeof type === 'string' ? listFamilies().find((family) => family.type === type) : undefined;
}

/** A composite takes other schedules (a `schedule` or `objectArray` option). */
export function isComposite(family: Family): boolean {
  return Object.values(family.options).some(
    (spec) => spec.kind === 'schedule' || spec.kind === 'objectArray',
  );
}

/**
 * The unit of an option, read from the suffix of its name (house naming: `*Steps` durations,
 * `*Value` absolute learning rates, `*Factor` multipliers, `*Fraction` shares of a span, `*Ms`
 * wall clock). Returns `undefined` for a dimensionless option (`exponent`, `power`, ...).
 */
export function unitOf(name: string): string | undefined {
  if (/Steps$/.test(name) || name === 'milestones' || name === 'boundaries' || name === 'steps')
    return 'steps';
  if (/Step$/.test(name)) return 'step';
  if (/Value$/.test(name) || name === 'value' || name === 'values') return 'lr';
  if (/Factor$/.test(name)) return '×';
  if (/Fraction$/.test(name)) return 'fraction';
  if (/Ms$/.test(name)) return 'ms';
  return undefined;
}

/** The bounds of a number spec in words, e.g. `>= 0`, `in (0, 1]`. */
export function describeBounds(spec: OptionSpec): string {
  if (spec.kind !== 'number' && spec.kind !== 'numberArray') return '';
  const max = 'max' in spec ? spec.max : undefined;
  const maxExclusive = 'maxExclusive' in spec ? spec.maxExclusive : undefined;
  const integer = spec.integer ? 'integer ' : '';
  if (spec.min !== undefined && max !== undefined)
    return `${integer}in ${spec.minExclusive ? '(' : '['}${spec.min}, ${max}${maxExclusive ? ')' : ']'}`;
  if (spec.min !== undefined) return `${integer}${spec.minExclusive ? '>' : '>='} ${spec.min}`;
  if (max !== undefined) return `${integer}${maxExclusive ? '<' : '<='} ${max}`;
  return integer.trim();
}
