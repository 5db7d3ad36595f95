/**
 * @anneal/tensorboard-logger/browser — the same `SummaryWriter` in a web page (or a worker): it
 * hands each event file's bytes to a sink instead of the file system. No Node built-in is
 * reachable from this entry.
 *
 * The API (stable):
 *
 * - `new SummaryWriter(logdir, { sink, ...options })`: the Node writer's methods (`addScalar`,
 *   `addScalars`, `addHistogram`, `addText`, `addHparams`, `flush`, `waitForCapacity`, `close`,
 *   `path`, `error`, `pendingRecords`, `droppedRecords`) and options (`nowMs`, `hostname`, `pid`,
 *   `fileIndex`, `filenameSuffix`, `scalarEncoding`, `maxQueue`, ...), less the file-system ones
 *   (`fileSystem`, `fsync`, `flushOnExit`). Defaults: `hostname` `'browser'`, `pid` `0`.
 *   Files are named as in Node: `<logdir>/events.out.tfevents.<seconds>.<host>.<pid>.<n>`; given
 *   the same calls, wall times and options the bytes are identical to the Node writer's.
 * - `sink`: any `{ write(path, bytes), open?(path), close?(path) }` (`EventByteSink`). `write`
 *   receives the next bytes of the file `path`, in order, in a fresh `Uint8Array`; a returned
 *   promise is waited on by `flush()` and `close()` (so a sink may post the bytes to the Node
 *   process driving the page, which appends them to a real file).
 * - `createMemorySink()`: a sink that keeps the files; `sink.files()` gives
 *   `{ path, name, bytes }` for each, `name` being the file name to save the bytes under.
 *
 * @example
 * import { createMemorySink, SummaryWriter } from '@anneal/tensorboard-logger/browser';
 *
 * const sink = createMemorySink();
 * const writer = new SummaryWriter('webgl', { sink });
 * writer.addScalar('train/learning_rate', 0.001, 0);
 * await writer.close();
 * const [file] = sink.files(); // { path: 'webgl/events.out.tfevents.<s>.browser.0.0', name, bytes }
 */

import { byteSinkFileSystem, type EventByteSink } from './byte-sink';
import type { WriterFileSystem } from './file-sink';
import { IssueCollector, isPlainObject } from './validation';
import { BaseSummaryWriter } from './writer';
import { checkWriterOptions, OPTION_KEYS, type SummaryWriterOptions } from './writer-options';
import type { WriterPlatform } from './writer-platform';

export {
  createMemorySink,
  type EventByteSink,
  type MemoryEventFile,
  type MemorySink,
} from './byte-sink';
export * from './portable';

/** Options of the browser `SummaryWriter`: the Node writer's, less the file-system ones, plus the sink. */
export interface BrowserSummaryWriterOptions
  extends Omit<SummaryWriterOptions, 'fileSystem' | 'fsync' | 'flushOnExit'> {
  /** Where the event files' bytes go (`createMemorySink()` or any `{ write(path, bytes) }`). */
  readonly sink: EventByteSink;
}

const BROWSER_OPTION_KEYS = [
  ...OPTION_KEYS.filter((key) => key !== 'fileSystem' && key !== 'fsync' && key !== 'flushOnExit'),
  'sink',
];

function isByteSink(value: unknown): value is EventByteSink {
  if (typeof value !== 'object' || value === null) return false;
  const sink = value as Record<string, unknown>;
  return (
    typeof sink.write === 'function' &&
    (sink.open === undefined || typeof sink.open === 'function') &&
    (sink.close === undefined || typeof sink.close === 'function')
  );
}

function unavailable(): never {
  throw new Error('the browser writer takes its file operations from options.sink');
}

/** Posix-style paths: the browser has no other, and the sink names files with `/`. */
const browserPlatform: WriterPlatform = {
  defaultHostname: () => 'browser',
  defaultPid: () => 0,
  defaultFileSystem: unavailable,
  join: (directory, name) => (directory.endsWith('/') ? `${directory}${name}` : `${directory}/${name}`),
  dirname: (path) => {
    const slash = path.replace(/\/+$/, '').lastIndexOf('/');
    return slash < 0 ? '.' : slash === 0 ? '/' : path.slice(0, slash);
  },
  allocate: (bytes) => new Uint8Array(bytes),
};

/** Checks the browser options (every issue, one `InvalidArgumentError`) and turns the sink into file operations. */
function nodeShapedOptions(logdir: unknown, options: unknown): SummaryWriterOptions {
  const issues = new IssueCollector('new SummaryWriter');
  checkWriterOptions(issues, logdir, options, BROWSER_OPTION_KEYS);
  const sink = isPlainObject(options) ? options.sink : undefined;
  if (!isByteSink(sink)) {
    issues.add(
      'options.sink',
      'an object with a write(path, bytes) function (and optional open and close functions), e.g. createMemorySink()',
      sink,
    );
  }
  issues.throwIfAny();
  const { sink: _sink, ...rest } = options as BrowserSummaryWriterOptions;
  const fileSystem: WriterFileSystem = byteSinkFileSystem(sink as EventByteSink);
  return { ...rest, fileSystem, flushOnExit: false };
}

/**
 * Writes TensorBoard event files from a web page into `options.sink`, with the Node writer's API
 * and byte for byte the Node writer's files. One instance owns one file; `addScalars` and
 * `addHparams({ runName })` open sibling files in sub-runs (`<logdir>/<sub-run>/...`) in the same
 * sink, closed with this one.
 */
export class SummaryWriter extends BaseSummaryWriter {
  constructor(logdir: string, options: BrowserSummaryWriterOptions) {
    super(logdir, nodeShapedOptions(logdir, options), browserPlatform);
  }
}
