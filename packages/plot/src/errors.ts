/**
 * The marker every anneal error carries (`Symbol.for`, so it survives two copies of a package):
 * `AnnealError.isInstance` from @anneal/core recognises a `ChartInputError` without this package
 * importing core.
 */
const annealErrorMarker = Symbol.for('anneal.error');

/** Thrown by the renderers for invalid series or options. Lists every issue in one message. */
export class ChartInputError extends Error {
  readonly [annealErrorMarker] = true;
  /** Stable machine-readable discriminator. */
  readonly code = 'ChartInputError';
  readonly issues: readonly string[];

  constructor(renderer: string, issues: readonly string[]) {
    super(
      issues.length === 1
        ? `${renderer}: ${issues[0]}`
        : `${renderer}: ${issues.length} invalid inputs:\n- ${issues.join('\n- ')}`,
    );
    this.name = 'ChartInputError';
    this.issues = issues;
  }

  static isInstance(error: unknown): error is ChartInputError {
    return (
      typeof error === 'object' &&
      error !== null &&
      (error as Record<symbol, unknown>)[annealErrorMarker] === true &&
      (error as { code?: unknown }).code === 'ChartInputError'
    );
  }
}
