/**
 * Per-run aggregation of decoded events into scalar, histogram and text series and hparams, as
 * TensorBoard's dashboards read them. No I/O: `node-reader.ts` feeds it the records of a run's files.
 */

import { decodeHParamsPluginData } from './decode';
import type { EventRecord, TruncatedTail } from './decode-records';
import { CorruptRecordError } from './errors';
import type {
  HistogramProtoData,
  HParamsExperiment,
  HParamsSessionEnd,
  HParamsSessionStart,
  SummaryMetadata,
  SummaryValue,
} from './proto-types';
import { ProtoDecodeError } from './protobuf';

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

export type MutableRun = {
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

export function addValue(run: MutableRun, value: SummaryValue, record: EventRecord, file: string): void {
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

export function emptyRun(): MutableRun {
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
