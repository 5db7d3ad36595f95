/**
 * The writer's hot path: complete framed scalar records written from a per-tag template, with the
 * CRC computed from the numbers as they are stored (nothing is read back, nothing is allocated).
 *
 * A scalar record is `<framing> 09 <f64 wall_time> [10 <varint step>] <head> <f32 value> <tail>
 * <masked payload CRC>`: only the wall time, the step and the value change from call to call;
 * everything else is precomputed once per tag by {@link buildScalarTemplate}.
 */

import { crc32cUpdate, MASK_DELTA, TABLES } from './crc32c';
import { pluginMetadata } from './encode';
import { DataClass, DataType } from './proto-types';
import { ProtoWriter, writeVarintAt } from './protobuf';
import { maskedLengthCrc } from './record-framing';

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

/** The raw CRC state after the bytes a {@link crcJump} table was built from, given the state before them. */
function jumpCrc(jump: Int32Array, crc: number): number {
  return (
    jump[crc & 0xff]! ^
    jump[256 + ((crc >>> 8) & 0xff)]! ^
    jump[512 + ((crc >>> 16) & 0xff)]! ^
    jump[768 + (crc >>> 24)]!
  );
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

/**
 * The Event's summary field (`2a <Summary { Value { tag, value } }>`) with a zero float32 in place
 * of the value, and the offset of that float.
 */
function summaryFieldWithPlaceholder(
  tagBytes: Uint8Array,
  encoding: ScalarEncoding,
): { bytes: Uint8Array; floatOffset: number } {
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
  const bytes = event.finish();
  return { bytes, floatOffset: bytes.length - valueBytes.length + floatOffsetInValue };
}

/** Record bytes 0-7 and 5-12 as doubles, by number of step bytes (see {@link ScalarTemplate.framingLow}). */
function framingDoubles(summaryFieldBytes: number): { low: Float64Array; high: Float64Array } {
  const low = new Float64Array(MAX_STEP_BYTES + 1);
  const high = new Float64Array(MAX_STEP_BYTES + 1);
  for (let stepBytes = 0; stepBytes <= MAX_STEP_BYTES; stepBytes++) {
    const length = 9 + stepBytes + summaryFieldBytes;
    const crc = maskedLengthCrc(length);
    // Little-endian length (below 2^31 here) and zero high word: exponent 0, never a NaN pattern.
    low[stepBytes] = doubleOf([
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
    high[stepBytes] = doubleOf([
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
  return { low, high };
}

export function buildScalarTemplate(tagBytes: Uint8Array, encoding: ScalarEncoding): ScalarTemplate {
  const field = summaryFieldWithPlaceholder(tagBytes, encoding);
  const head = field.bytes.slice(0, field.floatOffset);
  const tail = field.bytes.slice(field.floatOffset + 4);
  const framing = framingDoubles(field.bytes.length);
  return {
    headDoubles: littleEndianDoubles(head, HEAD_DOUBLES_UNROLLED) ?? new Float64Array(0),
    headWords: littleEndianWords(head),
    headLength: head.length,
    headJump: crcJump(head),
    tailWords: littleEndianWords(tail),
    tailLength: tail.length,
    tailJump: crcJump(tail),
    summaryFieldBytes: field.bytes.length,
    recordRoom: MAX_SCALAR_RECORD_EXTRA + field.bytes.length + 8 * HEAD_DOUBLES_UNROLLED,
    framingLow: framing.low,
    framingHigh: framing.high,
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

// The last wall time encoded, its two words and the CRC state after it: consecutive records
// usually share the millisecond, and the state after `09 <wall_time>` depends on nothing else.
const cachedWallTime = new Float64Array([Number.NaN]);
const cachedWall = new Int32Array(3);

/**
 * The slicing-by-8 step for 4 bytes: the raw CRC state contribution of the little-endian word `a`
 * (already xor-ed with the state before it) followed by `zeros` zero bytes.
 */
function sliceWord(t: Int32Array, a: number, zeros: number): number {
  const base = zeros * 256;
  return (
    t[base + 768 + (a & 0xff)]! ^
    t[base + 512 + ((a >>> 8) & 0xff)]! ^
    t[base + 256 + ((a >>> 16) & 0xff)]! ^
    t[base + (a >>> 24)]!
  );
}

/** Writes the template's constant head at `p`: as doubles (4 unrolled), or as words when it holds a NaN pattern. */
function writeHeadAt(view: DataView, p: number, template: ScalarTemplate): void {
  const headDoubles = template.headDoubles;
  if (headDoubles.length > 0) {
    view.setFloat64(p, headDoubles[0]!, true);
    view.setFloat64(p + 8, headDoubles[1]!, true);
    view.setFloat64(p + 16, headDoubles[2]!, true);
    view.setFloat64(p + 24, headDoubles[3]!, true);
    for (let i = HEAD_DOUBLES_UNROLLED; i < headDoubles.length; i++)
      view.setFloat64(p + 8 * i, headDoubles[i]!, true);
  } else {
    writeWordsAt(view, p, template.headWords);
  }
}

function writeWordsAt(view: DataView, p: number, words: Int32Array): void {
  for (let i = 0; i < words.length; i++) view.setInt32(p + 4 * i, words[i]!, true);
}

/**
 * Writes a complete framed scalar record at `pos` (`template.recordRoom` bytes must be free there;
 * bytes after the returned end position may be overwritten); returns the end position.
 *
 * Hot path: no allocation, no bytes read back. The CRC is computed from the numbers as they are
 * written (slicing over the wall time, step and value words), the constant template bytes are
 * written as words and CRC-ed through the template's jump tables, and the CRC state after the wall
 * time is reused while the wall time repeats. Kept as one function on purpose: its bytecode stays
 * above V8's inlining limit, so callers call it once per record and its own helpers inline into it.
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
    crc = sliceWord(t, STATE_AFTER_WALL_KEY ^ low, 4) ^ sliceWord(t, high, 0);
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
        crc = sliceWord(t, a, 0);
        stepBytes = 4;
      } else {
        const last = step >>> 21;
        target[p + 4] = last;
        crc = sliceWord(t, a, 1) ^ t[last]!;
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
  writeHeadAt(view, p, template);
  p += template.headLength;
  crc = jumpCrc(template.headJump, crc);
  // <f32 value>
  scratchFloat32[0] = value;
  const bits = scratchInt32[0]!;
  view.setInt32(p, bits, true);
  crc = sliceWord(t, crc ^ bits, 0);
  p += 4;
  // <tail> (tensor encoding: the plugin metadata after the tensor)
  if (template.tailLength > 0) {
    writeWordsAt(view, p, template.tailWords);
    p += template.tailLength;
    crc = jumpCrc(template.tailJump, crc);
  }
  // Framing: length, masked length CRC, masked payload CRC.
  view.setFloat64(pos, template.framingLow[stepBytes]!, true);
  view.setFloat64(pos + 5, template.framingHigh[stepBytes]!, true);
  crc ^= -1;
  view.setInt32(p, (((crc >>> 15) | (crc << 17)) + MASK_DELTA) | 0, true);
  return p + 4;
}
