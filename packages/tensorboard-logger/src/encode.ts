/**
 * Encoders for the records the writer produces: `Event` framing (TFRecord), scalar templates for
 * the hot path, and the histogram, text and hparams summaries.
 */

import { crc32c, crc32cUpdate, maskCrc32c } from './crc32c';
import { DataClass, DataType, type HParamValue } from './proto-types';
import { encodeUtf8, ProtoWriter, varintSize, writeVarintAt } from './protobuf';

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
 * byte lane turns the CRC of H into 4 lookups, whatever H's length.
 */
interface CrcJump {
  readonly tables: Int32Array;
  readonly constant: number;
}

function crcJump(bytes: Uint8Array): CrcJump {
  const constant = crc32cUpdate(0, bytes, 0, bytes.length);
  const tables = new Int32Array(1024);
  for (let lane = 0; lane < 4; lane++) {
    for (let byte = 0; byte < 256; byte++) {
      tables[lane * 256 + byte] = crc32cUpdate(byte << (8 * lane), bytes, 0, bytes.length) ^ constant;
    }
  }
  return { tables, constant };
}

function applyJump(jump: CrcJump, state: number): number {
  const t = jump.tables;
  return (
    t[state & 0xff]! ^
    t[256 + ((state >>> 8) & 0xff)]! ^
    t[512 + ((state >>> 16) & 0xff)]! ^
    t[768 + (state >>> 24)]! ^
    jump.constant
  );
}

/**
 * Precomputed bytes of one tag's scalar `Event` around the variable parts. An event is
 * `09 <f64 wall_time> [10 <varint step>] <head> <f32 value> <tail>`, where `head` starts with the
 * Summary field key `2a`.
 */
export interface ScalarTemplate {
  readonly head: Uint8Array;
  readonly tail: Uint8Array;
  /** head.length + 4 + tail.length. */
  readonly summaryFieldBytes: number;
  readonly headJump: CrcJump;
  readonly tailJump: CrcJump;
  /** Masked length CRC by number of step bytes (0 for step 0, else 1 + varint size; index 1 unused). */
  readonly lengthCrcs: Int32Array;
}

/** The `scalars` plugin metadata TF2 attaches to every scalar value (content empty = ScalarPluginData v0). */
function scalarsMetadataBytes(): Uint8Array {
  const writer = new ProtoWriter();
  pluginMetadata(writer, 'scalars', undefined, DataClass.SCALAR);
  return writer.finish();
}

const SCALARS_METADATA = scalarsMetadataBytes();

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
  const lengthCrcs = new Int32Array(11);
  for (let stepBytes = 0; stepBytes <= 10; stepBytes++) {
    lengthCrcs[stepBytes] = maskedLengthCrc(9 + stepBytes + fieldBytes.length);
  }
  return {
    head,
    tail,
    summaryFieldBytes: fieldBytes.length,
    headJump: crcJump(head),
    tailJump: crcJump(tail),
    lengthCrcs,
  };
}

/** Payload length of a scalar event with this template and step. */
export function scalarPayloadLength(template: ScalarTemplate, step: number): number {
  return 9 + (step === 0 ? 0 : 1 + varintSize(step)) + template.summaryFieldBytes;
}

/**
 * Writes a complete framed scalar record at `pos` (room must be available); returns the end position.
 * Hot path: no allocation; the CRC of the constant parts comes from the template's jump tables.
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
  const payloadStart = pos + 12;
  let p = payloadStart;
  target[p] = 0x09;
  view.setFloat64(p + 1, wallTime, true);
  p += 9;
  if (step !== 0) {
    target[p] = 0x10;
    p = writeVarintAt(target, p + 1, step);
  }
  const stepBytes = p - payloadStart - 9;
  let crc = crc32cUpdate(-1, target, payloadStart, p);
  const head = template.head;
  for (let i = 0; i < head.length; i++) target[p + i] = head[i]!;
  p += head.length;
  crc = applyJump(template.headJump, crc);
  view.setFloat32(p, value, true);
  crc = crc32cUpdate(crc, target, p, p + 4);
  p += 4;
  const tail = template.tail;
  if (tail.length > 0) {
    for (let i = 0; i < tail.length; i++) target[p + i] = tail[i]!;
    p += tail.length;
    crc = applyJump(template.tailJump, crc);
  }
  const payloadLength = p - payloadStart;
  view.setUint32(pos, payloadLength, true);
  view.setUint32(pos + 4, 0, true);
  view.setInt32(pos + 8, template.lengthCrcs[stepBytes]!, true);
  view.setUint32(p, maskCrc32c((crc ^ -1) >>> 0), true);
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
