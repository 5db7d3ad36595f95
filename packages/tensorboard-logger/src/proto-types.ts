/** Decoded forms of the TensorBoard protobuf messages this package reads (field numbers in FORMAT notes). */

/** `tensorboard.DataType` values used by summaries. */
export const DataType = {
  DT_FLOAT: 1,
  DT_DOUBLE: 2,
  DT_INT32: 3,
  DT_UINT8: 4,
  DT_INT16: 5,
  DT_INT8: 6,
  DT_STRING: 7,
  DT_INT64: 9,
  DT_BOOL: 10,
  DT_HALF: 19,
} as const;

/** `SummaryMetadata.data_class`. */
export const DataClass = { UNKNOWN: 0, SCALAR: 1, TENSOR: 2, BLOB_SEQUENCE: 3 } as const;

export interface SummaryMetadata {
  /** `plugin_data.plugin_name`, e.g. `'scalars'`, `'histograms'`, `'text'`, `'hparams'`. */
  readonly pluginName?: string;
  /** `plugin_data.content` (plugin specific serialized bytes). */
  readonly pluginContent?: Uint8Array;
  readonly displayName?: string;
  readonly summaryDescription?: string;
  /** `data_class` (0 when absent). */
  readonly dataClass: number;
}

export interface TensorData {
  /** `DataType` enum value (see {@link DataType}). */
  readonly dtype: number;
  /** Dimension sizes; `[]` is rank 0. */
  readonly shape: readonly number[];
  /** Numeric elements (from `tensor_content` or the typed `*_val` fields), row-major; absent for DT_STRING. */
  readonly numbers?: readonly number[];
  /** String elements (`string_val`, decoded as UTF-8) for DT_STRING tensors. */
  readonly strings?: readonly string[];
}

export interface HistogramProtoData {
  readonly min: number;
  readonly max: number;
  readonly num: number;
  readonly sum: number;
  readonly sumSquares: number;
  /** Right edges; bucket i spans `(bucketLimits[i-1], bucketLimits[i]]`. */
  readonly bucketLimits: readonly number[];
  /** Counts, one per limit. */
  readonly buckets: readonly number[];
}

export interface ImageData {
  readonly height: number;
  readonly width: number;
  readonly colorspace: number;
  readonly encodedImage: Uint8Array;
}

export interface AudioData {
  readonly sampleRate: number;
  readonly numChannels: number;
  readonly lengthFrames: number;
  readonly encodedAudio: Uint8Array;
  readonly contentType: string;
}

export interface SummaryValue {
  readonly tag: string;
  readonly nodeName?: string;
  readonly metadata?: SummaryMetadata;
  readonly simpleValue?: number;
  readonly histogram?: HistogramProtoData;
  readonly image?: ImageData;
  readonly audio?: AudioData;
  readonly tensor?: TensorData;
}

export interface SessionLogData {
  /** 0 UNSPECIFIED, 1 START, 2 STOP, 3 CHECKPOINT. */
  readonly status: number;
  readonly checkpointPath: string;
  readonly message: string;
}

/** One decoded `tensorboard.Event`. Absent oneof members are `undefined`. */
export interface TensorBoardEvent {
  /** Seconds since the Unix epoch. */
  readonly wallTime: number;
  readonly step: number;
  readonly fileVersion?: string;
  readonly graphDef?: Uint8Array;
  readonly summary?: readonly SummaryValue[];
  readonly logMessage?: { readonly level: number; readonly message: string };
  readonly sessionLog?: SessionLogData;
  readonly taggedRunMetadata?: { readonly tag: string; readonly runMetadata: Uint8Array };
  readonly metaGraphDef?: Uint8Array;
  readonly sourceMetadata?: { readonly writer: string };
}

/** A value of the hparams map (`google.protobuf.Value` restricted to what HParams uses). */
export type HParamValue = number | string | boolean;

export interface HParamInfo {
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  /** 0 UNSET, 1 STRING, 2 BOOL, 3 FLOAT64. */
  readonly type: number;
  readonly domainDiscrete?: readonly HParamValue[];
  readonly domainInterval?: { readonly minValue: number; readonly maxValue: number };
}

export interface MetricInfo {
  readonly group: string;
  readonly tag: string;
  readonly displayName: string;
  readonly description: string;
  readonly datasetType: number;
}

export interface HParamsExperiment {
  readonly name: string;
  readonly description: string;
  readonly user: string;
  readonly timeCreatedSecs: number;
  readonly hparamInfos: readonly HParamInfo[];
  readonly metricInfos: readonly MetricInfo[];
}

export interface HParamsSessionStart {
  readonly hparams: Readonly<Record<string, HParamValue>>;
  readonly modelUri: string;
  readonly monitorUrl: string;
  readonly groupName: string;
  readonly startTimeSecs: number;
}

export interface HParamsSessionEnd {
  /** 0 UNKNOWN, 1 SUCCESS, 2 FAILURE, 3 RUNNING. */
  readonly status: number;
  readonly endTimeSecs: number;
}

/** Decoded `HParamsPluginData`. Exactly one of the three members is set in a valid record. */
export interface HParamsPluginData {
  readonly version: number;
  readonly experiment?: HParamsExperiment;
  readonly sessionStartInfo?: HParamsSessionStart;
  readonly sessionEndInfo?: HParamsSessionEnd;
}
