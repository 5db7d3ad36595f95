/**
 * `SummaryWriter`: tensorboardX-style API that appends TFRecord-framed `Event`s to
 * `<logdir>/events.out.tfevents.<seconds>.<host>.<pid>.<n>`.
 *
 * Writing model: every `add*` call encodes its record synchronously into an in-memory chunk (no
 * system call). Full 64 KiB chunks, the flush timer and `flush()` hand chunks to one asynchronous
 * positional write at a time, so the file on disk is always a prefix of the record stream (a crash
 * leaves at most a truncated tail). The queue of records not yet written is bounded by `maxQueue`
 * records and `maxQueueBytes` bytes; what happens when it is full is `onQueueFull`.
 */

import * as nodeFs from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { dirname, join } from 'node:path';
import {
  encodeEvent,
  encodeHistogramSummary,
  encodeHParamsSummaries,
  encodeTextSummary,
  type HistogramFields,
} from './encode';
import {
  EventFileWriteError,
  IssueCollector,
  QueueFullError,
  type TensorBoardLoggerError,
  WriterClosedError,
} from './errors';
import { histogramFromValues } from './histogram';
import type { HParamValue } from './proto-types';
import { encodeUtf8 } from './protobuf';
import { RECORD_OVERHEAD, writeRecordAt } from './record-framing';
import {
  buildScalarTemplate,
  type ScalarEncoding,
  type ScalarTemplate,
  writeScalarRecordAt,
} from './scalar-record';

/** The file operations the writer uses. `node:fs` satisfies it; tests inject failing ones. */
export interface WriterFileSystem {
  /** Creates one directory (not recursive; the writer walks up itself). */
  mkdirSync(path: string): unknown;
  openSync(path: string, flags: string): number;
  writev(
    fd: number,
    buffers: readonly Uint8Array[],
    position: number,
    callback: (error: NodeJS.ErrnoException | null, bytesWritten: number) => void,
  ): void;
  writevSync(fd: number, buffers: readonly Uint8Array[], position: number): number;
  fsync(fd: number, callback: (error: NodeJS.ErrnoException | null) => void): void;
  close(fd: number, callback: (error: NodeJS.ErrnoException | null) => void): void;
}

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

/** Per-call options of the `add*` methods. */
export interface AddOptions {
  /** Event wall time in seconds since the epoch (default: the writer's clock). */
  readonly wallTime?: number;
}

/** A histogram already bucketed: `bucketLimits` are right edges, `buckets` the counts (same length). */
export type HistogramInput = ArrayLike<number> | HistogramFields;

export interface HParamsOptions {
  /** Write into the sub-run `<logdir>/<runName>` (as torch's `add_hparams` does) instead of this run. */
  readonly runName?: string;
  /** Step of the hparams and metric records (default 0). */
  readonly step?: number;
  /** Allowed values per hparam, shown as the discrete domain in the dashboard. */
  readonly hparamDomainDiscrete?: Readonly<Record<string, readonly HParamValue[]>>;
  readonly wallTime?: number;
}

const CHUNK_BYTES = 64 * 1024;
const DEFAULT_MAX_QUEUE = 100_000;
const DEFAULT_MAX_QUEUE_BYTES = 16 * 1024 * 1024;
const DEFAULT_FLUSH_INTERVAL_MS = 2000;
const MAX_TIMER_MS = 2 ** 31 - 1;
const FILE_VERSION = 'brain.Event:2';

let nextFileIndex = 0;

// One 'exit' listener for all writers; it writes what is still queued, synchronously.
const writersToFlushOnExit = new Set<SummaryWriter>();
let exitHookInstalled = false;

function flushAllOnExit(): void {
  for (const writer of writersToFlushOnExit) writer[drainSyncSymbol]();
}

const drainSyncSymbol = Symbol('drainSync');

const OPTION_KEYS = new Set([
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
]);

