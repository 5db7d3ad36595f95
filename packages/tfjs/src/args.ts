import {
  formatValue as formatPlainValue,
  IssueCollector,
  isPlainObject,
  rejectUnknownKeys,
  type Schedule,
  ScheduleConfigError,
} from '@anneal/core';
import { toAnySchedule } from '@anneal/core/reference';

/**
 * core's `formatValue`, except that an instance of a class reads `a <ClassName>` (`a FieldOptimizer`,
 * `a Tensor`): tfjs objects are circular or enormous as JSON.
 */
export function formatValue(value: unknown): string {
  if (typeof value === 'object' && value !== null) {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && name !== 'Object' && name !== 'Array') return `a ${name}`;
  }
  return formatPlainValue(value);
}

/**
 * Collects every problem in a factory's arguments, then throws one `ScheduleConfigError`
 * (the error @anneal/core throws for invalid options) whose message lists them all.
 *
 * core's `IssueCollector` with the tfjs wording: the whole argument is `args`, and received values
 * are formatted by this package's `formatValue` (class instances named, not JSON-encoded).
 */
export class ArgsIssues extends IssueCollector {
  constructor(readonly factory: string) {
    super(factory);
  }

  protected override readonly wholeName = 'args';

  /** Names class instances (`a FieldOptimizer`) where core would print their JSON. */
  protected override formatReceived(value: unknown): string {
    return formatValue(value);
  }

  /** Flags keys that no spec knows (typos such as `stepPerEpoch`). */
  unknownKeys(args: Record<string, unknown>, known: readonly string[]): void {
    rejectUnknownKeys(args, known, this);
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
      this.addRule(
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
      return toAnySchedule(value);
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

  throwIfAny(): void {
    if (!this.ok) throw new ScheduleConfigError(this.factory, this.issues);
  }
}
