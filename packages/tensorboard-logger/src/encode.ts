/**
 * Encoders for the records the writer produces: `Event` framing (TFRecord), scalar templates for
 * the hot path, and the histogram, text and hparams summaries.
 */

import { crc32c, crc32cUpdate, maskCrc32c, TABLES } from './crc32c';
import { DataClass, DataType, type HParamValue } from './proto-types';
import { encodeUtf8, ProtoWriter, writeVarintAt } from './protobuf';

/** Bytes of framing around each payload: 8 length + 4 length CRC + 4 payload CRC. */
export const RECORD_OVERHEAD = 16;

const lengthBytes = new Uint8Array(8);
const lengthView = new DataView(lengthBytes.buffer);
const lengthCrcCache = new Map<number, number>();

/** Masked CRC-32C of the 8-byte little-endian length field (cached; payload lengths repeat). */
export function maskedLengthCrc(length: number): number {
  let crc = lengthCrcCache.get(length);
  if (crc === undefined) {
    lengthView.setUint32(0, length % 4294967296, true);
    lengthView.setUint32(4, Math.floor(length / 4294967296), true);
    crc = maskCrc32c(crc32c(lengthBytes));
    if (lengthCrcCache.size < 65536) lengthCrcCache.set(length, crc);
  }
  return crc;
}

/** Frames one payload as a TFRecord into `target` at `pos` (which must have room); returns the end position. */
export function writeRecordAt(target: Uint8Array, view: DataView, pos: number, payload: Uint8Array): number {
  const length = payload.length;
  view.setUint32(pos, length % 4294967296, true);
  view.setUint32(pos + 4, Math.floor(length / 4294967296), true);
  view.setUint32(pos + 8, maskedLengthCrc(length), true);
  target.set(payload, pos + 12);
  view.setUint32(pos + 12 + length, maskCrc32c(crc32c(payload)), true);
  return pos + RECORD_OVERHEAD + length;
}

/** Frames one payload as a standalone TFRecord. */
export function frameRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + RECORD_OVERHEAD);
  writeRecordAt(out, new DataView(out.buffer), 0, payload);
  return out;
}

export interface EventFields {
  /** Seconds since the Unix epoch. */
  readonly wallTime: number;
  readonly step: number;
  readonly fileVersion?: string;
  /** A serialized `Summary`. */
  readonly summary?: Uint8Array;
  readonly sourceMetadataWriter?: string;
}

/** Serializes an `Event` (fields in number order; zero step omitted as proto3 does). */
export function encodeEvent(fields: EventFields): Uint8Array {
  const writer = new ProtoWriter();
  writer.doubleField(1, fields.wallTime);
  if (fields.step !== 0) writer.uint64Field(2, fields.step);
  if (fields.fileVersion !== undefined) writer.stringField(3, fields.fileVersion);
  if (fields.summary !== undefined) writer.bytesField(5, fields.summary);
  const sourceWriter = fields.sourceMetadataWriter;
  if (sourceWriter !== undefined) writer.messageField(10, (source) => source.stringField(1, sourceWriter));
  return writer.finish();
}

// ---------------------------------------------------------------------------------------------
// SummaryMetadata

function pluginMetadata(
  writer: ProtoWriter,
  pluginName: string,
  content: Uint8Array | undefined,
  dataClass: number,
) {
  writer.messageField(1, (plugin) => {
    plugin.stringField(1, pluginName);
    if (content !== undefined && content.length > 0) plugin.bytesField(2, content);
  });
  if (dataClass !== DataClass.UNKNOWN) writer.uint64Field(4, dataClass);
}

// ---------------------------------------------------------------------------------------------
// Scalars (hot path)

/** How scalars are encoded: `simple_value` (TF1, tensorboardX, torch) or rank-0 DT_FLOAT tensors (TF2). */
export type ScalarEncoding = 'simpleValue' | 'tensor';

/**
 * CRC-32C "jump" over a fixed byte string H: the raw CRC state after H is an affine function of
 * the state before it, `f(s) = L(s) xor f(0)`, with L linear over GF(2). Tabulating L per input
 * byte lane (and folding the constant `f(0)` into lane 0) turns the CRC of H into 4 lookups,
 * whatever H's length: `f(s) = J[s & 255] ^ J[256 + (s >>> 8 & 255)] ^ J[512 + ...] ^ J[768 + ...]`.
 */
