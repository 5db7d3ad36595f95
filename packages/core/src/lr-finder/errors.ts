import { AnnealError, IssueListError, type ValidationIssue } from '../errors';

function codeOf(error: unknown): string | undefined {
  return AnnealError.isInstance(error) ? error.code : undefined;
}

/**
 * Thrown by `createRangeTest`, the suggestion functions and the runtime adapters' range tests
 * when their options or inputs are invalid. Lists every issue (`.issues`, each with path,
 * expected, received and message).
 */
export class RangeTestConfigError extends IssueListError {
  override readonly code = 'RangeTestConfigError';

  constructor(builder: string, issues: readonly ValidationIssue[]) {
    super(builder, issues);
    this.name = 'RangeTestConfigError';
  }

  static override isInstance(error: unknown): error is RangeTestConfigError {
    return codeOf(error) === 'RangeTestConfigError';
  }
}

/**
 * Thrown when a range test is driven out of order: a step recorded twice or skipped, a record
 * after the test stopped, `result()` before it stopped.
 */
export class RangeTestStateError extends AnnealError {
  override readonly code = 'RangeTestStateError';

  constructor(message: string) {
    super(message);
    this.name = 'RangeTestStateError';
  }

  static override isInstance(error: unknown): error is RangeTestStateError {
    return codeOf(error) === 'RangeTestStateError';
  }
}
