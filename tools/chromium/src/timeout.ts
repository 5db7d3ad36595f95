/** A failure of a page or of a step that drives it (a timeout, a crash), in one line saying what happened. */
export class PageError extends Error {
  override readonly name = 'PageError';
}

/**
 * Resolves or rejects as `promise` does, unless `ms` pass first: then rejects with a `PageError`
 * "`what` timed out after N s", or with `{ message }` verbatim. The timer is cleared either way,
 * so nothing keeps the process alive.
 */
export async function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string | { readonly message: string },
): Promise<T> {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new TypeError(`withTimeout: ms must be a positive finite number; received ${String(ms)}.`);
  }
  const message = typeof what === 'string' ? what && `${what} timed out after ${ms / 1000} s` : what?.message;
  if (typeof message !== 'string' || message === '') {
    throw new TypeError(
      `withTimeout: what must be a step name or { message } with a non-empty message; received ${JSON.stringify(what) ?? String(what)}.`,
    );
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PageError(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