function crcJump(bytes: Uint8Array): Int32Array {
  const constant = crc32cUpdate(0, bytes, 0, bytes.length);
  // L is "advance over bytes.length zero bytes": tabulate it from its images of the 32 state bits.
  const zeros = new Uint8Array(bytes.length);
  const images = new Int32Array(32);
  for (let bit = 0; bit < 32; bit++) images[bit] = crc32cUpdate(1 << bit, zeros, 0, zeros.length);
  const tables = new Int32Array(1024);
  for (let lane = 0; lane < 4; lane++) {
    for (let byte = 0; byte < 256; byte++) {
      let image = lane === 0 ? constant : 0;
      for (let bit = 0; bit < 8; bit++) if ((byte >>> bit) & 1) image ^= images[8 * lane + bit]!;
      tables[lane * 256 + byte] = image;
    }
  }
  return tables;
}

/** `bytes` as little-endian 32-bit words, zero-padded to at least `minimumWords` words. */
function littleEndianWords(bytes: Uint8Array, minimumWords = 0): Int32Array {
  const words = new Int32Array(Math.max(minimumWords, Math.ceil(bytes.length / 4)));
  for (let i = 0; i < bytes.length; i++) words[i >> 2]! |= bytes[i]! << (8 * (i & 3));
  return words;
}

/**
 * `bytes` as the doubles whose little-endian encodings they are, zero-padded to at least
 * `minimumDoubles`; `undefined` if a group of 8 bytes is a NaN pattern (a NaN's payload is not
 * guaranteed to survive a round trip through a JavaScript number, every other double's bits are).
 */
function littleEndianDoubles(bytes: Uint8Array, minimumDoubles: number): Float64Array | undefined {
  const count = Math.max(minimumDoubles, Math.ceil(bytes.length / 8));
  const padded = new Uint8Array(count * 8);
  padded.set(bytes);
  const view = new DataView(padded.buffer);
  const doubles = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    doubles[i] = view.getFloat64(8 * i, true);
    if (Number.isNaN(doubles[i])) return undefined;
  }
  return doubles;
}

/** The double whose little-endian encoding is `bytes` (8 bytes, known not to be a NaN pattern). */
function doubleOf(bytes: readonly number[]): number {
  return new DataView(Uint8Array.from(bytes).buffer).getFloat64(0, true);
}

/**
 * Precomputed bytes of one tag's scalar `Event` around the variable parts. An event is
 * `09 <f64 wall_time> [10 <varint step>] <head> <f32 value> <tail>`, where `head` starts with the
 * Summary field key `2a` (for `simple_value`, `tail` is empty).
 *
 * Constant bytes are written 8 at a time as doubles (`DataView.setFloat64` of the double whose
 * encoding they are), which halves the stores of the hot path; padding written past the end of a
 * part lands where a later part of the record, or the next record, overwrites it.
 */
export interface ScalarTemplate {
  /** `head` as doubles, at least {@link HEAD_DOUBLES_UNROLLED}, or empty if `head` holds a NaN pattern. */
  readonly headDoubles: Float64Array;
  /** `head` as little-endian words (used when `headDoubles` is empty). */
  readonly headWords: Int32Array;
  readonly headLength: number;
  /** CRC jump over `head` (see {@link crcJump}). */
  readonly headJump: Int32Array;
  readonly tailWords: Int32Array;
  readonly tailLength: number;
  readonly tailJump: Int32Array;
  /** headLength + 4 + tailLength. */
  readonly summaryFieldBytes: number;
  /** Free bytes `writeScalarRecordAt` needs at `pos`: the longest record plus the padding. */
  readonly recordRoom: number;
  /**
   * By number of step bytes (0 for step 0, else 1 + varint size): record bytes 0-7 (the 64-bit
   * payload length) and 5-12 (zeros, the masked length CRC, the wall-time key 0x09) as doubles.
   */
  readonly framingLow: Float64Array;
  readonly framingHigh: Float64Array;
}

/** The `scalars` plugin metadata TF2 attaches to every scalar value (content empty = ScalarPluginData v0). */
function scalarsMetadataBytes(): Uint8Array {
  const writer = new ProtoWriter();
  pluginMetadata(writer, 'scalars', undefined, DataClass.SCALAR);
  return writer.finish();
}

