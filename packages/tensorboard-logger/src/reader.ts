/**
 * Reading event files: record framing with CRC verification (`decodeRecords`, `readEvents`) and
 * per-run aggregation of scalars, histograms, texts and hparams (`readRun`, `readLogdir`,
 * `readScalars`).
 *
 * Truncation vs corruption, as TensorBoard's readers see them: a final record cut short (a file
 * still being written, or a writer killed mid-write) is a *truncated tail*: the complete records
 * before it are returned and the tail is reported through `onTruncatedTail` / `truncatedTails`.
 * A record whose length or payload CRC does not match, or whose payload is not an `Event`, is
 * *corruption*: `CorruptRecordError` with the byte offset of the record.
 */

import { open, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { crc32c, maskCrc32c } from './crc32c';
import { decodeEvent, decodeHParamsPluginData } from './decode';
import { CorruptRecordError, IssueCollector } from './errors';
import type {
  HistogramProtoData,
  HParamsExperiment,
  HParamsSessionEnd,
  HParamsSessionStart,
  SummaryMetadata,
  SummaryValue,
  TensorBoardEvent,
} from './proto-types';
import { ProtoDecodeError } from './protobuf';

/** One decoded record and where it sits in the file. */
export interface EventRecord {
  /** Byte offset of the record (its length field) in the file. */
  readonly offset: number;
  /** Payload length in bytes. */
  readonly length: number;
  readonly event: TensorBoardEvent;
}

/** A final record cut short. `expectedBytes` is known once the 12-byte header is complete. */
export interface TruncatedTail {
  readonly file: string | undefined;
  /** Byte offset where the incomplete record starts (= bytes of complete records before it). */
  readonly offset: number;
  /** Bytes present from `offset` to the end of the file. */
  readonly availableBytes: number;
  /** Full size the record would have (header + payload + CRC), when the header is complete. */
  readonly expectedBytes: number | undefined;
}

export interface ReadEventsOptions {
  /** Called once, after the last complete record, when the file ends inside a record. */
  readonly onTruncatedTail?: (tail: TruncatedTail) => void;
}

const HEADER_BYTES = 12;
const FOOTER_BYTES = 4;

type ParseStep =
  | { readonly kind: 'record'; readonly record: EventRecord; readonly next: number }
  | { readonly kind: 'incomplete'; readonly expectedBytes: number | undefined };

/** Parses the record at `bytes[pos]`, with `base` the file offset of `bytes[0]`. Throws `CorruptRecordError`. */
function parseRecord(
  bytes: Uint8Array,
  view: DataView,
  pos: number,
  base: number,
  file: string | undefined,
): ParseStep {
  const available = bytes.length - pos;
  if (available < HEADER_BYTES) return { kind: 'incomplete', expectedBytes: undefined };
  const offset = base + pos;
  const lengthCrc = view.getUint32(pos + 8, true);
  const actualLengthCrc = maskCrc32c(crc32c(bytes, pos, pos + 8));
  if (lengthCrc !== actualLengthCrc) {
    throw new CorruptRecordError(
      'length-crc',
      offset,
      file,
      `length CRC 0x${hex(lengthCrc)} does not match 0x${hex(actualLengthCrc)}`,
    );
  }
  const length = view.getUint32(pos, true) + view.getUint32(pos + 4, true) * 4294967296;
  const total = HEADER_BYTES + length + FOOTER_BYTES;
  if (available < total) return { kind: 'incomplete', expectedBytes: total };
  const payloadStart = pos + HEADER_BYTES;
  const payloadEnd = payloadStart + length;
  const payloadCrc = view.getUint32(payloadEnd, true);
  const actualPayloadCrc = maskCrc32c(crc32c(bytes, payloadStart, payloadEnd));
  if (payloadCrc !== actualPayloadCrc) {
    throw new CorruptRecordError(
      'payload-crc',
      offset,
      file,
      `payload CRC 0x${hex(payloadCrc)} does not match 0x${hex(actualPayloadCrc)} (payload of ${length} bytes)`,
    );
  }
  let event: TensorBoardEvent;
  try {
    event = decodeEvent(bytes, payloadStart, payloadEnd);
  } catch (error) {
    if (error instanceof ProtoDecodeError) {
      throw new CorruptRecordError(
        'malformed-event',
        offset,
        file,
        `payload is not an Event: ${error.message}`,
      );
    }
    throw error;
  }
  return { kind: 'record', record: { offset, length, event }, next: pos + total };
}

function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}

/**
 * Decodes the records of an in-memory event file. Stops at a truncated tail (reported through
 * `onTruncatedTail`); throws `CorruptRecordError` at the first corrupted record.
 */
export function* decodeRecords(
  bytes: Uint8Array,
  options: ReadEventsOptions & { readonly file?: string } = {},
): Generator<EventRecord, void, undefined> {
  if (!(bytes instanceof Uint8Array))
    new IssueCollector('decodeRecords').fail('bytes', 'a Uint8Array', bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos < bytes.length) {
    const step = parseRecord(bytes, view, pos, 0, options.file);
    if (step.kind === 'incomplete') {
      options.onTruncatedTail?.({
        file: options.file,
        offset: pos,
        availableBytes: bytes.length - pos,
        expectedBytes: step.expectedBytes,
      });
      return;
    }
    yield step.record;
    pos = step.next;
  }
}

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
  if (typeof file !== 'string' || file.length === 0)
    new IssueCollector('readEvents').fail('file', 'a file path', file);
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

// ---------------------------------------------------------------------------------------------
// Aggregation

