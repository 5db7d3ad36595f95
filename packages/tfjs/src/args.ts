import { type Schedule, ScheduleConfigError, toSchedule, type ValidationIssue } from '@anneal/core';

/** Formats a received value for messages: numbers as written, strings quoted, objects as short JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'object' && value !== null) {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && name !== 'Object' && name !== 'Array') return `a ${name}`;
  }
  try {
    const json = JSON.stringify(value);
    if (json === undefined) return String(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return String(value);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Collects every problem in a factory's arguments, then throws one `ScheduleConfigError`
 * (the error @anneal/core throws for invalid options) whose message lists them all.
 */
export class ArgsIssues {
  readonly issues: ValidationIssue[] = [];

  constructor(readonly factory: string) {}

  /** `<factory>: <path> must be <expected>; received <value>.` */
  add(path: string, expected: string, received: unknown): void {
    this.issues.push({
      path,
      expected,
      received,
      message: `${this.factory}: ${path || 'args'} must be ${expected}; received ${formatValue(received)}.`,
    });
  }

  /** `<factory>: <rule>; received <value>.` for rules that involve more than one field. */
  rule(path: string, rule: string, expected: string, received: unknown): void {
    this.issues.push({
      path,
      expected,
      received,
      message: `${this.factory}: ${rule}; received ${formatValue(received)}.`,
    });
  }

  /** Flags keys that no spec knows (typos such as `stepPerEpoch`). */
  unknownKeys(args: Record<string, unknown>, known: readonly string[]): void {
    for (const key of Object.keys(args)) {
      if (!known.includes(key)) {
        this.rule(
          key,
          `unknown option ${JSON.stringify(key)} (expected one of ${known.join(', ')})`,
          `one of ${known.join(', ')}`,
          args[key],
        );
      }
    }
  }

  /**
   * Adds the issues of a nested ScheduleConfigError and returns true (false for other errors).
   * Under a `path` (a schedule option) a message reads `<factory>: <path> (<builder>): ...`; with an
   * empty path (options passed through to a core builder) it is reworded as this factory's own.
   */
  nested(path: string, error: unknown): boolean {
    if (!ScheduleConfigError.isInstance(error)) return false;
    for (const issue of error.issues) {
      this.issues.push({
        ...issue,
        path: path && issue.path ? `${path}.${issue.path}` : path || issue.path,
        message: path
          ? issue.message.replace(/^([^:]+): /, `${this.factory}: ${path} ($1): `)
          : issue.message.replace(/^[^:]+: /, `${this.factory}: `),
      });
    }
    return true;
  }

  /** Resolves a schedule option (schedule, config or function), recording its issues. */
  schedule(path: string, value: unknown): Schedule | undefined {
    if (value === undefined) {
      this.rule(
        path,
        `${path} is required (a schedule, a schedule config object or a function of the step)`,
        'a schedule',
        value,
      );
      return undefined;
    }
    if (typeof value !== 'function' && !isPlainObject(value)) {
      this.add(path, 'a schedule, a schedule config object or a function of the step', value);
      return undefined;
    }
    try {
      return toSchedule(value);
    } catch (error) {
      if (this.nested(path, error)) return undefined;
      throw error;
    }
  }

  optionalFunction(args: Record<string, unknown>, key: string, expected = 'a function'): void {
    if (args[key] !== undefined && typeof args[key] !== 'function') this.add(key, expected, args[key]);
  }

  optionalEnum(args: Record<string, unknown>, key: string, values: readonly string[]): void {
    const value = args[key];
    if (value !== undefined && (typeof value !== 'string' || !values.includes(value))) {
      this.add(key, `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, value);
    }
  }

  optionalInteger(args: Record<string, unknown>, key: string, min: number): void {
    const value = args[key];
    if (value !== undefined && !(typeof value === 'number' && Number.isSafeInteger(value) && value >= min)) {
      this.add(key, min === 0 ? 'an integer >= 0' : `an integer >= ${min}`, value);
    }
  }

  get ok(): boolean {
    return this.issues.length === 0;
  }

  throwIfAny(): void {
    if (!this.ok) throw new ScheduleConfigError(this.factory, this.issues);
  }
}
