/**
 * The bounded queue of records on their way to the event file.
 *
 * Every `add*` call encodes its record synchronously into an in-memory chunk (no system call).
 * Full 64 KiB chunks, the flush timer and `flush()` hand the chunks to the file sink, one
 * asynchronous positional write at a time, so the file on disk is always a prefix of the record
 * stream (a crash leaves at most a truncated tail). The records not yet written, queued plus in
 * flight, are bounded by `maxQueue` records and `maxQueueBytes` bytes; what happens when the queue
 * is full is `onQueueFull`. The first write failure ends the queue: the records that did not reach
 * the file (those of the failed write past the point where the disk refused more, what the queue
 * held, and every record offered after) are dropped and counted, so that `dropped` plus the
 * complete records in the file is every record added.
 */

import { type EventFileWriteError, QueueFullError, type TensorBoardLoggerError } from './errors';
import type { EventFileSink } from './file-sink';
import { countWholeRecords, RECORD_OVERHEAD, writeRecordAt } from './record-framing';
import { type ScalarTemplate, writeScalarRecordAt } from './scalar-record';
import type { ResolvedWriterOptions } from './writer-options';

const CHUNK_BYTES = 64 * 1024;

/** The writer options the queue follows. */
export type QueueSettings = Pick<
  ResolvedWriterOptions,
  'maxQueue' | 'maxQueueBytes' | 'flushIntervalMs' | 'onQueueFull' | 'fsync'
>;

export class RecordQueue {
  /** The first write failure; records offered after it are dropped. */
  failure: EventFileWriteError | undefined;
  /** Records discarded because the queue was full (`onQueueFull: 'drop'`) or writing had failed. */
  dropped = 0;

  // Chunks come from the sink uninitialized; only the bytes records were written to are ever
  // handed to a write.
  private chunk: Uint8Array;
  private chunkView: DataView;
  private chunkPos = 0;
  private sealedPos = 0;
  private pending: Uint8Array[] = [];
  /** Records and bytes not yet handed to a write (sealed or not), and how many of them are sealed. */
  private queuedRecords = 0;
  private queuedBytes = 0;
  private sealedRecords = 0;
  private sealedBytes = 0;
  /**
   * Records and bytes of the running write (0 once it is rewritten synchronously). After a failure
   * they stay until the write completes, which tells how many of them reached the file.
   */
  private inFlightRecords = 0;
  private inFlightBytes = 0;
  private readonly halfQueueRecords: number;
  private readonly halfQueueBytes: number;
  private capacityWaiters: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closing = false;
  private dropEpisodeReported = false;

  constructor(
    private readonly settings: QueueSettings,
    private readonly sink: EventFileSink,
    private readonly report: (error: TensorBoardLoggerError) => void,
  ) {
    this.halfQueueRecords = settings.maxQueue >>> 1;
    this.halfQueueBytes = Math.floor(settings.maxQueueBytes / 2);
    this.chunk = sink.allocate(CHUNK_BYTES);
    this.chunkView = new DataView(this.chunk.buffer, this.chunk.byteOffset, this.chunk.byteLength);
  }

  /** Records added but not yet confirmed written (queued plus in flight). */
  get pendingRecords(): number {
    return this.queuedRecords + this.inFlightRecords;
  }

  /** Writes what is queued synchronously when the process exits normally. */
  drainOnExit(): void {
    this.sink.drainOnExit(() => this.drainSync());
  }

  /**
   * Decides whether one more record may be queued. Below half the queue (the hot path) it just
   * says yes; past half it starts a write and applies `onQueueFull` if the queue is full.
   */
  admit(): boolean {
    if (
      this.queuedRecords + this.inFlightRecords < this.halfQueueRecords &&
      this.queuedBytes + this.inFlightBytes < this.halfQueueBytes &&
      this.failure === undefined
    ) {
      return true;
    }
    return this.admitPastHalf();
  }

  private admitPastHalf(): boolean {
    if (this.failure !== undefined) {
      this.dropped++;
      return false;
    }
    if (!this.sink.isWriting) {
      this.seal();
      this.pump();
    }
    if (!this.isFull()) return true;
    if (this.settings.onQueueFull === 'drop') {
      this.dropped++;
      if (!this.dropEpisodeReported) {
        this.dropEpisodeReported = true;
        this.report(new QueueFullError(this.settings.maxQueue));
      }
      return false;
    }
    this.drainSync();
    if (this.failure === undefined) return true;
    this.dropped++;
    return false;
  }

  /** Queues one scalar record (call {@link admit} first). No allocation, no system call but a full chunk's write. */
  appendScalar(template: ScalarTemplate, wallTime: number, step: number, value: number): void {
    let pos = this.chunkPos;
    if (pos + template.recordRoom > this.chunk.length) {
      this.newChunk(template.recordRoom);
      pos = 0;
    }
    const end = writeScalarRecordAt(this.chunk, this.chunkView, pos, template, wallTime, step, value);
    this.chunkPos = end;
    this.queuedRecords++;
    this.queuedBytes += end - pos;
    if (this.timer === undefined) this.armTimer();
  }

  /** Queues one record holding `payload` (a serialized `Event`; call {@link admit} first). */
  appendPayload(payload: Uint8Array): void {
    const size = payload.length + RECORD_OVERHEAD;
    if (this.chunkPos + size > this.chunk.length) this.newChunk(size);
    this.chunkPos = writeRecordAt(this.chunk, this.chunkView, this.chunkPos, payload);
    this.queuedRecords++;
    this.queuedBytes += size;
    if (this.timer === undefined) this.armTimer();
  }

  private isFull(): boolean {
    return (
      this.queuedRecords + this.inFlightRecords >= this.settings.maxQueue ||
      this.queuedBytes + this.inFlightBytes >= this.settings.maxQueueBytes
    );
  }