export interface ScalarPoint {
  readonly step: number;
  /** Seconds since the epoch. */
  readonly wallTime: number;
  readonly value: number;
}

export interface HistogramBucket {
  readonly left: number;
  readonly right: number;
  readonly count: number;
}

export interface HistogramPoint {
  readonly step: number;
  readonly wallTime: number;
  /** Buckets as TensorBoard's `[k, 3]` form (classic protos converted with min/max as outer edges). */
  readonly buckets: readonly HistogramBucket[];
  /** The classic `HistogramProto`, when the record held one. */
  readonly proto?: HistogramProtoData;
}

export interface TextPoint {
  readonly step: number;
  readonly wallTime: number;
  /** The strings joined with newlines (one string for TF2 and tensorboardX text). */
  readonly text: string;
  readonly strings: readonly string[];
  readonly shape: readonly number[];
}

/** The hparams records of a run (the last of each kind wins). */
export interface RunHParams {
  readonly experiment?: HParamsExperiment;
  readonly sessionStartInfo?: HParamsSessionStart;
  readonly sessionEndInfo?: HParamsSessionEnd;
}

export interface RunData {
  /** Event files of the run, in the order read (lexicographic, as TensorBoard). */
  readonly files: readonly string[];
  readonly scalars: Readonly<Record<string, readonly ScalarPoint[]>>;
  readonly histograms: Readonly<Record<string, readonly HistogramPoint[]>>;
  readonly texts: Readonly<Record<string, readonly TextPoint[]>>;
  readonly hparams: RunHParams | undefined;
  /** The first metadata of each tag (what TensorBoard keys plugins on). */
  readonly metadata: Readonly<Record<string, SummaryMetadata>>;
  /** Files that end inside a record. */
  readonly truncatedTails: readonly TruncatedTail[];
}

export function isEventFileName(name: string): boolean {
  return name.includes('tfevents');
}

type MutableRun = {
  files: string[];
  scalars: Record<string, ScalarPoint[]>;
  histograms: Record<string, HistogramPoint[]>;
  texts: Record<string, TextPoint[]>;
  hparams: { -readonly [K in keyof RunHParams]: RunHParams[K] } | undefined;
  metadata: Record<string, SummaryMetadata>;
  truncatedTails: TruncatedTail[];
};

function push<T>(record: Record<string, T[]>, key: string, item: T): void {
  const list = record[key];
  if (list === undefined) record[key] = [item];
  else list.push(item);
}

function addValue(run: MutableRun, value: SummaryValue, record: EventRecord, file: string): void {
  const { step, wallTime } = record.event;
  const tag = value.tag;
  if (value.metadata !== undefined && run.metadata[tag] === undefined) run.metadata[tag] = value.metadata;
  const plugin = (run.metadata[tag] ?? value.metadata)?.pluginName;
  if (value.simpleValue !== undefined) {
    push(run.scalars, tag, { step, wallTime, value: value.simpleValue });
    return;
  }
  if (value.histogram !== undefined) {
    const h = value.histogram;
    const buckets: HistogramBucket[] = h.buckets.map((count, i) => ({
      left: i === 0 ? h.min : h.bucketLimits[i - 1]!,
      right: i === h.buckets.length - 1 ? h.max : h.bucketLimits[i]!,
      count,
    }));
    push(run.histograms, tag, { step, wallTime, buckets, proto: h });
    return;
  }
  const tensor = value.tensor;
  if (plugin === 'hparams') {
    const content = (value.metadata ?? run.metadata[tag])?.pluginContent;
    if (content === undefined) return;
    let data: ReturnType<typeof decodeHParamsPluginData>;
    try {
      data = decodeHParamsPluginData(content);
    } catch (error) {
      if (error instanceof ProtoDecodeError) {
        throw new CorruptRecordError(
          'malformed-event',
          record.offset,
          file,
          `hparams plugin data: ${error.message}`,
        );
      }
      throw error;
    }
    run.hparams ??= {};
    if (data.experiment !== undefined) run.hparams.experiment = data.experiment;
    if (data.sessionStartInfo !== undefined) run.hparams.sessionStartInfo = data.sessionStartInfo;
    if (data.sessionEndInfo !== undefined) run.hparams.sessionEndInfo = data.sessionEndInfo;
    return;
  }
  if (tensor === undefined) return;
  if (plugin === 'scalars' && tensor.numbers !== undefined && tensor.numbers.length === 1) {
    push(run.scalars, tag, { step, wallTime, value: tensor.numbers[0]! });
  } else if (plugin === 'histograms' && tensor.numbers !== undefined) {
    const shape = tensor.shape;
    const numbers = tensor.numbers;
    if (shape.length === 2 && shape[1] === 3 && numbers.length === shape[0]! * 3) {
      const buckets: HistogramBucket[] = [];
      for (let i = 0; i < numbers.length; i += 3) {
        buckets.push({ left: numbers[i]!, right: numbers[i + 1]!, count: numbers[i + 2]! });
      }
      push(run.histograms, tag, { step, wallTime, buckets });
    }
  } else if (plugin === 'text' && tensor.strings !== undefined) {
    push(run.texts, tag, {
      step,
      wallTime,
      text: tensor.strings.join('\n'),
      strings: tensor.strings,
      shape: tensor.shape,
    });
  }
}

function emptyRun(): MutableRun {
  return {
    files: [],
    scalars: Object.create(null),
    histograms: Object.create(null),
    texts: Object.create(null),
    hparams: undefined,
    metadata: Object.create(null),
    truncatedTails: [],
  };
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
  if (typeof directory !== 'string' || directory.length === 0) {
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
  if (typeof logdir !== 'string' || logdir.length === 0) {
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