const SCALARS_METADATA = scalarsMetadataBytes();

/** Most bytes of a scalar record besides the template's summary field: framing 16 + wall time 9 + step at most 11. */
const MAX_SCALAR_RECORD_EXTRA = 36;
/** Head doubles written without a loop (32 bytes: the whole head of tags up to 25 bytes as `simple_value`). */
const HEAD_DOUBLES_UNROLLED = 4;
/** Most step bytes: the key 0x10 and the varint of a safe integer (at most 8 bytes). */
const MAX_STEP_BYTES = 9;

export function buildScalarTemplate(tagBytes: Uint8Array, encoding: ScalarEncoding): ScalarTemplate {
  // Summary.Value bytes with a 4-byte placeholder for the float, to learn the layout.
  const value = new ProtoWriter();
  value.bytesField(1, tagBytes);
  let floatOffsetInValue: number;
  if (encoding === 'simpleValue') {
    value.floatField(2, 0);
    floatOffsetInValue = value.length - 4;
  } else {
    // TensorProto { dtype: DT_FLOAT, tensor_shape: {}, tensor_content: <4 bytes> }
    const tensor = new ProtoWriter();
    tensor.uint64Field(1, DataType.DT_FLOAT);
    tensor.bytesField(2, new Uint8Array(0));
    tensor.bytesField(4, new Uint8Array(4));
    const tensorBytes = tensor.finish();
    value.bytesField(8, tensorBytes);
    floatOffsetInValue = value.length - 4;
    value.bytesField(9, SCALARS_METADATA);
  }
  const valueBytes = value.finish();
  const summary = new ProtoWriter();
  summary.bytesField(1, valueBytes);
  const summaryBytes = summary.finish();
  const event = new ProtoWriter();
  event.bytesField(5, summaryBytes);
  const fieldBytes = event.finish();
  const floatOffset = fieldBytes.length - valueBytes.length + floatOffsetInValue;
  const head = fieldBytes.slice(0, floatOffset);
  const tail = fieldBytes.slice(floatOffset + 4);
  const framingLow = new Float64Array(MAX_STEP_BYTES + 1);
  const framingHigh = new Float64Array(MAX_STEP_BYTES + 1);
  for (let stepBytes = 0; stepBytes <= MAX_STEP_BYTES; stepBytes++) {
    const length = 9 + stepBytes + fieldBytes.length;
    const crc = maskedLengthCrc(length);
    // Little-endian length (below 2^31 here) and zero high word: exponent 0, never a NaN pattern.
    framingLow[stepBytes] = doubleOf([
      length & 0xff,
      (length >>> 8) & 0xff,
      (length >>> 16) & 0xff,
      length >>> 24,
      0,
      0,
      0,
      0,
    ]);
    // Top byte 0x09: exponent 0x09x, never a NaN pattern.
    framingHigh[stepBytes] = doubleOf([
      0,
      0,
      0,
      crc & 0xff,
      (crc >>> 8) & 0xff,
      (crc >>> 16) & 0xff,
      crc >>> 24,
      0x09,
    ]);
  }
  return {
    headDoubles: littleEndianDoubles(head, HEAD_DOUBLES_UNROLLED) ?? new Float64Array(0),
    headWords: littleEndianWords(head),
    headLength: head.length,
    headJump: crcJump(head),
    tailWords: littleEndianWords(tail),
    tailLength: tail.length,
    tailJump: crcJump(tail),
    summaryFieldBytes: fieldBytes.length,
    recordRoom: MAX_SCALAR_RECORD_EXTRA + fieldBytes.length + 8 * HEAD_DOUBLES_UNROLLED,
    framingLow,
    framingHigh,
  };
}

// Scratch memory to read the bits of a float32 or float64 as 32-bit integers (host byte order).
const scratch = new ArrayBuffer(8);
const scratchFloat64 = new Float64Array(scratch);
const scratchFloat32 = new Float32Array(scratch, 0, 1);
const scratchInt32 = new Int32Array(scratch);
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LOW_WORD = HOST_LITTLE_ENDIAN ? 0 : 1;
const HIGH_WORD = 1 - LOW_WORD;
/** Raw CRC state after the first payload byte of every scalar event, the wall-time field key 0x09. */
const STATE_AFTER_WALL_KEY = crc32cUpdate(-1, Uint8Array.of(0x09), 0, 1);
const MASK_DELTA = 0xa282ead8;

