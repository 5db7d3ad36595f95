/**
 * The event file: its name, its directory, opening it exclusively, positional writes (one
 * asynchronous write at a time, or synchronous ones), fsync and close, through a `WriterFileSystem`
 * (`node:fs` in Node, a byte sink in the browser: `byte-sink.ts`) and the `WriterPlatform`. Every
 * failure becomes an `EventFileWriteError` naming the operation and the path; what to do about it
 * is the caller's.
 */

import { EventFileWriteError } from './errors';
import type { WriterPlatform } from './writer-platform';

/** The file operations the writer uses. `node:fs` satisfies it; tests inject failing ones. */
export interface WriterFileSystem {
  /** Creates one directory (not recursive; the writer walks up itself). */
  mkdirSync(path: string): unknown;
  openSync(path: string, flags: string): number;
  writev(
    fd: number,
    buffers: readonly Uint8Array[],
    position: number,
    callback: (error: Error | null, bytesWritten: number) => void,
  ): void;
  writevSync(fd: number, buffers: readonly Uint8Array[], position: number): number;
  fsync(fd: number, callback: (error: Error | null) => void): void;
  close(fd: number, callback: (error: Error | null) => void): void;
}

/** What names an event file: `events.out.tfevents.<seconds>.<hostname>.<pid>.<n><suffix>`. */
export interface EventFileNaming {
  /** Creation time in milliseconds since the epoch (the name holds whole seconds). */
  readonly nowMs: number;
  readonly hostname: string;
  readonly pid: number;
  /** The `<n>`; `undefined` takes the next value of a process-wide counter, as TensorBoard's Python writer. */
  readonly fileIndex: number | undefined;
  readonly suffix: string;
}

let nextFileIndex = 0;

function eventFileName(naming: EventFileNaming, index: number): string {
  const seconds = String(Math.floor(naming.nowMs / 1000)).padStart(10, '0');
  return `events.out.tfevents.${seconds}.${naming.hostname}.${naming.pid}.${index}${naming.suffix}`;
}

/** One asynchronous write: the bytes handed to the OS at `position`, until it completes. */
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

/**
 * Appends byte buffers to one event file at increasing positions, so that the file on disk is
 * always a prefix of what was handed to it. Not open until {@link open} succeeded.
 */
export class EventFileSink {
  /** Path of the file (settled by {@link open}: a taken name moves on to the next index). */
  path: string;
  private fd: number | undefined;
  private flight: Flight | undefined;
  /** Next file position to hand out, and the end of the contiguous prefix known to be written. */
  private fileOffset = 0;
  private writtenOffset = 0;
  private offsetWaiters: OffsetWaiter[] = [];
  private index: number;
  private exitDrain: (() => void) | undefined;

  constructor(
    private readonly platform: WriterPlatform,
    private readonly fs: WriterFileSystem,
    private readonly logdir: string,
    private readonly naming: EventFileNaming,
  ) {
    this.index = naming.fileIndex ?? nextFileIndex++;
    this.path = platform.join(logdir, eventFileName(naming, this.index));
  }

  /** True while the file is open (from a successful {@link open} to {@link close}). */
  get isOpen(): boolean {
    return this.fd !== undefined;
  }

  /** True while an asynchronous write is running. */
  get isWriting(): boolean {
    return this.flight !== undefined;
  }

  /** Position in the file where the next buffers handed to the sink will go. */
  get nextOffset(): number {
    return this.fileOffset;
  }

  /**
   * End of the contiguous prefix of the file known to be written, including what a failed write
   * wrote before it failed (so the records before it are in the file, a record across it is cut).
   */
  get writtenEnd(): number {
    return this.writtenOffset;
  }

  /**
   * Memory for bytes that will be written to the file: possibly uninitialized (in Node
   * `Buffer.allocUnsafeSlow`, no zero-fill), so only the bytes written into it may ever be handed to a write.
   */
  allocate(bytes: number): Uint8Array {
    return this.platform.allocate(bytes);
  }

