/**
 * `SummaryWriter`: tensorboardX-style API that appends TFRecord-framed `Event`s to
 * `<logdir>/events.out.tfevents.<seconds>.<host>.<pid>.<n>`.
 *
 * This module is the public API on any platform (`writer-platform.ts`; the Node entry's class is
 * `node-writer.ts`, the browser entry's `browser.ts`): argument checks (`writer-arguments.ts`), encoding, sub-run
 * writers, flush and close. Records go through the bounded `RecordQueue` (`record-queue.ts`: chunks,
 * back-pressure, flush timer) to the `EventFileSink` (`file-sink.ts`: file name, open, positional
 * writes, fsync, close); options and their defaults are `writer-options.ts`.
 */

import { encodeEvent, encodeHistogramSummary, encodeHParamsSummaries, encodeTextSummary } from './encode';
import { type EventFileWriteError, type TensorBoardLoggerError, WriterClosedError } from './errors';
import { EventFileSink } from './file-sink';
import type { HParamValue } from './proto-types';
import { encodeUtf8 } from './protobuf';
import { RecordQueue } from './record-queue';
import { buildScalarTemplate, type ScalarTemplate } from './scalar-record';
import { IssueCollector } from './validation';
import {
  type AddOptions,
  checkAddOptions,
  checkHparamsCall,
  checkScalarCall,
  checkScalarsValues,
  checkStep,
  checkTag,
  type HistogramInput,
  type HParamsOptions,
  histogramOfArgument,
  isValidScalarCall,
} from './writer-arguments';
import {
  type ResolvedWriterOptions,
  resolveWriterOptions,
  type SummaryWriterOptions,
} from './writer-options';
import type { WriterPlatform } from './writer-platform';

export type { WriterFileSystem } from './file-sink';
export type { AddOptions, HistogramInput, HParamsOptions } from './writer-arguments';
export type { QueueFullPolicy, SummaryWriterOptions } from './writer-options';

const FILE_VERSION = 'brain.Event:2';

/**
 * Writes TensorBoard event files. One instance owns one file in `logdir`; `addScalars` and
 * `addHparams({ runName })` open sibling writers in sub-runs, closed with this one.
 *
 * The whole writer, on any {@link WriterPlatform}: the Node entry's `SummaryWriter` writes files
 * with `node:fs`, the browser entry's hands the bytes to a sink. Both are this class.
 */
export class BaseSummaryWriter {
  /** The run directory. */
  readonly logdir: string;
  /** Path of the event file this writer appends to (`logdir` joined with the file name). */
  readonly path: string;

  private readonly options: ResolvedWriterOptions;
  private readonly queue: RecordQueue;
  private readonly templates = new Map<string, ScalarTemplate>();
  /** The tag of the previous `addScalar` call and its template: a loop logging one tag skips the Map. */
  private lastTag: string | undefined;
  private lastTemplate: ScalarTemplate | undefined;
  private readonly children = new Map<string, BaseSummaryWriter>();
  private closed = false;
  private closePromise: Promise<void> | undefined;

  constructor(
    logdir: string,
    options: SummaryWriterOptions | undefined,
    private readonly platform: WriterPlatform,
  ) {
    this.options = resolveWriterOptions(logdir, options, platform);
    this.logdir = logdir;
    const nowMs = this.options.nowMs();
    const sink = new EventFileSink(platform, this.options.fileSystem, logdir, {
      nowMs,
      hostname: this.options.hostname,
      pid: this.options.pid,
      fileIndex: this.options.fileIndex,
      suffix: this.options.filenameSuffix,
    });
    this.queue = new RecordQueue(this.options, sink, (error) => this.report(error));
    this.queue.appendPayload(encodeEvent({ wallTime: nowMs / 1000, step: 0, fileVersion: FILE_VERSION }));
    const failure = sink.open();
    this.path = sink.path;
    if (failure !== undefined) this.queue.fail(failure);
    else if (this.options.flushOnExit) this.queue.drainOnExit();
  }

  // ---------------------------------------------------------------------------------------------
  // Public state

  /** The write failure, once one happened (records added after it are dropped). */
  get error(): EventFileWriteError | undefined {
    return this.queue.failure;
  }

  /** Records added but not yet confirmed written (queued plus in flight). */
  get pendingRecords(): number {
    return this.queue.pendingRecords;
  }

  /** Records discarded because the queue was full (`onQueueFull: 'drop'`) or the writer had failed. */
  get droppedRecords(): number {
    return this.queue.dropped;
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
    const queue = this.queue;
    if (!queue.admit()) return;
    queue.appendScalar(template, wallTime ?? this.options.nowMs() / 1000, step, value);
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
      checkScalarCall(issues, tag, value, step, options);
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
    checkScalarsValues(issues, values);
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
    const histogram = histogramOfArgument(issues, values);
    issues.throwIfAny();
    this.addSummary(encodeHistogramSummary(tag, histogram!), step, options?.wallTime);
  }

  /** Markdown text, as TF2's `tf.summary.text`: a rank-0 DT_STRING tensor with `text` plugin metadata under `tag`. */
  addText(tag: string, text: string, step: number, options?: AddOptions): void {
    if (this.closed) throw this.closedError('addText');
    const issues = new IssueCollector('SummaryWriter.addText');
    checkTag(issues, tag);
    if (typeof text !== 'string') issues.add('text', 'a string', text);
    else issues.checkWellFormed('text', text);
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
    const { options: o, domains } = checkHparamsCall(issues, hparams, metrics, options);
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
    if (this.closed) return Promise.resolve();
    return this.queue.waitForCapacity();
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

  private child(subdirectory: string): BaseSummaryWriter {
    let child = this.children.get(subdirectory);
    if (child === undefined) {
      const { fileIndex: _ignored, ...inherited } = this.options;
      child = new BaseSummaryWriter(this.platform.join(this.logdir, subdirectory), inherited, this.platform);
      this.children.set(subdirectory, child);
    }
    return child;
  }

  private addSummary(summary: Uint8Array, step: number, wallTime: number | undefined): void {
    if (!this.queue.admit()) return;
    this.queue.appendPayload(
      encodeEvent({ wallTime: wallTime ?? this.options.nowMs() / 1000, step, summary }),
    );
  }

  private report(error: TensorBoardLoggerError): void {
    const onError = this.options.onError;
    if (onError !== undefined) queueMicrotask(() => onError(error));
  }

  private async flushAll(): Promise<void> {
    const results = await Promise.allSettled([
      this.queue.flush(),
      ...[...this.children.values()].map((c) => c.flush()),
    ]);
    const rejected = results.find((result) => result.status === 'rejected');
    if (rejected !== undefined) throw (rejected as PromiseRejectedResult).reason;
  }

  private async closeInternal(): Promise<void> {
    this.queue.stopTimer();
    const results = await Promise.allSettled([
      this.queue.flush(),
      ...[...this.children.values()].map((child) => child.close()),
    ]);
    const closeError = await this.queue.close();
    const rejected = results.find((result) => result.status === 'rejected');
    if (rejected !== undefined) throw (rejected as PromiseRejectedResult).reason;
    if (closeError !== undefined) {
      this.report(closeError);
      throw closeError;
    }
  }
}
