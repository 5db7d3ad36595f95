/**
 * The options of `new SummaryWriter(logdir, options)`: what each means, how they are validated and
 * their defaults.
 */

import type { TensorBoardLoggerError } from './errors';
import type { WriterFileSystem } from './file-sink';
import type { ScalarEncoding } from './scalar-record';
import {
  IssueCollector,
  isNonEmptyString,
  isNonNegativeInteger,
  isPlainObject,
  isPositiveInteger,
} from './validation';
import type { WriterPlatform } from './writer-platform';

/** What `add*` does when `maxQueue` records (or `maxQueueBytes`) are waiting for the disk. */
export type QueueFullPolicy = 'block' | 'drop';

export interface SummaryWriterOptions {
  /**
   * Most records held in memory before they are written (default 100 000). Reaching half of it, or
   * filling a 64 KiB chunk, starts an asynchronous write.
   */
  readonly maxQueue?: number;
  /** Most bytes held in memory before they are written (default 16 MiB). */
  readonly maxQueueBytes?: number;
  /** Queued records are written at the latest this long after the first of them was added (default 2000). */
  readonly flushIntervalMs?: number;
  /**
   * When the queue is full: `'block'` (default) writes the queue synchronously inside the `add*`
   * call that found it full (the caller waits for the disk, memory stays bounded, nothing is lost);
   * `'drop'` discards the record, counts it in `droppedRecords` and reports one `QueueFullError`
   * to `onError` per episode. Await `waitForCapacity()` to never reach either.
   */
  readonly onQueueFull?: QueueFullPolicy;
  /** `'simpleValue'` (default; TF1, tensorboardX, torch) or `'tensor'` (rank-0 DT_FLOAT with `scalars` metadata, as TF2). */
  readonly scalarEncoding?: ScalarEncoding;
  /** Receives every write failure (`EventFileWriteError`) and queue overflow (`QueueFullError`), asynchronously. */
  readonly onError?: (error: TensorBoardLoggerError) => void;
  /** Appended to the file name, e.g. `'.v2'`. Default `''`. */
  readonly filenameSuffix?: string;
  /** Write queued records synchronously when the process exits normally (default true). */
  readonly flushOnExit?: boolean;
  /** Call `fsync` in `flush()` and `close()` so data survives power loss, not only a crash (default false). */
  readonly fsync?: boolean;
  /** Clock in milliseconds since the epoch (default `Date.now`); wall times are `nowMs() / 1000` seconds. */
  readonly nowMs?: () => number;
  /** Host name in the file name (default `os.hostname()`). */
  readonly hostname?: string;
  /** Process id in the file name (default `process.pid`). */
  readonly pid?: number;
  /** The `<n>` in the file name (default: a process-wide counter, as TensorBoard's Python writer). */
  readonly fileIndex?: number;
  /** File operations (default `node:fs`). */
  readonly fileSystem?: WriterFileSystem;
}

/** Every option with its default applied (`fileIndex` stays optional: its default is a counter). */
export interface ResolvedWriterOptions {
  maxQueue: number;
  maxQueueBytes: number;
  flushIntervalMs: number;
  onQueueFull: QueueFullPolicy;
  scalarEncoding: ScalarEncoding;
  onError: ((error: TensorBoardLoggerError) => void) | undefined;
  filenameSuffix: string;
  flushOnExit: boolean;
  fsync: boolean;
  nowMs: () => number;
  hostname: string;
  pid: number;
  fileIndex: number | undefined;
  fileSystem: WriterFileSystem;
}

const DEFAULT_MAX_QUEUE = 100_000;
const DEFAULT_MAX_QUEUE_BYTES = 16 * 1024 * 1024;
const DEFAULT_FLUSH_INTERVAL_MS = 2000;
/** Longest delay `setTimeout` honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Every option of the Node writer, in the order messages list them. */
export const OPTION_KEYS = [
  'maxQueue',
  'maxQueueBytes',
  'flushIntervalMs',
  'onQueueFull',
  'scalarEncoding',
  'onError',
  'filenameSuffix',
  'flushOnExit',
  'fsync',
  'nowMs',
  'hostname',
  'pid',
  'fileIndex',
  'fileSystem',
] as const;