  /**
   * Runs `drain` when the process exits normally (the event loop empties, or `process.exit()`), to
   * write synchronously what is still queued; until {@link cancelDrainOnExit}.
   */
  drainOnExit(drain: () => void): void {
    if (this.platform.drainOnExit === undefined) return;
    this.exitDrain = drain;
    this.platform.drainOnExit(drain);
  }

  cancelDrainOnExit(): void {
    if (this.exitDrain === undefined) return;
    this.platform.cancelDrainOnExit?.(this.exitDrain);
    this.exitDrain = undefined;
  }

  /** Creates the directory and the file; returns the failure, if any (the sink then stays closed). */
  open(): EventFileWriteError | undefined {
    try {
      makeDirectories(this.fs, this.platform.dirname, this.logdir);
    } catch (error) {
      return new EventFileWriteError('mkdir', this.logdir, error);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        // 'wx': never clobber another writer's file; positional writes need a non-append descriptor.
        this.fd = this.fs.openSync(this.path, 'wx');
        return undefined;
      } catch (error) {
        if ((error as { code?: unknown }).code === 'EEXIST' && attempt < 1000) {
          this.index = this.naming.fileIndex === undefined ? nextFileIndex++ : this.index + 1;
          this.path = this.platform.join(this.logdir, eventFileName(this.naming, this.index));
          continue;
        }
        return new EventFileWriteError('open', this.path, error);
      }
    }
  }

  /**
   * Starts writing `buffers` (`bytes` in all) at the next offset; one write at a time (the caller
   * waits for `done` before the next). `done` receives the failure, if any; what the write wrote
   * before failing is in {@link writtenEnd}.
   */
  writeAsync(
    buffers: readonly Uint8Array[],
    bytes: number,
    done: (failure: EventFileWriteError | undefined) => void,
  ): void {
    const position = this.fileOffset;
    this.fileOffset += bytes;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const flight: Flight = { buffers, position, end: position + bytes, superseded: false, done: finished };
    this.flight = flight;
    writeAll(this.fs, this.fd!, buffers, position, (error, written) => {
      this.flight = undefined;
      finish();
      if (error !== null) {
        this.wrotePartially(position, written);
        done(new EventFileWriteError('write', this.path, error));
        return;
      }
      if (flight.end > this.writtenOffset) this.writtenOffset = flight.end;
      done(undefined);
    });
  }

  /**
   * Writes the region of the running asynchronous write again, synchronously, at the same position
   * with the same bytes (so the file stays a prefix of the stream whatever the OS does with the
   * first write); returns whether there was one to rewrite. Throws `EventFileWriteError`.
   */
  rewriteInFlightSync(): boolean {
    const flight = this.flight;
    if (flight === undefined || flight.superseded) return false;
    this.writeSync(flight.buffers, flight.position);
    flight.superseded = true;
    if (flight.end > this.writtenOffset) this.writtenOffset = flight.end;
    return true;
  }

  /** Writes `buffers` (`bytes` in all) at the next offset, synchronously. Throws `EventFileWriteError`. */
  appendSync(buffers: readonly Uint8Array[], bytes: number): void {
    this.writeSync(buffers, this.fileOffset);
    this.fileOffset += bytes;
    this.writtenOffset = this.fileOffset;
  }

  private writeSync(buffers: readonly Uint8Array[], position: number): void {
    const progress = { written: 0 };
    try {
      writeAllSync(this.fs, this.fd!, buffers, position, progress);
    } catch (error) {
      this.wrotePartially(position, progress.written);
      throw new EventFileWriteError('write', this.path, error);
    }
  }

  /** A write at `position` failed after `written` bytes: they extend the written prefix if they continue it. */
  private wrotePartially(position: number, written: number): void {
    if (position <= this.writtenOffset && position + written > this.writtenOffset) {
      this.writtenOffset = position + written;
    }
  }

  /** True once every byte before `offset` is written. */
  hasWritten(offset: number): boolean {
    return this.writtenOffset >= offset;
  }

  /** Resolves once every byte before `offset` is written ({@link settleWaiters}), or rejects with the failure. */
  whenWritten(offset: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.offsetWaiters.push({ target: offset, resolve, reject });
    });
  }

  /** Resolves the {@link whenWritten} promises whose offset is written now. */
  settleWaiters(): void {
    if (this.offsetWaiters.length === 0) return;
    const still: OffsetWaiter[] = [];
    for (const waiter of this.offsetWaiters) {
      if (this.writtenOffset >= waiter.target) waiter.resolve();
      else still.push(waiter);
    }
    this.offsetWaiters = still;
  }

  /** Rejects every pending {@link whenWritten} promise with `failure`. */
  rejectWaiters(failure: EventFileWriteError): void {
    const waiters = this.offsetWaiters;
    this.offsetWaiters = [];
    for (const waiter of waiters) waiter.reject(failure);
  }

  /** `fsync` of the file (nothing when it is not open); `done` receives the failure, if any. */
  fsync(done: (failure: EventFileWriteError | undefined) => void): void {
    const fd = this.fd;
    if (fd === undefined) {
      done(undefined);
      return;
    }
    this.fs.fsync(fd, (error) => {
      done(error === null ? undefined : new EventFileWriteError('fsync', this.path, error));
    });
  }

  /** Waits for the running asynchronous write, superseded ones included, to complete. */
  async settleWrites(): Promise<void> {
    while (this.flight !== undefined) await this.flight.done;
  }

  /** Closes the file (call {@link settleWrites} first); resolves to the failure, if any. */
  async close(): Promise<EventFileWriteError | undefined> {
    const fd = this.fd;
    this.fd = undefined;
    if (fd === undefined) return undefined;
    return new Promise((resolve) => {
      this.fs.close(fd, (error) => {
        resolve(error === null ? undefined : new EventFileWriteError('close', this.path, error));
      });
    });
  }
}

