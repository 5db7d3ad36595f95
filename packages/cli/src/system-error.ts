import { outputError } from './errors';

/** The `code` of a Node system error (`ENOENT`, `ENOSPC`, ...), or undefined for anything else. */
export function systemCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = String(error.code);
  return /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

const descriptions: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  EISDIR: 'it is a directory',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EBADF: 'bad file descriptor',
  EAGAIN: 'resource temporarily unavailable',
  ECONNRESET: 'connection reset by the reader',
};

/**
 * A system error in words: `no such file`, `no space left on device`, ... For a code not listed,
 * Node's own description (its message without the code and the system call).
 */
export function describeSystemError(error: unknown): string {
  const code = systemCode(error);
  const known = code === undefined ? undefined : descriptions[code];
  if (known !== undefined) return known;
  const message = error instanceof Error ? error.message : String(error);
  // Node spells system errors `ENOSPC: no space left on device, write`.
  const match = /^E[A-Z0-9]+: (.+?)(?:, \w+(?: .*)?)?$/.exec(message);
  return match ? match[1]! : message;
}

/**
 * The one-line message of an output error: `cannot write to standard output: no space left on
 * device (ENOSPC)`. `target` names what was written (`standard output`, a file as given).
 */
export function describeWriteFailure(target: string, error: unknown): string {
  const code = systemCode(error);
  return `cannot write to ${target}: ${describeSystemError(error)}${code === undefined ? '' : ` (${code})`}`;
}

/** A CLI error (exit code 3) for a failed write to `target`. */
export function writeFailure(target: string, error: unknown): Error {
  return outputError(describeWriteFailure(target, error));
}
