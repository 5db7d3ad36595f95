/**
 * Typed errors. Each class carries a `Symbol.for` marker and a static `isInstance` that checks the
 * `code`, so checks keep working when two copies of this package are loaded (`instanceof` would not).
 */

const loggerErrorMarker = Symbol.for('anneal.tensorboard-logger.error');

export class TensorBoardLoggerError extends Error {
  readonly [loggerErrorMarker] = true;
  /** Stable machine-readable discriminator, e.g. `'CorruptRecordError'`. */
  readonly code: string = 'TensorBoardLoggerError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TensorBoardLoggerError';
  }

  static isInstance(error: unknown): error is TensorBoardLoggerError {
    return (
      typeof error === 'object' &&
      error !== null &&
      (error as Record<symbol, unknown>)[loggerErrorMarker] === true
    );
  }
}

function codeOf(error: unknown): string | undefined {
  return TensorBoardLoggerError.isInstance(error) ? error.code : undefined;
}

/** One problem found while validating the arguments of a call. */
export interface ArgumentIssue {
  /** Argument or option path, e.g. `step` or `options.maxQueue`. */
  readonly path: string;
  /** What was expected, in words: `a non-negative safe integer`. */
  readonly expected: string;
  /** The value received (as given). */
  readonly received: unknown;
  /** Full sentence: `SummaryWriter.addScalar: step must be a non-negative safe integer; received -1.` */
  readonly message: string;
}

/** Thrown synchronously when a method or constructor receives invalid arguments. Lists every issue. */
export class InvalidArgumentError extends TensorBoardLoggerError {
  override readonly code = 'InvalidArgumentError';
  /** The function that rejected its arguments, e.g. `SummaryWriter.addScalar`. */
  readonly method: string;
  readonly issues: readonly ArgumentIssue[];

  constructor(method: string, issues: readonly ArgumentIssue[]) {
    const lines = issues.map((issue) => issue.message);
    super(
      lines.length === 1
        ? lines[0]!
        : `${method}: ${issues.length} invalid arguments:\n- ${lines.join('\n- ')}`,
    );
    this.name = 'InvalidArgumentError';
    this.method = method;
    this.issues = issues;
  }

  static override isInstance(error: unknown): error is InvalidArgumentError {
    return codeOf(error) === 'InvalidArgumentError';
  }
}

/** Thrown by every `add*` method called after `close()`. */
export class WriterClosedError extends TensorBoardLoggerError {
  override readonly code = 'WriterClosedError';

  constructor(message: string) {
    super(message);
    this.name = 'WriterClosedError';
  }

  static override isInstance(error: unknown): error is WriterClosedError {
    return codeOf(error) === 'WriterClosedError';
  }
}

/**
 * A file-system operation of the writer failed (directory not creatable, file not openable, disk
 * full, ...). Delivered to `onError` and as the rejection of `flush()` / `close()`; never thrown from
 * `add*` and never left as an unhandled rejection.
 */
export class EventFileWriteError extends TensorBoardLoggerError {
  override readonly code = 'EventFileWriteError';
  /** The file or directory the operation was about. */
  readonly path: string;
  /** What the writer was doing: `'mkdir'`, `'open'`, `'write'`, `'fsync'` or `'close'`. */
  readonly operation: string;
  /** The system error code when there is one, e.g. `'ENOSPC'`, `'ENOTDIR'`. */
  readonly errno: string | undefined;

  constructor(operation: string, path: string, cause: unknown) {
    const errno = systemErrorCode(cause);
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`SummaryWriter: ${operation} failed for ${JSON.stringify(path)}: ${reason}`, { cause });
    this.name = 'EventFileWriteError';
    this.path = path;
    this.operation = operation;
    this.errno = errno;
  }

  static override isInstance(error: unknown): error is EventFileWriteError {
    return codeOf(error) === 'EventFileWriteError';
  }
}

/** The file-system operation a reader was doing when it failed. */
export type ReadOperation = 'open' | 'stat' | 'read' | 'close' | 'readdir';

/**
 * A file-system operation of a reader failed: the file or directory is missing (`ENOENT`), a path
 * component is not a directory (`ENOTDIR`), a file is a directory (`EISDIR`), unreadable
 * (`EACCES`), ... The rejection of `readEvents` / `readRun` / `readLogdir` / `readScalars`; the
 * Node error is the `cause`.
 */
export class EventFileReadError extends TensorBoardLoggerError {
  override readonly code = 'EventFileReadError';
  /** The file or directory the operation was about. */
  readonly path: string;
  readonly operation: ReadOperation;
  /** The system error code when there is one, e.g. `'ENOENT'`, `'ENOTDIR'`. */
  readonly errno: string | undefined;

  /** `method` is the reader that was called, e.g. `readRun`. */
  constructor(method: string, operation: ReadOperation, path: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`${method}: ${operation} failed for ${JSON.stringify(path)}: ${reason}`, { cause });
    this.name = 'EventFileReadError';
    this.path = path;
    this.operation = operation;
    this.errno = systemErrorCode(cause);
  }

  static override isInstance(error: unknown): error is EventFileReadError {
    return codeOf(error) === 'EventFileReadError';
  }
}

/** Reported through `onError` when `onQueueFull: 'drop'` discards records because the queue is full. */
export class QueueFullError extends TensorBoardLoggerError {
  override readonly code = 'QueueFullError';
  /** The `maxQueue` that was reached. */
  readonly maxQueue: number;

  constructor(maxQueue: number) {
    super(
      `SummaryWriter: the queue holds maxQueue (${maxQueue}) records and the disk has not caught up; records are dropped until it does (onQueueFull: 'drop').`,
    );
    this.name = 'QueueFullError';
    this.maxQueue = maxQueue;
  }

  static override isInstance(error: unknown): error is QueueFullError {
    return codeOf(error) === 'QueueFullError';
  }
}

/** Why a record was rejected by the reader. */
export type CorruptionReason = 'length-crc' | 'payload-crc' | 'malformed-event';

/**
 * A record failed verification: its length or payload CRC does not match, or the payload is not a
 * valid `Event`. `offset` is the byte offset of the record's first byte in the file.
 */
export class CorruptRecordError extends TensorBoardLoggerError {
  override readonly code = 'CorruptRecordError';
  readonly file: string | undefined;
  readonly offset: number;
  readonly reason: CorruptionReason;

  constructor(reason: CorruptionReason, offset: number, file: string | undefined, detail: string) {
    super(
      `${file === undefined ? 'event data' : JSON.stringify(file)}: corrupted record at byte ${offset}: ${detail}`,
    );
    this.name = 'CorruptRecordError';
    this.file = file;
    this.offset = offset;
    this.reason = reason;
  }

  static override isInstance(error: unknown): error is CorruptRecordError {
    return codeOf(error) === 'CorruptRecordError';
  }
}

function systemErrorCode(cause: unknown): string | undefined {
  if (typeof cause === 'object' && cause !== null && 'code' in cause) {
    const code = (cause as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
