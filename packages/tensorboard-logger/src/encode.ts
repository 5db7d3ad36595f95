/**
 * Encoders of the protobuf messages the writer produces: the `Event`, and the histogram, text and
 * hparams summaries it carries. Framing them as TFRecords is `record-framing.ts`; scalars, the hot
 * path, are written from per-tag templates by `scalar-record.ts`.
 */

import { DataClass, DataType, type HParamValue } from './proto-types';
import { encodeUtf8, ProtoWriter } from './protobuf';

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

/** Writes `SummaryMetadata` fields: `plugin_data { plugin_name, content }` and `data_class`. */
export function pluginMetadata(
  writer: ProtoWriter,
  pluginName: string,
  content: Uint8Array | undefined,
  dataClass: number,
): void {
  writer.messageField(1, (plugin) => {
    plugin.stringField(1, pluginName);
    if (content !== undefined && content.length > 0) plugin.bytesField(2, content);
  });
  if (dataClass !== DataClass.UNKNOWN) writer.uint64Field(4, dataClass);
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
