/**
 * Reading event files from Node's file system: `readEvents` streams one file's records (verified by
 * `decode-records.ts`), `readRun` / `readLogdir` / `readScalars` aggregate whole runs (with
 * `run-data.ts`). Node only; decoding bytes already in memory is `decodeRecords`.
 */

import { open, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type EventRecord, parseRecord, type ReadEventsOptions } from './decode-records';
import { EventFileReadError, type ReadOperation } from './errors';
import {
  addValue,
  emptyRun,
  isEventFileName,
  type MutableRun,
  type RunData,
  type ScalarPoint,
} from './run-data';
import { IssueCollector, isNonEmptyString } from './validation';

const READ_CHUNK_BYTES = 1024 * 1024;

/** Runs one file-system operation of the reader `method`, turning its failure into `EventFileReadError`. */
async function attempt<T>(
  method: string,
  operation: ReadOperation,
  path: string,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw new EventFileReadError(method, operation, path, error);
  }
}

/**
 * Reads an event file record by record (1 MiB reads, not the whole file at once), verifying both
 * CRCs of every record. A truncated tail ends the iteration after the complete records (reported
 * through `onTruncatedTail`); corruption throws `CorruptRecordError` with the byte offset; a file
 * that cannot be opened or read (missing, a directory, ...) throws `EventFileReadError`.
 */
export function readEvents(
  file: string,
  options: ReadEventsOptions = {},
): AsyncGenerator<EventRecord, void, undefined> {
  return eventRecords('readEvents', file, options);
}

/** {@link readEvents} on behalf of the reader `method` (named in its errors). */
async function* eventRecords(
  method: string,
  file: string,
  options: ReadEventsOptions,
): AsyncGenerator<EventRecord, void, undefined> {
  if (!isNonEmptyString(file)) new IssueCollector(method).fail('file', 'a file path', file);
  const handle = await attempt(method, 'open', file, () => open(file, 'r'));
  try {
    let buffer = new Uint8Array(0);
    let view = new DataView(buffer.buffer);
    let base = 0; // file offset of buffer[0]
    let pos = 0;
    let eof = false;
    for (;;) {
      const step = pos < buffer.length || !eof ? parseRecord(buffer, view, pos, base, file) : undefined;
      if (step === undefined) return;
      if (step.kind === 'record') {
        yield step.record;
        pos = step.next;
        if (pos === buffer.length && eof) return;
        continue;
      }
      if (eof) {
        if (buffer.length - pos > 0) {
          options.onTruncatedTail?.({
            file,
            offset: base + pos,
            availableBytes: buffer.length - pos,
            expectedBytes: step.expectedBytes,
          });
        }
        return;
      }
      // Need more bytes: keep the unconsumed tail and append the next read.
      const want = Math.max(READ_CHUNK_BYTES, Math.min(step.expectedBytes ?? 0, 2 ** 31 - 1));
      const { size } = await attempt(method, 'stat', file, () => handle.stat());
      const readable = Math.max(0, Math.min(want, size - (base + buffer.length)));
      const rest = buffer.subarray(pos);
      const next = new Uint8Array(rest.length + readable);
      next.set(rest);
      let filled = rest.length;
      while (filled < next.length) {
        const position = base + buffer.length + (filled - rest.length);
        const { bytesRead } = await attempt(method, 'read', file, () =>
          handle.read(next, filled, next.length - filled, position),
        );
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      base += pos;
      buffer = next.subarray(0, filled);
      view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      pos = 0;
      if (filled - rest.length < want) eof = true;
    }
  } finally {
    await attempt(method, 'close', file, () => handle.close());
  }
}

async function readFilesInto(method: string, run: MutableRun, files: readonly string[]): Promise<void> {
  for (const file of files) {
    run.files.push(file);
    for await (const record of eventRecords(method, file, {
      onTruncatedTail: (tail) => run.truncatedTails.push(tail),
    })) {
      const summary = record.event.summary;
      if (summary === undefined) continue;
      for (const value of summary) addValue(run, value, record, file);
    }
  }
}

/**
 * Reads the event files directly inside `directory` (one run), in lexicographic order. Scalars come
 * from `simple_value` and from float/double/integer tensors of tags whose first metadata names the
 * `scalars` plugin; histograms from classic protos and `histograms` `[k, 3]` tensors; texts from
 * `text` tensors; hparams from `hparams` plugin data. Points keep file order (duplicates included).
 * A directory or file that cannot be read rejects with `EventFileReadError`.
 */
export function readRun(directory: string): Promise<RunData> {
  return runIn('readRun', directory);
}

async function runIn(method: string, directory: string): Promise<RunData> {
  if (!isNonEmptyString(directory)) {
    new IssueCollector(method).fail('directory', 'a directory path', directory);
  }
  const entries = await readEntries(method, directory);
  const files = entries
    .filter((entry) => entry.isFile() && isEventFileName(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((name) => join(directory, name));
  const run = emptyRun();
  await readFilesInto(method, run, files);
  return run;
}

/**
 * Reads one event file as a run, as TensorBoard shows a folder that holds only that file: the same
 * scalars, histograms, texts and hparams as `readRun`. A file that cannot be read rejects with
 * `EventFileReadError`.
 */
export async function readEventFile(file: string): Promise<RunData> {
  if (!isNonEmptyString(file)) new IssueCollector('readEventFile').fail('file', 'a file path', file);
  const run = emptyRun();
  await readFilesInto('readEventFile', run, [file]);
  return run;
}

/** The entries of `directory`, for the reader `method`. */
function readEntries(method: string, directory: string) {
  return attempt(method, 'readdir', directory, () => readdir(directory, { withFileTypes: true }));
}

/**
 * Reads every run under `logdir`: each directory (the logdir itself included) that directly holds
 * files whose name contains `tfevents`. Run names are paths relative to `logdir` with `/`
 * separators; the logdir itself is `'.'`, as in TensorBoard. A directory or file that cannot be
 * read (a missing `logdir`, one that is a file, ...) rejects with `EventFileReadError`.
 */
export function readLogdir(logdir: string): Promise<Record<string, RunData>> {
  return runsIn('readLogdir', logdir);
}

async function runsIn(method: string, logdir: string): Promise<Record<string, RunData>> {
  if (!isNonEmptyString(logdir)) {
    new IssueCollector(method).fail('logdir', 'a directory path', logdir);
  }
  const runs: Record<string, RunData> = Object.create(null);
  const visit = async (directory: string): Promise<void> => {
    const entries = await readEntries(method, directory);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (entries.some((entry) => entry.isFile() && isEventFileName(entry.name))) {
      const name = relative(logdir, directory).split(sep).join('/') || '.';
      runs[name] = await runIn(method, directory);
    }
    for (const entry of entries) if (entry.isDirectory()) await visit(join(directory, entry.name));
  };
  await visit(logdir);
  return runs;
}

/** Per run, per tag scalar series `{ step, wallTime, value }` of every run under `logdir`. */
export async function readScalars(
  logdir: string,
): Promise<Record<string, Readonly<Record<string, readonly ScalarPoint[]>>>> {
  const runs = await runsIn('readScalars', logdir);
  const out: Record<string, Readonly<Record<string, readonly ScalarPoint[]>>> = Object.create(null);
  for (const [name, run] of Object.entries(runs)) out[name] = run.scalars;
  return out;
}