  /** Resolves when the queue is no longer full (see `SummaryWriter.waitForCapacity`). */
  waitForCapacity(): Promise<void> {
    if (!this.isFull() || this.failure !== undefined) return Promise.resolve();
    return new Promise((resolve) => {
      this.capacityWaiters.push(resolve);
      this.seal();
      this.pump();
    });
  }

  private newChunk(minimumBytes: number): void {
    this.seal();
    this.chunk = this.sink.allocate(Math.max(CHUNK_BYTES, minimumBytes));
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

  /** Queued records are written at the latest `flushIntervalMs` after the first of them was added. */
  private armTimer(): void {
    if (this.failure !== undefined || this.closing) return;
    const timer = setTimeout(() => {
      this.timer = undefined;
      this.seal();
      this.pump();
    }, this.settings.flushIntervalMs);
    timer.unref?.();
    this.timer = timer;
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /** Starts one asynchronous write of every sealed chunk, unless one is in flight. */
  private pump(): void {
    if (this.sink.isWriting || this.failure !== undefined || !this.sink.isOpen) return;
    if (this.pending.length === 0) return;
    const buffers = this.pending;
    const bytes = this.sealedBytes;
    const start = this.sink.nextOffset;
    this.pending = [];
    this.inFlightRecords = this.sealedRecords;
    this.inFlightBytes = bytes;
    this.queuedRecords -= this.sealedRecords;
    this.queuedBytes -= bytes;
    this.sealedRecords = 0;
    this.sealedBytes = 0;
    this.sink.writeAsync(buffers, bytes, (failure) => {
      // A write rewritten synchronously has no records left in flight; a failed one lost those
      // past the point where the file stops (a failed rewrite may have written more of them).
      if (failure !== undefined && this.inFlightRecords > 0) {
        this.dropped += this.inFlightRecords - countWholeRecords(buffers, this.sink.writtenEnd - start);
      }
      this.inFlightRecords = 0;
      this.inFlightBytes = 0;
      if (failure !== undefined) {
        this.fail(failure);
        return;
      }
      this.settleWaiters();
      this.pump();
    });
  }

  /**
   * Writes everything queued synchronously (the in-flight region is written again first, at the same
   * position with the same bytes, so the file stays a prefix of the stream). Used when the queue is
   * full under `onQueueFull: 'block'`, and by the process 'exit' hook.
   */
  drainSync(): void {
    if (this.failure !== undefined || !this.sink.isOpen) return;
    this.seal();
    try {
      if (this.sink.rewriteInFlightSync()) {
        this.inFlightRecords = 0;
        this.inFlightBytes = 0;
      }
    } catch (error) {
      // The running write's records are counted when it completes: its own bytes may still land.
      this.fail(error as EventFileWriteError);
      return;
    }
    if (this.pending.length > 0) {
      const buffers = this.pending;
      const start = this.sink.nextOffset;
      this.pending = [];
      try {
        this.sink.appendSync(buffers, this.sealedBytes);
      } catch (error) {
        // Every queued record is in `buffers`; those before the point where the write stopped are in the file.
        this.queuedRecords -= countWholeRecords(buffers, this.sink.writtenEnd - start);
        this.fail(error as EventFileWriteError);
        return;
      }
    }
    this.queuedRecords = 0;
    this.queuedBytes = 0;
    this.sealedRecords = 0;
    this.sealedBytes = 0;
    this.settleWaiters();
  }

  private settleWaiters(): void {
    this.sink.settleWaiters();
    if (!this.isFull()) {
      this.dropEpisodeReported = false;
      this.releaseCapacityWaiters();
    }
  }

  private releaseCapacityWaiters(): void {
    const waiters = this.capacityWaiters;
    this.capacityWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Ends the queue after a write failure: drops what it holds, rejects `flush()`, reports `failure`. */
  fail(failure: EventFileWriteError): void {
    if (this.failure !== undefined) return;
    this.failure = failure;
    // The records of a running write are counted when it completes (see pump).
    this.dropped += this.queuedRecords;
    this.pending = [];
    this.queuedRecords = 0;
    this.queuedBytes = 0;
    this.sealedRecords = 0;
    this.sealedBytes = 0;
    this.clearTimer();
    this.sink.cancelDrainOnExit();
    this.sink.rejectWaiters(failure);
    this.releaseCapacityWaiters();
    this.report(failure);
  }

  /** Resolves once every record queued before the call is written (and fsync-ed with `fsync: true`). */
  flush(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.seal();
    const target = this.sink.nextOffset + this.sealedBytes;
    let flushed: Promise<void>;
    if (this.sink.hasWritten(target)) flushed = Promise.resolve();
    else {
      flushed = this.sink.whenWritten(target);
      this.pump();
    }
    if (!this.settings.fsync) return flushed;
    return flushed.then(() => this.fsyncFile());
  }

  private fsyncFile(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.sink.fsync((failure) => {
        if (failure === undefined) resolve();
        else {
          this.fail(failure);
          reject(this.failure);
        }
      });
    });
  }

  /** Stops the flush timer: the queue is closing, `flush()` writes what is left. */
  stopTimer(): void {
    this.closing = true;
    this.clearTimer();
  }

  /**
   * Closes the file once the running write completed (call after the last {@link flush}); releases
   * `waitForCapacity` callers. Resolves to the close failure, if any.
   */
  async close(): Promise<EventFileWriteError | undefined> {
    // A write superseded by a synchronous rewrite may still be running: wait before releasing the fd.
    await this.sink.settleWrites();
    this.sink.cancelDrainOnExit();
    const closeError = await this.sink.close();
    this.releaseCapacityWaiters();
    return closeError;
  }
}