// The last wall time encoded, its two words and the CRC state after it: consecutive records
// usually share the millisecond, and the state after `09 <wall_time>` depends on nothing else.
const cachedWallTime = new Float64Array([Number.NaN]);
const cachedWall = new Int32Array(3);

/**
 * Writes a complete framed scalar record at `pos` (`template.recordRoom` bytes must be free there;
 * bytes after the returned end position may be overwritten); returns the end position.
 *
 * Hot path: no allocation, no bytes read back. The CRC is computed from the numbers as they are
 * written (slicing over the wall time, step and value words), the constant template bytes are
 * written as words and CRC-ed through the template's jump tables, and the CRC state after the wall
 * time is reused while the wall time repeats.
 */
export function writeScalarRecordAt(
  target: Uint8Array,
  view: DataView,
  pos: number,
  template: ScalarTemplate,
  wallTime: number,
  step: number,
  value: number,
): number {
  const t = TABLES;
  let crc: number;
  let low: number;
  let high: number;
  let a: number;
  // 09 <f64 wall_time>. (-0 is not cached: it compares equal to 0 but has other bytes.)
  if (wallTime === cachedWallTime[0] && wallTime !== 0) {
    low = cachedWall[0]!;
    high = cachedWall[1]!;
    crc = cachedWall[2]!;
  } else {
    scratchFloat64[0] = wallTime;
    low = scratchInt32[LOW_WORD]!;
    high = scratchInt32[HIGH_WORD]!;
    a = STATE_AFTER_WALL_KEY ^ low;
    crc =
      t[1792 + (a & 0xff)]! ^
      t[1536 + ((a >>> 8) & 0xff)]! ^
      t[1280 + ((a >>> 16) & 0xff)]! ^
      t[1024 + (a >>> 24)]! ^
      t[768 + (high & 0xff)]! ^
      t[512 + ((high >>> 8) & 0xff)]! ^
      t[256 + ((high >>> 16) & 0xff)]! ^
      t[high >>> 24]!;
    cachedWallTime[0] = wallTime;
    cachedWall[0] = low;
    cachedWall[1] = high;
    cachedWall[2] = crc;
  }
  if (!Number.isNaN(wallTime)) view.setFloat64(pos + 13, wallTime, true);
  else {
    view.setInt32(pos + 13, low, true);
    view.setInt32(pos + 17, high, true);
  }
  let p = pos + 21;
  // [10 <varint step>]: up to 4 bytes as one word, then 5, else the general varint.
  let stepBytes = 0;
  if (step !== 0) {
    if (step < 0x80) {
      const word = 0x10 | (step << 8);
      view.setInt32(p, word, true);
      a = crc ^ word;
      crc = (crc >>> 16) ^ t[256 + (a & 0xff)]! ^ t[(a >>> 8) & 0xff]!;
      stepBytes = 2;
    } else if (step < 0x4000) {
      const word = 0x10 | (((step & 0x7f) | 0x80) << 8) | ((step >>> 7) << 16);
      view.setInt32(p, word, true);
      a = crc ^ word;
      crc = (crc >>> 24) ^ t[512 + (a & 0xff)]! ^ t[256 + ((a >>> 8) & 0xff)]! ^ t[(a >>> 16) & 0xff]!;
      stepBytes = 3;
    } else if (step < 0x10000000) {
      const word =
        0x10 |
        (((step & 0x7f) | 0x80) << 8) |
        ((((step >>> 7) & 0x7f) | 0x80) << 16) |
        (step < 0x200000 ? (step >>> 14) << 24 : (((step >>> 14) & 0x7f) | 0x80) << 24);
      view.setInt32(p, word, true);
      a = crc ^ word;
      if (step < 0x200000) {
        crc =
          t[768 + (a & 0xff)]! ^ t[512 + ((a >>> 8) & 0xff)]! ^ t[256 + ((a >>> 16) & 0xff)]! ^ t[a >>> 24]!;
        stepBytes = 4;
      } else {
        const last = step >>> 21;
        target[p + 4] = last;
        crc =
          t[1024 + (a & 0xff)]! ^
          t[768 + ((a >>> 8) & 0xff)]! ^
          t[512 + ((a >>> 16) & 0xff)]! ^
          t[256 + (a >>> 24)]! ^
          t[last]!;
        stepBytes = 5;
      }
    } else {
      target[p] = 0x10;
      const end = writeVarintAt(target, p + 1, step);
      crc = crc32cUpdate(crc, target, p, end);
      stepBytes = end - p;
    }
    p += stepBytes;
  }
  // <head>: constant bytes, CRC by jump.
  const headDoubles = template.headDoubles;
  if (headDoubles.length > 0) {
    view.setFloat64(p, headDoubles[0]!, true);
    view.setFloat64(p + 8, headDoubles[1]!, true);
    view.setFloat64(p + 16, headDoubles[2]!, true);
    view.setFloat64(p + 24, headDoubles[3]!, true);
    for (let i = HEAD_DOUBLES_UNROLLED; i < headDoubles.length; i++)
      view.setFloat64(p + 8 * i, headDoubles[i]!, true);
  } else {
    const headWords = template.headWords;
    for (let i = 0; i < headWords.length; i++) view.setInt32(p + 4 * i, headWords[i]!, true);
  }
  p += template.headLength;
  let jump = template.headJump;
  crc =
    jump[crc & 0xff]! ^
    jump[256 + ((crc >>> 8) & 0xff)]! ^
    jump[512 + ((crc >>> 16) & 0xff)]! ^
    jump[768 + (crc >>> 24)]!;
  // <f32 value>
  scratchFloat32[0] = value;
  const bits = scratchInt32[0]!;
  view.setInt32(p, bits, true);
  a = crc ^ bits;
  crc = t[768 + (a & 0xff)]! ^ t[512 + ((a >>> 8) & 0xff)]! ^ t[256 + ((a >>> 16) & 0xff)]! ^ t[a >>> 24]!;
  p += 4;
  // <tail> (tensor encoding: the plugin metadata after the tensor)
  if (template.tailLength > 0) {
    const tailWords = template.tailWords;
    for (let i = 0; i < tailWords.length; i++) view.setInt32(p + 4 * i, tailWords[i]!, true);
    p += template.tailLength;
    jump = template.tailJump;
    crc =
      jump[crc & 0xff]! ^
      jump[256 + ((crc >>> 8) & 0xff)]! ^
      jump[512 + ((crc >>> 16) & 0xff)]! ^
      jump[768 + (crc >>> 24)]!;
  }
  // Framing: length, masked length CRC, masked payload CRC.
  view.setFloat64(pos, template.framingLow[stepBytes]!, true);
  view.setFloat64(pos + 5, template.framingHigh[stepBytes]!, true);
  crc ^= -1;
  view.setInt32(p, (((crc >>> 15) | (crc << 17)) + MASK_DELTA) | 0, true);
  return p + 4;
}