interface ResolvedOptions {
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

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function resolveOptions(logdir: unknown, options: unknown): ResolvedOptions {
  const issues = new IssueCollector('new SummaryWriter');
  if (typeof logdir !== 'string' || logdir.length === 0) issues.add('logdir', 'a non-empty string', logdir);
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    issues.fail('options', 'an options object or undefined', options);
  }
  const o = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!OPTION_KEYS.has(key))
      issues.add(`options.${key}`, `one of the known options (${[...OPTION_KEYS].join(', ')})`, key);
  }
  const check = (key: string, ok: (value: unknown) => boolean, expected: string): void => {
    if (o[key] !== undefined && !ok(o[key])) issues.add(`options.${key}`, expected, o[key]);
  };
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
  check('pid', isNonNegativeInteger, 'a non-negative integer');
  check('fileIndex', isNonNegativeInteger, 'a non-negative integer');
  check(
    'fileSystem',
    (v) =>
      typeof v === 'object' &&
      v !== null &&
      ['mkdirSync', 'openSync', 'writev', 'writevSync', 'fsync', 'close'].every(
        (name) => typeof (v as Record<string, unknown>)[name] === 'function',
      ),
    'an object with mkdirSync, openSync, writev, writevSync, fsync and close functions',
  );
  issues.throwIfAny();
  return {
    maxQueue: (o.maxQueue as number | undefined) ?? DEFAULT_MAX_QUEUE,
    maxQueueBytes: (o.maxQueueBytes as number | undefined) ?? DEFAULT_MAX_QUEUE_BYTES,
    flushIntervalMs: (o.flushIntervalMs as number | undefined) ?? DEFAULT_FLUSH_INTERVAL_MS,
    onQueueFull: (o.onQueueFull as QueueFullPolicy | undefined) ?? 'block',
    scalarEncoding: (o.scalarEncoding as ScalarEncoding | undefined) ?? 'simpleValue',
    onError: o.onError as ResolvedOptions['onError'],
    filenameSuffix: (o.filenameSuffix as string | undefined) ?? '',
    flushOnExit: (o.flushOnExit as boolean | undefined) ?? true,
    fsync: (o.fsync as boolean | undefined) ?? false,
    nowMs: (o.nowMs as (() => number) | undefined) ?? Date.now,
    hostname: (o.hostname as string | undefined) ?? osHostname(),
    pid: (o.pid as number | undefined) ?? process.pid,
    fileIndex: o.fileIndex as number | undefined,
    fileSystem: (o.fileSystem as WriterFileSystem | undefined) ?? (nodeFs as unknown as WriterFileSystem),
  };
}

interface Flight {
  readonly buffers: readonly Uint8Array[];
  readonly position: number;
  readonly end: number;
  /** Rewritten synchronously already (queue full or process exit); its completion only releases the fd. */
  superseded: boolean;
  readonly done: Promise<void>;
}

interface OffsetWaiter {
  readonly target: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

function checkTag(issues: IssueCollector, tag: unknown, path = 'tag'): void {
  if (typeof tag !== 'string' || tag.length === 0) issues.add(path, 'a non-empty string', tag);
}

function checkStep(issues: IssueCollector, step: unknown, path = 'step'): void {
  if (!isNonNegativeInteger(step)) issues.add(path, 'a non-negative safe integer', step);
}

function checkAddOptions(issues: IssueCollector, options: unknown): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) {
    issues.add('options', 'an object like { wallTime } or undefined', options);
    return;
  }
  const wallTime = (options as { wallTime?: unknown }).wallTime;
  if (
    wallTime !== undefined &&
    !(typeof wallTime === 'number' && Number.isFinite(wallTime) && wallTime >= 0)
  ) {
    issues.add('options.wallTime', 'a finite number of seconds since the epoch (>= 0)', wallTime);
  }
}

/**
 * The argument checks of `addScalar` but the tag's (a tag with a template is valid), as one
 * expression for the hot path; `checkStep`/`checkAddOptions` say what is wrong when it fails.
 */
function isValidScalarCall(
  value: unknown,
  step: number,
  options: AddOptions | undefined,
  wallTime: number | undefined,
): boolean {
  return (
    typeof value === 'number' &&
    step >= 0 &&
    Number.isSafeInteger(step) &&
    (options === undefined || (typeof options === 'object' && options !== null)) &&
    (wallTime === undefined || (wallTime >= 0 && Number.isFinite(wallTime)))
  );
}

function isHistogramFields(value: unknown): value is HistogramFields {
  return typeof value === 'object' && value !== null && 'bucketLimits' in value;
}

/**
 * Writes TensorBoard event files. One instance owns one file in `logdir`; `addScalars` and
 * `addHparams({ runName })` open sibling writers in sub-runs, closed with this one.
 *
 * @example
 * const writer = new SummaryWriter('runs/exp1');
 * for (let step = 0; step < 1000; step++) writer.addScalar('train/learning_rate', schedule(step), step);
 * await writer.close();
 */
export class SummaryWriter {
  /** The run directory. */
  readonly logdir: string;
  /** Path of the event file this writer appends to (`logdir` joined with the file name). */
  readonly path: string;

  private readonly options: ResolvedOptions;
  private readonly fs: WriterFileSystem;
  private readonly templates = new Map<string, ScalarTemplate>();
  /** The tag of the previous `addScalar` call and its template: a loop logging one tag skips the Map. */
  private lastTag: string | undefined;
  private lastTemplate: ScalarTemplate | undefined;
  private readonly children = new Map<string, SummaryWriter>();

