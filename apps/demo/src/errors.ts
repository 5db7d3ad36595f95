const badInputMarker = Symbol.for('anneal.demo.badInput');

/**
 * Input the demo cannot use (flags, schedule file, data, output folder, a missing runtime). Always
 * raised before training starts; the demo prints the message and exits with code 2. Carries a
 * `Symbol.for` marker so `isInstance` holds across module copies.
 */
export class BadInputError extends Error {
  readonly [badInputMarker] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BadInputError';
  }

  static isInstance(error: unknown): error is BadInputError {
    return (
      typeof error === 'object' &&
      error !== null &&
      (error as Record<symbol, unknown>)[badInputMarker] === true
    );
  }
}
