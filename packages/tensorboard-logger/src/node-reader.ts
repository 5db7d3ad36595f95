/**
 * Reading event files from Node's file system: `readEvents` streams one file's records (verified by
 * `decode-records.ts`), `readRun` / `readLogdir` / `readScalars` aggregate whole runs (with
 * `run-data.ts`). Node only; decoding bytes already in memory is `decodeRecords`.
 */

import { open, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type EventRecord, parseRecord, type ReadEventsOptions } from './decode-records';
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

/**
 * Reads an event file record by record (1 MiB reads, not the whole file at once), verifying both
 * CRCs of every record. A truncated tail ends the iteration after the complete records (reported
 * through `onTruncatedTail`); corruption throws `CorruptRecordError` with the byte offset.
 */
export async function* readEvents(
  file: string,
  options: ReadEventsOptions = {},
): AsyncGenerator<EventRecord, void, undefined> {
  if (!isNonEmptyString(file)) new IssueCollector('readEvents').fail('file', 'a file path', file);
  const handle = await open(file, 'r');
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
      const { size } = await handle.stat();
      const readable = Math.max(0, Math.min(want, size - (base + buffer.length)));
      const rest = buffer.subarray(pos);
      const next = new Uint8Array(rest.length + readable);
      next.set(rest);
      let filled = rest.length;
      while (filled < next.length) {
        const { bytesRead } = await handle.read(
          next,
          filled,
          next.length - filled,
          base + buffer.length + (filled - rest.length),
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
    await handle.close();
  }
}

async function readFilesInto(run: MutableRun, files: readonly string[]): Promise<void> {
  for (const file of files) {
    run.files.push(file);
    for await (const record of readEvents(file, {
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
 */
export async function readRun(directory: string): Promise<RunData> {
  if (!isNonEmptyString(directory)) {
    new IssueCollector('readRun').fail('directory', 'a directory path', directory);
  }
  const entries = await readdir(directory, { withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && isEventFileName(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((name) => join(directory, name));
  const run = emptyRun();
  await readFilesInto(run, files);
  return run;
}

/**
 * Reads every run under `logdir`: each directory (the logdir itself included) that directly holds
 * files whose name contains `tfevents`. Run names are paths relative to `logdir` with `/`
 * separators; the logdir itself is `'.'`, as in TensorBoard.
 */
export async function readLogdir(logdir: string): Promise<Record<string, RunData>> {
  if (!isNonEmptyString(logdir)) {
    new IssueCollector('readLogdir').fail('logdir', 'a directory path', logdir);
  }
  const runs: Record<string, RunData> = Object.create(null);
  const visit = async (directory: string): Promise<void> => {
    const entries = await readdir(directory, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (entries.some((entry) => entry.isFile() && isEventFileName(entry.name))) {
      const name = relative(logdir, directory).split(sep).join('/') || '.';
      runs[name] = await readRun(directory);
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
  const runs = await readLogdir(logdir);
  const out: Record<string, Readonly<Record<string, readonly ScalarPoint[]>>> = Object.create(null);
  for (const [name, run] of Object.entries(runs)) out[name] = run.scalars;
  return out;
}
