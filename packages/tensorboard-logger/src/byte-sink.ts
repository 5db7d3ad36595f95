/**
 * Event files without a file system: the writer's file operations (`WriterFileSystem`) on top of an
 * {@link EventByteSink}, which receives each file's bytes in order, and {@link createMemorySink},
 * a sink that keeps them. Browser-safe: this is what the browser entry's `SummaryWriter` writes to.
 */

import type { WriterFileSystem } from './file-sink';

/**
 * Receives the bytes of the event files a writer produces. Each call to {@link write} carries the
 * next bytes of the file at `path` (appended to the previous ones, in order, never the same byte
 * twice), in a new `Uint8Array` the sink may keep or transfer.
 */
export interface EventByteSink {
  /**
   * The next bytes of the event file `path` (`<logdir>/<file name>`, with `/` separators). A
   * returned promise is waited on before the writer's next asynchronous write, by `flush()` and by
   * `close()`; its rejection is a write failure (`EventFileWriteError`, reported to `onError`).
   */
  write(path: string, bytes: Uint8Array): void | Promise<void>;
  /** The file `path` is created (called before its first bytes). */
  open?(path: string): void;
  /** The writer of `path` closed; no more bytes follow. Waited on by `close()`. */
  close?(path: string): void | Promise<void>;
}

/** One event file held by a {@link MemorySink}. */
export interface MemoryEventFile {
  /** `<logdir>/<name>`, as the writer's `path`. */
  readonly path: string;
  /** The file name to save it under: `events.out.tfevents.<seconds>.<host>.<pid>.<n>`. */
  readonly name: string;
  /** Every byte written so far (a copy). */
  readonly bytes: Uint8Array;
}

/** An {@link EventByteSink} that keeps every file's bytes in memory. */
export interface MemorySink extends EventByteSink {
  /** The files written into this sink so far, in the order they were opened. */
  files(): MemoryEventFile[];
}

function concatenate(chunks: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/**
 * A sink that keeps the event files in memory; read them with `files()` after `await writer.flush()`
 * or `close()`, e.g. to offer a download or to post them to a server.
 */
export function createMemorySink(): MemorySink {
  const chunksByPath = new Map<string, Uint8Array[]>();
  const chunksOf = (path: string): Uint8Array[] => {
    let chunks = chunksByPath.get(path);
    if (chunks === undefined) {
      chunks = [];
      chunksByPath.set(path, chunks);
    }
    return chunks;
  };
  return {
    open(path) {
      chunksOf(path);
    },
    write(path, bytes) {
      chunksOf(path).push(bytes);
    },
    files() {
      return [...chunksByPath].map(([path, chunks]) => ({
        path,
        name: path.slice(path.lastIndexOf('/') + 1),
        bytes: concatenate(chunks),
      }));
    },
  };
}

interface OpenFile {
  readonly path: string;
  /** Bytes of the file handed to the sink so far. */
  sent: number;
  /** Settles once every promise the sink returned for this file settled; rejects with the first failure. */
  pending: Promise<void>;
  failure: unknown;
}

/** Paths opened in each sink, so that a second writer on the same name moves on to the next `<n>` (as `open(path, 'wx')`). */
const openedPaths = new WeakMap<EventByteSink, Set<string>>();

function existsError(path: string): Error {
  return Object.assign(new Error(`EEXIST: the sink already holds ${path}`), { code: 'EEXIST' });
}

/**
 * The writer's file operations on top of `sink`. Positional writes of a file only ever extend it or
 * repeat bytes already written (the writer's synchronous rewrite of an in-flight region), so only
 * bytes past what was sent go to the sink.
 */
export function byteSinkFileSystem(sink: EventByteSink): WriterFileSystem {
  let opened = openedPaths.get(sink);
  if (opened === undefined) {
    opened = new Set();
    openedPaths.set(sink, opened);
  }
  const paths = opened;
  const files = new Map<number, OpenFile>();
  let nextFd = 1;

  const send = (fd: number, buffers: readonly Uint8Array[], position: number): number => {
    const file = files.get(fd);
    if (file === undefined) throw new Error(`EBADF: no open event file ${fd}`);
    if (file.failure !== undefined) throw file.failure;
    let total = 0;
    for (const buffer of buffers) total += buffer.length;
    const end = position + total;
    if (end <= file.sent) return total;
    const fresh = concatenate(buffers).subarray(file.sent - position);
    const result = sink.write(file.path, fresh);
    file.sent = end;
    if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
      const previous = file.pending;
      file.pending = Promise.resolve(result).then(() => previous);
      file.pending.catch((error: unknown) => {
        file.failure ??= error;
      });
    }
    return total;
  };

  const settle = (fd: number, callback: (error: Error | null) => void, then?: (path: string) => unknown) => {
    const file = files.get(fd);
    if (file === undefined) {
      callback(new Error(`EBADF: no open event file ${fd}`));
      return;
    }
    file.pending
      .then(() => then?.(file.path))
      .then(
        () => callback(null),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
  };

  return {
    mkdirSync: () => undefined,
    openSync(path) {
      if (paths.has(path)) throw existsError(path);
      sink.open?.(path);
      paths.add(path);
      const fd = nextFd++;
      files.set(fd, { path, sent: 0, pending: Promise.resolve(), failure: undefined });
      return fd;
    },
    writev(fd, buffers, position, callback) {
      let total: number;
      try {
        total = send(fd, buffers, position);
      } catch (error) {
        callback(error as Error, 0);
        return;
      }
      settle(fd, (error) => callback(error, error === null ? total : 0));
    },
    writevSync: send,
    fsync: (fd, callback) => settle(fd, callback),
    close(fd, callback) {
      settle(
        fd,
        (error) => {
          files.delete(fd);
          callback(error);
        },
        (path) => sink.close?.(path),
      );
    },
  };
}