/**
 * `mkdir -p` one level at a time. (Node's own `recursive: true` loops forever on paths such as
 * `/proc/x/y`, where mkdir answers ENOENT although the parent exists.)
 */
function makeDirectories(fs: WriterFileSystem, dirname: (path: string) => string, directory: string): void {
  try {
    fs.mkdirSync(directory);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EEXIST') return;
    const parent = dirname(directory);
    if (code !== 'ENOENT' || parent === directory) throw error;
    makeDirectories(fs, dirname, parent);
    try {
      fs.mkdirSync(directory);
    } catch (retryError) {
      if ((retryError as { code?: unknown }).code !== 'EEXIST') throw retryError;
    }
  }
}

/**
 * `writev` until every byte is written (regular files may accept a write partially, a disk that
 * fills up does so before it fails); `callback` receives the failure and the bytes written before it.
 */
function writeAll(
  fs: WriterFileSystem,
  fd: number,
  buffers: readonly Uint8Array[],
  position: number,
  callback: (error: Error | null, written: number) => void,
): void {
  let total = 0;
  for (const buffer of buffers) total += buffer.length;
  const step = (remaining: readonly Uint8Array[], at: number, left: number): void => {
    const before = total - left;
    try {
      fs.writev(fd, remaining, at, (error, written) => {
        if (error !== null) return callback(error, before);
        if (written >= left) return callback(null, total);
        if (written <= 0) return callback(new Error(`writev wrote ${written} of ${left} bytes`), before);
        step(skipBytes(remaining, written), at + written, left - written);
      });
    } catch (error) {
      callback(error as Error, before);
    }
  };
  step(buffers, position, total);
}

/** `writevSync` until every byte is written; `progress.written` counts the bytes written so far. */
function writeAllSync(
  fs: WriterFileSystem,
  fd: number,
  buffers: readonly Uint8Array[],
  position: number,
  progress: { written: number },
): void {
  let left = 0;
  for (const buffer of buffers) left += buffer.length;
  let remaining = buffers;
  while (left > 0) {
    const written = fs.writevSync(fd, remaining, position);
    if (written <= 0) throw new Error(`writev wrote ${written} of ${left} bytes`);
    progress.written += written;
    left -= written;
    position += written;
    if (left > 0) remaining = skipBytes(remaining, written);
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