// ---------------------------------------------------------------------------------------------
// Histograms

export interface HistogramFields {
  readonly min: number;
  readonly max: number;
  readonly num: number;
  readonly sum: number;
  readonly sumSquares: number;
  readonly bucketLimits: readonly number[];
  readonly buckets: readonly number[];
}

function optionalDouble(writer: ProtoWriter, field: number, value: number): void {
  if (!Object.is(value, 0)) writer.doubleField(field, value);
}

/** Summary with one value holding a classic `HistogramProto` (as TF1, tensorboardX and torch write). */
export function encodeHistogramSummary(tag: string, histogram: HistogramFields): Uint8Array {
  const summary = new ProtoWriter();
  summary.messageField(1, (value) => {
    value.stringField(1, tag);
    value.messageField(5, (histo) => {
      optionalDouble(histo, 1, histogram.min);
      optionalDouble(histo, 2, histogram.max);
      optionalDouble(histo, 3, histogram.num);
      optionalDouble(histo, 4, histogram.sum);
      optionalDouble(histo, 5, histogram.sumSquares);
      if (histogram.bucketLimits.length > 0) histo.packedDoubleField(6, histogram.bucketLimits);
      if (histogram.buckets.length > 0) histo.packedDoubleField(7, histogram.buckets);
    });
  });
  return summary.finish();
}

