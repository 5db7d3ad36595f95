import { formatValue, type ValidationIssue } from './errors';

/**
 * Collects validation issues so that a builder can report every problem at once.
 * Messages follow the house format: `<builder>: <path> must be <expected>; received <value>.`
 */
export class IssueCollector {
  readonly issues: ValidationIssue[] = [];
  /** What an issue about the whole input (empty path) calls it: `options`; adapters say `args`. */
  protected readonly wholeName: string = 'options';

  constructor(
    readonly builder: string,
    readonly pathPrefix = '',
  ) {}

  /** Full path of a field under this collector's prefix. */
  path(field: string): string {
    if (!this.pathPrefix) return field;
    if (!field) return this.pathPrefix;
    return field.startsWith('[') ? `${this.pathPrefix}${field}` : `${this.pathPrefix}.${field}`;
  }

  /** Records an issue: `<path> must be <expected>; received <value>.` */
  add(field: string, expected: string, received: unknown): void {
    const path = this.path(field);
    this.issues.push({
      path,
      expected,
      received,
      message: `${this.builder}: ${path || this.wholeName} must be ${expected}; received ${this.formatReceived(received)}.`,
    });
  }

  /** Records an issue with a custom sentence (used for cross-field rules). */
  addRule(field: string, rule: string, expected: string, received: unknown): void {
    const path = this.path(field);
    this.issues.push({
      path,
      expected,
      received,
      message: `${this.builder}: ${rule}; received ${this.formatReceived(received)}.`,
    });
  }

  /** How a received value is shown in messages; adapters override it to name host objects. */
  protected formatReceived(value: unknown): string {
    return formatValue(value);
  }

  /** Appends issues collected elsewhere (for nested schedules). */
  addAll(issues: readonly ValidationIssue[]): void {
    this.issues.push(...issues);
  }

  get ok(): boolean {
    return this.issues.length === 0;
  }
}
