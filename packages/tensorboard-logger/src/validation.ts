/**
 * Argument validation: the issue collector every check of the package goes through, the
 * predicates those checks share, and how received values are shown in messages.
 */

import { type ArgumentIssue, InvalidArgumentError } from './errors';

/** A non-null object that is not an array: what options objects and name-to-value maps must be. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

export function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

export function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** An unpaired surrogate: in a `u` regular expression a surrogate pair is one code point, so only lone halves match. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * True when `text` holds whole Unicode characters only (no unpaired UTF-16 surrogate), so that its
 * UTF-8 encoding, what protobuf strings and file names hold, decodes back to the same string.
 */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** What a string the writer stores must be, in the `must be ...` of its message. */
export const WELL_FORMED_TEXT = 'free of unpaired UTF-16 surrogates (event files hold UTF-8)';

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
  if (typeof value === 'symbol') return value.toString();
  try {
    const json = JSON.stringify(value);
    if (json === undefined) return String(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return String(value);
  }
}

/**
 * Collects the issues of one call, then throws them as one `InvalidArgumentError`. The package's
 * only validator: every message reads `<method>: <path> must be <expected>; received <value>.`
 */
export class IssueCollector {
  readonly issues: ArgumentIssue[] = [];
  constructor(readonly method: string) {}

  add(path: string, expected: string, received: unknown): void {
    this.issues.push({
      path,
      expected,
      received,
      message: `${this.method}: ${path} must be ${expected}; received ${formatValue(received)}.`,
    });
  }

  /** Adds one issue and throws at once (with every issue collected so far). */
  fail(path: string, expected: string, received: unknown): never {
    this.add(path, expected, received);
    throw new InvalidArgumentError(this.method, this.issues);
  }

  /** Adds an issue when the optional `value` is given (not `undefined`) and `isValid` rejects it. */
  checkOptional(path: string, value: unknown, isValid: (value: unknown) => boolean, expected: string): void {
    if (value !== undefined && !isValid(value)) this.add(path, expected, value);
  }

  /**
   * Adds one issue per own key of `record` that is not in `knownKeys`, at `<path>.<key>`:
   * `must be one of the known <path> (<known keys>); received "<key>"`.
   */
  checkKnownKeys(path: string, record: object, knownKeys: readonly string[]): void {
    for (const key of Object.keys(record)) {
      if (!knownKeys.includes(key))
        this.add(`${path}.${key}`, `one of the known ${path} (${knownKeys.join(', ')})`, key);
    }
  }

  /** Adds an issue when `value` is a string with an unpaired surrogate (other types are checked elsewhere). */
  checkWellFormed(path: string, value: unknown): void {
    if (typeof value === 'string' && !isWellFormedText(value)) this.add(path, WELL_FORMED_TEXT, value);
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw new InvalidArgumentError(this.method, this.issues);
  }
}