  private fd: number | undefined;
  private failure: EventFileWriteError | undefined;
  private closed = false;
  private closePromise: Promise<void> | undefined;

  // Chunks are allocated uninitialized (Buffer.allocUnsafeSlow: no zero-fill); only the bytes
  // records were written to are ever handed to a write.
  private chunk: Uint8Array = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private chunkView = new DataView(this.chunk.buffer, this.chunk.byteOffset, this.chunk.byteLength);
  private chunkPos = 0;
  private sealedPos = 0;
  private pending: Uint8Array[] = [];
  /** Records and bytes not yet handed to a write (sealed or not), and how many of them are sealed. */
  private queuedRecords = 0;
  private queuedBytes = 0;
  private sealedRecords = 0;
  private sealedBytes = 0;
  private inFlight: Flight | undefined;
  private inFlightRecords = 0;
  private inFlightBytes = 0;
  /** Next file position to hand out, and the end of the contiguous prefix known to be written. */
  private fileOffset = 0;
  private writtenOffset = 0;
  private offsetWaiters: OffsetWaiter[] = [];
  private capacityWaiters: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private dropped = 0;
  private readonly halfQueueRecords: number;
  private readonly halfQueueBytes: number;
  private dropEpisodeReported = false;

  constructor(logdir: string, options?: SummaryWriterOptions) {
    this.options = resolveOptions(logdir, options);
    this.fs = this.options.fileSystem;
    this.logdir = logdir;
    this.halfQueueRecords = this.options.maxQueue >>> 1;
    this.halfQueueBytes = Math.floor(this.options.maxQueueBytes / 2);
    const nowMs = this.options.nowMs();
    let index = this.options.fileIndex ?? nextFileIndex++;
    const name = (i: number) =>
      `events.out.tfevents.${String(Math.floor(nowMs / 1000)).padStart(10, '0')}.${this.options.hostname}.${this.options.pid}.${i}${this.options.filenameSuffix}`;
    this.path = join(logdir, name(index));
    this.appendPayload(encodeEvent({ wallTime: nowMs / 1000, step: 0, fileVersion: FILE_VERSION }));
    try {
      makeDirectories(this.fs, logdir);
    } catch (error) {
      this.fail('mkdir', logdir, error);
    }
    if (this.failure === undefined) {
      for (let attempt = 0; ; attempt++) {
        try {
          // 'wx': never clobber another writer's file; positional writes need a non-append descriptor.
          this.fd = this.fs.openSync(this.path, 'wx');
          break;
        } catch (error) {
          if ((error as { code?: unknown }).code === 'EEXIST' && attempt < 1000) {
            index = this.options.fileIndex === undefined ? nextFileIndex++ : index + 1;
            this.path = join(logdir, name(index));
            continue;
          }
          this.fail('open', this.path, error);
          break;
        }
      }
    }
    if (this.options.flushOnExit && this.failure === undefined) {
      writersToFlushOnExit.add(this);
      if (!exitHookInstalled) {
        process.on('exit', flushAllOnExit);
        exitHookInstalled = true;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Public state

  /** The write failure, once one happened (records added after it are dropped). */
  get error(): EventFileWriteError | undefined {
    return this.failure;
  }

  /** Records added but not yet confirmed written (queued plus in flight). */
  get pendingRecords(): number {
    return this.queuedRecords + this.inFlightRecords;
  }

  /** Records discarded because the queue was full (`onQueueFull: 'drop'`) or the writer had failed. */
  get droppedRecords(): number {
    return this.dropped;
  }

  /** True once `close()` was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  // ---------------------------------------------------------------------------------------------
  // add*

  /**
   * Queues one scalar. `value` is stored as float32 (`simple_value` or a DT_FLOAT tensor); NaN and
   * ±Infinity are stored as such. No system call unless the queue is full (see `onQueueFull`).
   */
  addScalar(tag: string, value: number, step: number, options?: AddOptions): void {
    let template = this.lastTemplate;
    const wallTime = options?.wallTime;
    if (
      template === undefined ||
      tag !== this.lastTag ||
      this.closed ||
      !isValidScalarCall(value, step, options, wallTime)
    ) {
      template = this.scalarTemplate(tag, value, step, options);
    }
    // Fast path of admit(): below half the queue and not failed.
    if (
      (this.queuedRecords + this.inFlightRecords >= this.halfQueueRecords ||
        this.queuedBytes + this.inFlightBytes >= this.halfQueueBytes ||
        this.failure !== undefined) &&
      !this.admit()
    ) {
      return;
    }
    let pos = this.chunkPos;
    if (pos + template.recordRoom > this.chunk.length) {
      this.newChunk(template.recordRoom);
      pos = 0;
    }
    const end = writeScalarRecordAt(
      this.chunk,
      this.chunkView,
      pos,
      template,
      wallTime ?? this.options.nowMs() / 1000,
      step,
      value,
    );
    this.chunkPos = end;
    this.queuedRecords++;
    this.queuedBytes += end - pos;
    if (this.timer === undefined) this.armTimer();
  }

  /**
   * `addScalar`'s checks when its fast test fails (closed writer, bad arguments, or a tag other than
   * the previous call's): throws the typed error, or returns the tag's template (built on first use)
   * and remembers it for the next call.
   */
  private scalarTemplate(
    tag: string,
    value: number,
    step: number,
    options: AddOptions | undefined,
  ): ScalarTemplate {
    if (this.closed) throw this.closedError('addScalar');
    let template = this.templates.get(tag);
    if (template === undefined || !isValidScalarCall(value, step, options, options?.wallTime)) {
      const issues = new IssueCollector('SummaryWriter.addScalar');
      checkTag(issues, tag);
      if (typeof value !== 'number') issues.add('value', 'a number', value);
      checkStep(issues, step);
      checkAddOptions(issues, options);
      issues.throwIfAny();
      if (template === undefined) {
        template = buildScalarTemplate(encodeUtf8(tag), this.options.scalarEncoding);
        this.templates.set(tag, template);
      }
    }
    this.lastTag = tag;
    this.lastTemplate = template;
    return template;
  }

  /**
   * One scalar per name under the same `mainTag`, each in its own sub-run
   * `<logdir>/<mainTag with "/" replaced by "_">_<name>`, as tensorboardX and torch do, so
   * TensorBoard draws them in one chart.
   */
  addScalars(
    mainTag: string,
    values: Readonly<Record<string, number>>,
    step: number,
    options?: AddOptions,
  ): void {
    if (this.closed) throw this.closedError('addScalars');
    const issues = new IssueCollector('SummaryWriter.addScalars');
    checkTag(issues, mainTag, 'mainTag');
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      issues.add('values', 'an object mapping sub-run names to numbers', values);
    } else {
      const names = Object.keys(values);
      if (names.length === 0) issues.add('values', 'at least one name', values);
      for (const name of names) {
        if (name.length === 0 || /[/\\]/.test(name) || name === '.' || name === '..') {
          issues.add(`values[${JSON.stringify(name)}]`, 'keyed by a name without path separators', name);
        }
        if (typeof values[name] !== 'number')
          issues.add(`values[${JSON.stringify(name)}]`, 'a number', values[name]);
      }
    }
    checkStep(issues, step);
    checkAddOptions(issues, options);
    issues.throwIfAny();
    const wallTime = options?.wallTime ?? this.options.nowMs() / 1000;
    const prefix = mainTag.replaceAll('/', '_');
    for (const [name, value] of Object.entries(values)) {
      this.child(`${prefix}_${name}`).addScalar(mainTag, value, step, { wallTime });
    }
  }

  /**
   * A histogram from raw values (bucketed with TensorBoard's default limits, like tensorboardX) or
   * from precomputed `{ min, max, num, sum, sumSquares, bucketLimits, buckets }`; written as a
   * classic `HistogramProto`.
   */
  addHistogram(tag: string, values: HistogramInput, step: number, options?: AddOptions): void {
    if (this.closed) throw this.closedError('addHistogram');
    const issues = new IssueCollector('SummaryWriter.addHistogram');
    checkTag(issues, tag);
    checkStep(issues, step);
    checkAddOptions(issues, options);
    let histogram: HistogramFields | undefined;
    if (isHistogramFields(values)) {
      const h = values as unknown as Record<string, unknown>;
      for (const key of ['min', 'max', 'num', 'sum', 'sumSquares']) {
        if (typeof h[key] !== 'number' || !Number.isFinite(h[key]))
          issues.add(`values.${key}`, 'a finite number', h[key]);
      }
      const limits = h.bucketLimits;
      const buckets = h.buckets;
      const isNumberArray = (array: unknown): array is number[] =>
        Array.isArray(array) && array.every((x) => typeof x === 'number' && !Number.isNaN(x));
      if (!isNumberArray(limits) || limits.length === 0) {
        issues.add('values.bucketLimits', 'a non-empty array of numbers (right bucket edges)', limits);
      } else if (limits.some((limit, i) => i > 0 && !(limit > limits[i - 1]!))) {
        issues.add('values.bucketLimits', 'strictly increasing', limits);
      }
      if (!isNumberArray(buckets) || buckets.some((count) => !(count >= 0 && Number.isFinite(count)))) {
        issues.add('values.buckets', 'an array of finite counts >= 0', buckets);
      } else if (Array.isArray(limits) && buckets.length !== limits.length) {
        issues.add('values.buckets', `one count per bucket limit (${limits.length})`, buckets.length);
      }
      if (issues.issues.length === 0) histogram = values;
    } else if (
      typeof values !== 'object' ||
      values === null ||
      typeof (values as ArrayLike<number>).length !== 'number' ||
      typeof values === 'string'
    ) {
      issues.add(
        'values',
        'an array of numbers or { min, max, num, sum, sumSquares, bucketLimits, buckets }',
        values,
      );
    } else {
      const array = values as ArrayLike<number>;
      if (array.length === 0)
        issues.add('values', 'a non-empty array (an empty histogram has no range)', values);
      for (let i = 0; i < array.length; i++) {
        const value = array[i];
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          issues.add(`values[${i}]`, 'a finite number (histograms cannot bucket NaN or ±Infinity)', value);
          break;
        }
      }
      if (issues.issues.length === 0) histogram = histogramFromValues(array);
    }
    issues.throwIfAny();
    this.addSummary(encodeHistogramSummary(tag, histogram!), step, options?.wallTime);
  }

  /** Markdown text, as TF2's `tf.summary.text`: a rank-0 DT_STRING tensor with `text` plugin metadata under `tag`. */
  addText(tag: string, text: string, step: number, options?: AddOptions): void {
    if (this.closed) throw this.closedError('addText');
    const issues = new IssueCollector('SummaryWriter.addText');
    checkTag(issues, tag);
    if (typeof text !== 'string') issues.add('text', 'a string', text);
    checkStep(issues, step);
    checkAddOptions(issues, options);
    issues.throwIfAny();
    this.addSummary(encodeTextSummary(tag, text), step, options?.wallTime);
  }

  /**
   * Hyperparameters for TensorBoard's HParams dashboard, encoded as torch's `hparams()`: the
   * `_hparams_/experiment`, `_hparams_/session_start_info` and `_hparams_/session_end_info`
   * metadata-only values (status SUCCESS), then one scalar per metric (`tag = metric name`).
   * Written into this run (as Lightning does) or into `<logdir>/<runName>` (as torch's `add_hparams`).
   */
  addHparams(
    hparams: Readonly<Record<string, HParamValue>>,
    metrics: Readonly<Record<string, number>>,
    options?: HParamsOptions,
  ): void {
    if (this.closed) throw this.closedError('addHparams');
    const issues = new IssueCollector('SummaryWriter.addHparams');
    const isRecord = (value: unknown): value is Record<string, unknown> =>
      typeof value === 'object' && value !== null && !Array.isArray(value);
    const isHParamValue = (value: unknown): value is HParamValue =>
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value));
    if (!isRecord(hparams))
      issues.add('hparams', 'an object mapping names to numbers, strings or booleans', hparams);
    else {
      if (Object.keys(hparams).length === 0) issues.add('hparams', 'at least one hyperparameter', hparams);
      for (const [name, value] of Object.entries(hparams)) {
        if (name.length === 0) issues.add('hparams[""]', 'keyed by a non-empty name', name);
        if (!isHParamValue(value))
          issues.add(`hparams.${name}`, 'a finite number, a string or a boolean', value);
      }
    }
    if (!isRecord(metrics)) issues.add('metrics', 'an object mapping metric tags to numbers', metrics);
    else {
      for (const [name, value] of Object.entries(metrics)) {
        if (name.length === 0) issues.add('metrics[""]', 'keyed by a non-empty tag', name);
        if (typeof value !== 'number') issues.add(`metrics.${name}`, 'a number', value);
      }
    }
    if (options !== undefined && !isRecord(options))
      issues.add('options', 'an options object or undefined', options);
    const o = (isRecord(options) ? options : {}) as HParamsOptions;
    if (
      o.runName !== undefined &&
      (typeof o.runName !== 'string' || o.runName.length === 0 || o.runName.split(/[/\\]/).includes('..'))
    ) {
      issues.add('options.runName', 'a non-empty relative directory name without ".."', o.runName);
    }
    if (o.step !== undefined) checkStep(issues, o.step, 'options.step');
    checkAddOptions(issues, { wallTime: o.wallTime });
    const domains = o.hparamDomainDiscrete ?? {};
    if (!isRecord(domains)) issues.add('options.hparamDomainDiscrete', 'an object of arrays', domains);
    else {
      for (const [name, domain] of Object.entries(domains)) {
        const value = isRecord(hparams) ? hparams[name] : undefined;
        if (value === undefined)
          issues.add(`options.hparamDomainDiscrete.${name}`, 'the name of a given hparam', name);
        else if (
          !Array.isArray(domain) ||
          domain.length === 0 ||
          !domain.every((d) => typeof d === typeof value && isHParamValue(d))
        ) {
          issues.add(
            `options.hparamDomainDiscrete.${name}`,
            `a non-empty array of ${typeof value} values like the hparam`,
            domain,
          );
        }
      }
    }
    issues.throwIfAny();
    const target = o.runName === undefined ? this : this.child(o.runName);
    const step = o.step ?? 0;
    const wallTime = o.wallTime ?? this.options.nowMs() / 1000;
    const summaries = encodeHParamsSummaries(hparams, Object.keys(metrics), domains);
    target.addSummary(summaries.experiment, step, wallTime);
    target.addSummary(summaries.sessionStart, step, wallTime);
    target.addSummary(summaries.sessionEnd, step, wallTime);
    for (const [name, value] of Object.entries(metrics)) target.addScalar(name, value, step, { wallTime });
  }

  // ---------------------------------------------------------------------------------------------
  // flush / capacity / close

  /**
   * Resolves once every record added before the call is written to the file (handed to the OS;
   * also fsync-ed with `fsync: true`), in this writer and its sub-run writers. Rejects with the
   * `EventFileWriteError` if writing failed. Never leaves an unhandled rejection when not awaited.
   */
  flush(): Promise<void> {
    const promise = this.closePromise ?? this.flushAll();
    promise.catch(() => {});
    return promise;
  }

  /**
   * Resolves when fewer than `maxQueue` records (and `maxQueueBytes` bytes) wait for the disk, or
   * once the writer failed or closed. A training loop that awaits it between steps never hits
   * `onQueueFull`.
   */
  waitForCapacity(): Promise<void> {
    if (!this.isFull() || this.failure !== undefined || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.capacityWaiters.push(resolve);
      this.seal();
      this.pump();
    });
  }

  /**
   * Flushes, closes the file and releases it, for this writer and its sub-run writers. Later `add*`
   * calls throw `WriterClosedError`. Rejects with the first write failure. Idempotent.
   */
  close(): Promise<void> {
    if (this.closePromise === undefined) {
      this.closed = true;
      this.closePromise = this.closeInternal();
      this.closePromise.catch(() => {});
    }
    return this.closePromise;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ---------------------------------------------------------------------------------------------
  // internals

  private closedError(method: string): WriterClosedError {
    return new WriterClosedError(
      `SummaryWriter.${method}: the writer for ${JSON.stringify(this.logdir)} is closed; create a new SummaryWriter to write more.`,
    );
  }

  private child(subdirectory: string): SummaryWriter {
    let child = this.children.get(subdirectory);
    if (child === undefined) {
      const { fileIndex: _ignored, ...inherited } = this.options;
      child = new SummaryWriter(join(this.logdir, subdirectory), inherited);
      this.children.set(subdirectory, child);
    }
    return child;
  }

  private isFull(): boolean {
    return (
      this.queuedRecords + this.inFlightRecords >= this.options.maxQueue ||
      this.queuedBytes + this.inFlightBytes >= this.options.maxQueueBytes
    );
  }

  /** Decides whether one more record may be queued; past half the queue starts a write; applies `onQueueFull`. */
  private admit(): boolean {
    if (this.failure !== undefined) {
      this.dropped++;
      return false;
    }
    if (
      this.queuedRecords + this.inFlightRecords < this.halfQueueRecords &&
      this.queuedBytes + this.inFlightBytes < this.halfQueueBytes
    ) {
      return true;
    }
    if (this.inFlight === undefined) {
      this.seal();
      this.pump();
    }
    if (!this.isFull()) return true;
    if (this.options.onQueueFull === 'drop') {
      this.dropped++;
      if (!this.dropEpisodeReported) {
        this.dropEpisodeReported = true;
        this.report(new QueueFullError(this.options.maxQueue));
      }
      return false;
    }
    this.drainSync();
    return this.failure === undefined;
  }

  private addSummary(summary: Uint8Array, step: number, wallTime: number | undefined): void {
    if (!this.admit()) return;
    this.appendPayload(encodeEvent({ wallTime: wallTime ?? this.options.nowMs() / 1000, step, summary }));
  }

  private appendPayload(payload: Uint8Array): void {
    const size = payload.length + RECORD_OVERHEAD;
    if (this.chunkPos + size > this.chunk.length) this.newChunk(size);
    this.chunkPos = writeRecordAt(this.chunk, this.chunkView, this.chunkPos, payload);
    this.queuedRecords++;
    this.queuedBytes += size;
    if (this.timer === undefined && this.failure === undefined && !this.closed) this.armTimer();
  }

  private newChunk(minimumBytes: number): void {
    this.seal();
    this.chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, minimumBytes));
    this.chunkView = new DataView(this.chunk.buffer, this.chunk.byteOffset, this.chunk.byteLength);
    this.chunkPos = 0;
    this.sealedPos = 0;
    this.pump();
  }

  /** Moves every queued record into `pending` (the unsealed tail of the chunk becomes one more buffer). */
  private seal(): void {
    if (this.chunkPos > this.sealedPos) {
      this.pending.push(this.chunk.subarray(this.sealedPos, this.chunkPos));
      this.sealedPos = this.chunkPos;
    }
    this.sealedRecords = this.queuedRecords;
    this.sealedBytes = this.queuedBytes;
  }

  private armTimer(): void {
    const timer = setTimeout(() => {
      this.timer = undefined;
      this.seal();
      this.pump();
    }, this.options.flushIntervalMs);
    timer.unref?.();
    this.timer = timer;
  }

  /** Starts one asynchronous write of every sealed chunk, unless one is in flight. */
  private pump(): void {
    if (this.inFlight !== undefined || this.failure !== undefined || this.fd === undefined) return;
    if (this.pending.length === 0) return;
    const buffers = this.pending;
    const bytes = this.sealedBytes;
    this.pending = [];
    const position = this.fileOffset;
    this.fileOffset += bytes;
    this.inFlightRecords = this.sealedRecords;
    this.inFlightBytes = bytes;
    this.queuedRecords -= this.sealedRecords;
    this.queuedBytes -= bytes;
    this.sealedRecords = 0;
    this.sealedBytes = 0;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const flight: Flight = { buffers, position, end: position + bytes, superseded: false, done };
    this.inFlight = flight;
    const fd = this.fd;
    this.writeAsync(fd, buffers, position, (error) => {
      this.inFlight = undefined;
      finish();
      if (error !== null) {
        this.fail('write', this.path, error);
        return;
      }
      if (!flight.superseded) {
        this.inFlightRecords = 0;
        this.inFlightBytes = 0;
      }
      if (flight.end > this.writtenOffset) this.writtenOffset = flight.end;
      this.settleWaiters();
      this.pump();
    });
  }

  /** `writev` until every byte is written (regular files may accept a write partially). */
  private writeAsync(
    fd: number,
    buffers: readonly Uint8Array[],
    position: number,
    callback: (error: NodeJS.ErrnoException | Error | null) => void,
  ): void {
    let total = 0;
    for (const buffer of buffers) total += buffer.length;
    const step = (remaining: readonly Uint8Array[], at: number, left: number): void => {
      try {
        this.fs.writev(fd, remaining, at, (error, written) => {
          if (error !== null) return callback(error);
          if (written >= left) return callback(null);
          if (written <= 0) return callback(new Error(`writev wrote ${written} of ${left} bytes`));
          step(skipBytes(remaining, written), at + written, left - written);
        });
      } catch (error) {
        callback(error as Error);
      }
    };
    step(buffers, position, total);
  }

  private writeSyncAll(fd: number, buffers: readonly Uint8Array[], position: number): void {
    let left = 0;
    for (const buffer of buffers) left += buffer.length;
    let remaining = buffers;
    while (left > 0) {
      const written = this.fs.writevSync(fd, remaining, position);
      if (written <= 0) throw new Error(`writev wrote ${written} of ${left} bytes`);
      left -= written;
      position += written;
      if (left > 0) remaining = skipBytes(remaining, written);
    }
  }

  /**
   * Writes everything queued synchronously (the in-flight region is written again first, at the same
   * position with the same bytes, so the file stays a prefix of the stream). Used when the queue is
   * full under `onQueueFull: 'block'`, and by the process 'exit' hook.
   */
  [drainSyncSymbol](): void {
    this.drainSync();
  }

  private drainSync(): void {
    if (this.failure !== undefined || this.fd === undefined) return;
    this.seal();
    try {
      const flight = this.inFlight;
      if (flight !== undefined && !flight.superseded) {
        this.writeSyncAll(this.fd, flight.buffers, flight.position);
        flight.superseded = true;
        this.inFlightRecords = 0;
        this.inFlightBytes = 0;
        if (flight.end > this.writtenOffset) this.writtenOffset = flight.end;
      }
      if (this.pending.length > 0) {
        const buffers = this.pending;
        const bytes = this.sealedBytes;
        this.pending = [];
        this.writeSyncAll(this.fd, buffers, this.fileOffset);
        this.fileOffset += bytes;
        this.writtenOffset = this.fileOffset;
      }
      this.queuedRecords = 0;
      this.queuedBytes = 0;
      this.sealedRecords = 0;
      this.sealedBytes = 0;
    } catch (error) {
      this.fail('write', this.path, error);
      return;
    }
    this.settleWaiters();
  }

  private settleWaiters(): void {
    if (this.offsetWaiters.length > 0) {
      const still: OffsetWaiter[] = [];
      for (const waiter of this.offsetWaiters) {
        if (this.writtenOffset >= waiter.target) waiter.resolve();
        else still.push(waiter);
      }
      this.offsetWaiters = still;
    }
    if (!this.isFull()) {
      this.dropEpisodeReported = false;
      const waiters = this.capacityWaiters;
      this.capacityWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private fail(operation: string, path: string, cause: unknown): void {
    if (this.failure !== undefined) return;
    const failure = new EventFileWriteError(operation, path, cause);
    this.failure = failure;
    this.dropped += this.queuedRecords + this.inFlightRecords;
    this.pending = [];
    this.queuedRecords = 0;
    this.queuedBytes = 0;
    this.sealedRecords = 0;
    this.sealedBytes = 0;
    this.inFlightRecords = 0;
    this.inFlightBytes = 0;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    writersToFlushOnExit.delete(this);
    const waiters = this.offsetWaiters;
    this.offsetWaiters = [];
    for (const waiter of waiters) waiter.reject(failure);
    const capacity = this.capacityWaiters;
    this.capacityWaiters = [];
    for (const resolve of capacity) resolve();
    this.report(failure);
  }

  private report(error: TensorBoardLoggerError): void {
    const onError = this.options.onError;
    if (onError !== undefined) queueMicrotask(() => onError(error));
  }

  /** Flushes this writer's own queue. */
  private flushOwn(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.seal();
    const target = this.fileOffset + this.sealedBytes;
    let flushed: Promise<void>;
    if (this.writtenOffset >= target) flushed = Promise.resolve();
    else {
      flushed = new Promise<void>((resolve, reject) => {
        this.offsetWaiters.push({ target, resolve, reject });
      });
      this.pump();
    }
    if (!this.options.fsync) return flushed;
    return flushed.then(() => this.fsyncFile());
  }

  private fsyncFile(): Promise<void> {
    const fd = this.fd;
    if (fd === undefined) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.fs.fsync(fd, (error) => {
        if (error === null) resolve();
        else {
          this.fail('fsync', this.path, error);
          reject(this.failure);
        }
      });
    });
  }

  private async flushAll(): Promise<void> {
    const results = await Promise.allSettled([
      this.flushOwn(),
      ...[...this.children.values()].map((c) => c.flush()),
    ]);
    const rejected = results.find((result) => result.status === 'rejected');
    if (rejected !== undefined) throw (rejected as PromiseRejectedResult).reason;
  }

  private async closeInternal(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const results = await Promise.allSettled([
      this.flushOwn(),
      ...[...this.children.values()].map((child) => child.close()),
    ]);
    // A write superseded by a synchronous rewrite may still be running: wait before releasing the fd.
    while (this.inFlight !== undefined) await this.inFlight.done;
    writersToFlushOnExit.delete(this);
    const fd = this.fd;
    this.fd = undefined;
    let closeError: EventFileWriteError | undefined;
    if (fd !== undefined) {
      await new Promise<void>((resolve) => {
        this.fs.close(fd, (error) => {
          if (error !== null) closeError = new EventFileWriteError('close', this.path, error);
          resolve();
        });
      });
    }
    const capacity = this.capacityWaiters;
    this.capacityWaiters = [];
    for (const resolve of capacity) resolve();
    const rejected = results.find((result) => result.status === 'rejected');
    if (rejected !== undefined) throw (rejected as PromiseRejectedResult).reason;
    if (closeError !== undefined) {
      this.report(closeError);
      throw closeError;
    }
  }
}

/**
 * `mkdir -p` one level at a time. (Node's own `recursive: true` loops forever on paths such as
 * `/proc/x/y`, where mkdir answers ENOENT although the parent exists.)
 */
function makeDirectories(fs: WriterFileSystem, directory: string): void {
  try {
    fs.mkdirSync(directory);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EEXIST') return;
    const parent = dirname(directory);
    if (code !== 'ENOENT' || parent === directory) throw error;
    makeDirectories(fs, parent);
    try {
      fs.mkdirSync(directory);
    } catch (retryError) {
      if ((retryError as { code?: unknown }).code !== 'EEXIST') throw retryError;
    }
  }
}

/** Drops the first `count` bytes from a list of buffers (views, no copy). */
function skipBytes(buffers: readonly Uint8Array[], count: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const buffer of buffers) {
    if (count >= buffer.length) {
      count -= buffer.length;
      continue;
    }
    out.push(count > 0 ? buffer.subarray(count) : buffer);
    count = 0;
  }
  return out;
}
