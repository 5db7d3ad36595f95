/** A failure of a page or of a step that drives it (a timeout, a crash), in one line saying what happened. */
export class PageError extends Error {
  override readonly name = 'PageError';
}

/**
 * Resolves or rejects as `promise` does, unless `ms` pass first: then rejects with a `PageError`
 * "`what` timed out after N s". The timer is cleared either way, so nothing keeps the process alive.
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PageError(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