const FILE_SYSTEM_METHODS = ['mkdirSync', 'openSync', 'writev', 'writevSync', 'fsync', 'close'] as const;

function isFileSystem(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    FILE_SYSTEM_METHODS.every((name) => typeof (value as Record<string, unknown>)[name] === 'function')
  );
}

/**
 * Checks `logdir` and every option of `new SummaryWriter(logdir, options)` among `keys` into
 * `issues` (an option outside `keys` is unknown); the caller throws.
 */
export function checkWriterOptions(
  issues: IssueCollector,
  logdir: unknown,
  options: unknown,
  keys: readonly string[] = OPTION_KEYS,
): void {
  if (!isNonEmptyString(logdir)) issues.add('logdir', 'a non-empty string', logdir);
  else issues.checkWellFormed('logdir', logdir);
  if (options !== undefined && !isPlainObject(options)) {
    issues.fail('options', 'an options object or undefined', options);
  }
  const o = (options ?? {}) as Record<string, unknown>;
  issues.checkKnownKeys('options', o, keys);
  const check = (key: (typeof OPTION_KEYS)[number], ok: (value: unknown) => boolean, expected: string) =>
    issues.checkOptional(`options.${key}`, o[key], ok, expected);
  check('maxQueue', isPositiveInteger, 'a positive integer (records)');
  check('maxQueueBytes', (v) => isPositiveInteger(v) && v >= 1024, 'an integer >= 1024 (bytes)');
  check(
    'flushIntervalMs',
    (v) => typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= MAX_TIMER_MS,
    `a number of milliseconds in (0, ${MAX_TIMER_MS}]`,
  );
  check('onQueueFull', (v) => v === 'block' || v === 'drop', '"block" or "drop"');
  check('scalarEncoding', (v) => v === 'simpleValue' || v === 'tensor', '"simpleValue" or "tensor"');
  check('onError', (v) => typeof v === 'function', 'a function');
  check(
    'filenameSuffix',
    (v) => typeof v === 'string' && !/[/\\]/.test(v),
    'a string without path separators',
  );
  check('flushOnExit', (v) => typeof v === 'boolean', 'a boolean');
  check('fsync', (v) => typeof v === 'boolean', 'a boolean');
  check('nowMs', (v) => typeof v === 'function', 'a function returning milliseconds since the epoch');
  check(
    'hostname',
    (v) => typeof v === 'string' && v.length > 0 && !/[/\\]/.test(v),
    'a non-empty string without path separators',
  );
  // Both are parts of the file name; a lone surrogate would name another file than `path` says.
  issues.checkWellFormed('options.hostname', o.hostname);
  issues.checkWellFormed('options.filenameSuffix', o.filenameSuffix);
  check('pid', isNonNegativeInteger, 'a non-negative integer');
  check('fileIndex', isNonNegativeInteger, 'a non-negative integer');
  check(
    'fileSystem',
    isFileSystem,
    'an object with mkdirSync, openSync, writev, writevSync, fsync and close functions',
  );
}

/**
 * Validates `new SummaryWriter(logdir, options)` (throws `InvalidArgumentError`) and applies the
 * defaults, those of the file name and file operations from `platform`.
 */
export function resolveWriterOptions(
  logdir: unknown,
  options: unknown,
  platform: WriterPlatform,
): ResolvedWriterOptions {
  const issues = new IssueCollector('new SummaryWriter');
  checkWriterOptions(issues, logdir, options);
  issues.throwIfAny();
  const o = (options ?? {}) as SummaryWriterOptions;
  return {
    maxQueue: o.maxQueue ?? DEFAULT_MAX_QUEUE,
    maxQueueBytes: o.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES,
    flushIntervalMs: o.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS,
    onQueueFull: o.onQueueFull ?? 'block',
    scalarEncoding: o.scalarEncoding ?? 'simpleValue',
    onError: o.onError,
    filenameSuffix: o.filenameSuffix ?? '',
    flushOnExit: o.flushOnExit ?? true,
    fsync: o.fsync ?? false,
    nowMs: o.nowMs ?? Date.now,
    hostname: o.hostname ?? platform.defaultHostname(),
    pid: o.pid ?? platform.defaultPid(),
    fileIndex: o.fileIndex,
    fileSystem: o.fileSystem ?? platform.defaultFileSystem(),
  };
}