// ---------------------------------------------------------------------------------------------
// Text

/** Summary with one rank-0 DT_STRING tensor and `text` plugin metadata (TF2 `tf.summary.text`). */
export function encodeTextSummary(tag: string, text: string): Uint8Array {
  const summary = new ProtoWriter();
  summary.messageField(1, (value) => {
    value.stringField(1, tag);
    value.messageField(8, (tensor) => {
      tensor.uint64Field(1, DataType.DT_STRING);
      tensor.bytesField(2, new Uint8Array(0));
      tensor.bytesField(8, encodeUtf8(text));
    });
    value.messageField(9, (metadata) => pluginMetadata(metadata, 'text', undefined, DataClass.TENSOR));
  });
  return summary.finish();
}

// ---------------------------------------------------------------------------------------------
// HParams (torch.utils.tensorboard.summary.hparams / tensorboardX summary.hparams)

export const HPARAMS_EXPERIMENT_TAG = '_hparams_/experiment';
export const HPARAMS_SESSION_START_TAG = '_hparams_/session_start_info';
export const HPARAMS_SESSION_END_TAG = '_hparams_/session_end_info';

/** HParamInfo.type values (`DataType` in api.proto). */
const HPARAM_TYPE_STRING = 1;
const HPARAM_TYPE_BOOL = 2;
const HPARAM_TYPE_FLOAT64 = 3;

function writeProtobufValue(writer: ProtoWriter, value: HParamValue): void {
  if (typeof value === 'number') writer.doubleField(2, value);
  else if (typeof value === 'string') writer.stringField(3, value);
  else writer.boolField(4, value);
}

function hparamsValueSummary(tag: string, content: Uint8Array): Uint8Array {
  const summary = new ProtoWriter();
  summary.messageField(1, (value) => {
    value.stringField(1, tag);
    value.messageField(9, (metadata) => pluginMetadata(metadata, 'hparams', content, DataClass.UNKNOWN));
  });
  return summary.finish();
}

/**
 * The three metadata-only summaries torch's `hparams()` returns: experiment, session start info,
 * session end info (status SUCCESS). `HParamsPluginData.version` is 0 and therefore omitted.
 */
export function encodeHParamsSummaries(
  hparams: Readonly<Record<string, HParamValue>>,
  metricTags: readonly string[],
  domainDiscrete: Readonly<Record<string, readonly HParamValue[]>>,
): { experiment: Uint8Array; sessionStart: Uint8Array; sessionEnd: Uint8Array } {
  const names = Object.keys(hparams);
  const experimentContent = new ProtoWriter()
    .messageField(2, (experiment) => {
      for (const name of names) {
        const value = hparams[name]!;
        experiment.messageField(4, (info) => {
          info.stringField(1, name);
          info.uint64Field(
            4,
            typeof value === 'number'
              ? HPARAM_TYPE_FLOAT64
              : typeof value === 'string'
                ? HPARAM_TYPE_STRING
                : HPARAM_TYPE_BOOL,
          );
          const domain = domainDiscrete[name];
          if (domain !== undefined) {
            info.messageField(5, (list) => {
              for (const item of domain) list.messageField(1, (entry) => writeProtobufValue(entry, item));
            });
          }
        });
      }
      for (const tag of metricTags) {
        experiment.messageField(5, (info) =>
          info.messageField(1, (metricName) => metricName.stringField(2, tag)),
        );
      }
    })
    .finish();
  const startContent = new ProtoWriter()
    .messageField(3, (start) => {
      for (const name of names) {
        start.messageField(1, (entry) => {
          entry.stringField(1, name);
          entry.messageField(2, (value) => writeProtobufValue(value, hparams[name]!));
        });
      }
    })
    .finish();
  const endContent = new ProtoWriter().messageField(4, (end) => end.uint64Field(1, 1)).finish();
  return {
    experiment: hparamsValueSummary(HPARAMS_EXPERIMENT_TAG, experimentContent),
    sessionStart: hparamsValueSummary(HPARAMS_SESSION_START_TAG, startContent),
    sessionEnd: hparamsValueSummary(HPARAMS_SESSION_END_TAG, endContent),
  };
}
