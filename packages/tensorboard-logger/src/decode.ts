/**
 * Decoders for `Event` and the messages nested in it. Unknown fields are skipped; anything
 * malformed throws `ProtoDecodeError` (never reads out of bounds).
 */

import {
  type AudioData,
  DataType,
  type HistogramProtoData,
  type HParamInfo,
  type HParamsExperiment,
  type HParamsPluginData,
  type HParamsSessionEnd,
  type HParamsSessionStart,
  type HParamValue,
  type ImageData,
  type MetricInfo,
  type SessionLogData,
  type SummaryMetadata,
  type SummaryValue,
  type TensorBoardEvent,
  type TensorData,
} from './proto-types';
import {
  ProtoDecodeError,
  ProtoReader,
  WIRE_FIXED32,
  WIRE_FIXED64,
  WIRE_LENGTH_DELIMITED,
  WIRE_VARINT,
} from './protobuf';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Decodes one serialized `Event` from `bytes[start, end)`. */
export function decodeEvent(bytes: Uint8Array, start = 0, end = bytes.length): TensorBoardEvent {
  const reader = new ProtoReader(bytes, start, end);
  const event: Mutable<TensorBoardEvent> = { wallTime: 0, step: 0 };
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_FIXED64) event.wallTime = reader.double();
    else if (field === 2 && wire === WIRE_VARINT) event.step = reader.varint();
    else if (field === 3 && wire === WIRE_LENGTH_DELIMITED) event.fileVersion = reader.string();
    else if (field === 4 && wire === WIRE_LENGTH_DELIMITED) event.graphDef = reader.bytesField();
    else if (field === 5 && wire === WIRE_LENGTH_DELIMITED) event.summary = decodeSummary(reader.sub());
    else if (field === 6 && wire === WIRE_LENGTH_DELIMITED) event.logMessage = decodeLogMessage(reader.sub());
    else if (field === 7 && wire === WIRE_LENGTH_DELIMITED) event.sessionLog = decodeSessionLog(reader.sub());
    else if (field === 8 && wire === WIRE_LENGTH_DELIMITED)
      event.taggedRunMetadata = decodeTaggedRunMetadata(reader.sub());
    else if (field === 9 && wire === WIRE_LENGTH_DELIMITED) event.metaGraphDef = reader.bytesField();
    else if (field === 10 && wire === WIRE_LENGTH_DELIMITED)
      event.sourceMetadata = decodeSourceMetadata(reader.sub());
    else reader.skip(wire);
  }
  return event;
}

function decodeSummary(reader: ProtoReader): SummaryValue[] {
  const values: SummaryValue[] = [];
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_LENGTH_DELIMITED) values.push(decodeSummaryValue(reader.sub()));
    else reader.skip(wire);
  }
  return values;
}

function decodeSummaryValue(reader: ProtoReader): SummaryValue {
  const value: Mutable<SummaryValue> = { tag: '' };
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_LENGTH_DELIMITED) value.tag = reader.string();
    else if (field === 2 && wire === WIRE_FIXED32) value.simpleValue = reader.float();
    else if (field === 4 && wire === WIRE_LENGTH_DELIMITED) value.image = decodeImage(reader.sub());
    else if (field === 5 && wire === WIRE_LENGTH_DELIMITED) value.histogram = decodeHistogram(reader.sub());
    else if (field === 6 && wire === WIRE_LENGTH_DELIMITED) value.audio = decodeAudio(reader.sub());
    else if (field === 7 && wire === WIRE_LENGTH_DELIMITED) value.nodeName = reader.string();
    else if (field === 8 && wire === WIRE_LENGTH_DELIMITED) value.tensor = decodeTensor(reader.sub());
    else if (field === 9 && wire === WIRE_LENGTH_DELIMITED)
      value.metadata = decodeSummaryMetadata(reader.sub());
    else reader.skip(wire);
  }
  return value;
}

function decodeSummaryMetadata(reader: ProtoReader): SummaryMetadata {
  const metadata: Mutable<SummaryMetadata> = { dataClass: 0 };
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_LENGTH_DELIMITED) {
      const plugin = reader.sub();
      metadata.pluginName ??= '';
      while (!plugin.done) {
        const [pluginField, pluginWire] = plugin.key();
        if (pluginField === 1 && pluginWire === WIRE_LENGTH_DELIMITED) metadata.pluginName = plugin.string();
        else if (pluginField === 2 && pluginWire === WIRE_LENGTH_DELIMITED)
          metadata.pluginContent = plugin.bytesField();
        else plugin.skip(pluginWire);
      }
    } else if (field === 2 && wire === WIRE_LENGTH_DELIMITED) metadata.displayName = reader.string();
    else if (field === 3 && wire === WIRE_LENGTH_DELIMITED) metadata.summaryDescription = reader.string();
    else if (field === 4 && wire === WIRE_VARINT) metadata.dataClass = reader.varint();
    else reader.skip(wire);
  }
  return metadata;
}

function decodeHistogram(reader: ProtoReader): HistogramProtoData {
  const histogram = {
    min: 0,
    max: 0,
    num: 0,
    sum: 0,
    sumSquares: 0,
    bucketLimits: [] as number[],
    buckets: [] as number[],
  };
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field >= 1 && field <= 5 && wire === WIRE_FIXED64) {
      const v = reader.double();
      if (field === 1) histogram.min = v;
      else if (field === 2) histogram.max = v;
      else if (field === 3) histogram.num = v;
      else if (field === 4) histogram.sum = v;
      else histogram.sumSquares = v;
    } else if (field === 6 && (wire === WIRE_FIXED64 || wire === WIRE_LENGTH_DELIMITED))
      reader.repeatedDouble(wire, histogram.bucketLimits);
    else if (field === 7 && (wire === WIRE_FIXED64 || wire === WIRE_LENGTH_DELIMITED))
      reader.repeatedDouble(wire, histogram.buckets);
    else reader.skip(wire);
  }
  return histogram;
}

function decodeImage(reader: ProtoReader): ImageData {
  const image: Mutable<ImageData> = { height: 0, width: 0, colorspace: 0, encodedImage: new Uint8Array(0) };
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_VARINT) image.height = reader.varint();
    else if (field === 2 && wire === WIRE_VARINT) image.width = reader.varint();
    else if (field === 3 && wire === WIRE_VARINT) image.colorspace = reader.varint();
    else if (field === 4 && wire === WIRE_LENGTH_DELIMITED) image.encodedImage = reader.bytesField();
    else reader.skip(wire);
  }
  return image;
}

function decodeAudio(reader: ProtoReader): AudioData {
  const audio: Mutable<AudioData> = {
    sampleRate: 0,
    numChannels: 0,
    lengthFrames: 0,
    encodedAudio: new Uint8Array(0),
    contentType: '',
  };
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_FIXED32) audio.sampleRate = reader.float();
    else if (field === 2 && wire === WIRE_VARINT) audio.numChannels = reader.varint();
    else if (field === 3 && wire === WIRE_VARINT) audio.lengthFrames = reader.varint();
    else if (field === 4 && wire === WIRE_LENGTH_DELIMITED) audio.encodedAudio = reader.bytesField();
    else if (field === 5 && wire === WIRE_LENGTH_DELIMITED) audio.contentType = reader.string();
    else reader.skip(wire);
  }
  return audio;
}

function decodeTensorShape(reader: ProtoReader): number[] {
  const dims: number[] = [];
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 2 && wire === WIRE_LENGTH_DELIMITED) {
      const dim = reader.sub();
      let size = 0;
      while (!dim.done) {
        const [dimField, dimWire] = dim.key();
        if (dimField === 1 && dimWire === WIRE_VARINT) size = dim.varint();
        else dim.skip(dimWire);
      }
      dims.push(size);
    } else reader.skip(wire);
  }
  return dims;
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function decodeTensorContent(
  dtype: number,
  bytes: Uint8Array,
  start: number,
  end: number,
): number[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, end - start);
  const length = end - start;
  const out: number[] = [];
  const read = (width: number, get: (offset: number) => number): number[] | undefined => {
    if (length % width !== 0)
      throw new ProtoDecodeError(`tensor_content of ${length} bytes is not a multiple of ${width}`);
    for (let p = 0; p < length; p += width) out.push(get(p));
    return out;
  };
  switch (dtype) {
    case DataType.DT_FLOAT:
      return read(4, (p) => view.getFloat32(p, true));
    case DataType.DT_DOUBLE:
      return read(8, (p) => view.getFloat64(p, true));
    case DataType.DT_INT32:
      return read(4, (p) => view.getInt32(p, true));
    case DataType.DT_UINT8:
      return read(1, (p) => view.getUint8(p));
    case DataType.DT_INT16:
      return read(2, (p) => view.getInt16(p, true));
    case DataType.DT_INT8:
      return read(1, (p) => view.getInt8(p));
    case DataType.DT_INT64:
      return read(8, (p) => view.getInt32(p + 4, true) * 4294967296 + view.getUint32(p, true));
    case DataType.DT_BOOL:
      return read(1, (p) => (view.getUint8(p) === 0 ? 0 : 1));
    case DataType.DT_HALF:
      return read(2, (p) => halfToFloat(view.getUint16(p, true)));
    default:
      return undefined;
  }
}

function decodeTensor(reader: ProtoReader): TensorData {
  let dtype = 0;
  let shape: number[] = [];
  let content: [number, number] | undefined;
  const floatVal: number[] = [];
  const doubleVal: number[] = [];
  const intVal: number[] = [];
  const int64Val: number[] = [];
  const boolVal: number[] = [];
  const halfVal: number[] = [];
  const strings: string[] = [];
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_VARINT) dtype = reader.varint();
    else if (field === 2 && wire === WIRE_LENGTH_DELIMITED) shape = decodeTensorShape(reader.sub());
    else if (field === 4 && wire === WIRE_LENGTH_DELIMITED) content = reader.delimited();
    else if (field === 5 && (wire === WIRE_FIXED32 || wire === WIRE_LENGTH_DELIMITED))
      reader.repeatedFloat(wire, floatVal);
    else if (field === 6 && (wire === WIRE_FIXED64 || wire === WIRE_LENGTH_DELIMITED))
      reader.repeatedDouble(wire, doubleVal);
    else if (field === 7 && (wire === WIRE_VARINT || wire === WIRE_LENGTH_DELIMITED))
      reader.repeatedVarint(wire, intVal);
    else if (field === 8 && wire === WIRE_LENGTH_DELIMITED) strings.push(reader.string());
    else if (field === 10 && (wire === WIRE_VARINT || wire === WIRE_LENGTH_DELIMITED))
      reader.repeatedVarint(wire, int64Val);
    else if (field === 11 && (wire === WIRE_VARINT || wire === WIRE_LENGTH_DELIMITED))
      reader.repeatedVarint(wire, boolVal);
    else if (field === 13 && (wire === WIRE_VARINT || wire === WIRE_LENGTH_DELIMITED))
      reader.repeatedVarint(wire, halfVal);
    else reader.skip(wire);
  }
  if (dtype === DataType.DT_STRING) return { dtype, shape, strings };
  let numbers: number[] | undefined;
  if (content !== undefined && content[1] > content[0]) {
    numbers = decodeTensorContent(dtype, reader.bytes, content[0], content[1]);
  } else {
    switch (dtype) {
      case DataType.DT_FLOAT:
        numbers = floatVal;
        break;
      case DataType.DT_DOUBLE:
        numbers = doubleVal;
        break;
      case DataType.DT_INT32:
      case DataType.DT_UINT8:
      case DataType.DT_INT16:
      case DataType.DT_INT8:
        // int_val holds int32 values as (sign-extended) varints.
        numbers = intVal.map((v) => (v > 0x7fffffff ? v - 4294967296 : v));
        break;
      case DataType.DT_INT64:
        numbers = int64Val;
        break;
      case DataType.DT_BOOL:
        numbers = boolVal.map((v) => (v === 0 ? 0 : 1));
        break;
      case DataType.DT_HALF:
        numbers = halfVal.map((v) => halfToFloat(v & 0xffff));
        break;
      default:
        numbers = undefined;
    }
  }
  return numbers === undefined ? { dtype, shape } : { dtype, shape, numbers };
}

function decodeLogMessage(reader: ProtoReader): { level: number; message: string } {
  const log = { level: 0, message: '' };
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_VARINT) log.level = reader.varint();
    else if (field === 2 && wire === WIRE_LENGTH_DELIMITED) log.message = reader.string();
    else reader.skip(wire);
  }
  return log;
}

function decodeSessionLog(reader: ProtoReader): SessionLogData {
  const log = { status: 0, checkpointPath: '', message: '' };
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_VARINT) log.status = reader.varint();
    else if (field === 2 && wire === WIRE_LENGTH_DELIMITED) log.checkpointPath = reader.string();
    else if (field === 3 && wire === WIRE_LENGTH_DELIMITED) log.message = reader.string();
    else reader.skip(wire);
  }
  return log;
}

function decodeTaggedRunMetadata(reader: ProtoReader): { tag: string; runMetadata: Uint8Array } {
  const tagged: { tag: string; runMetadata: Uint8Array } = { tag: '', runMetadata: new Uint8Array(0) };
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_LENGTH_DELIMITED) tagged.tag = reader.string();
    else if (field === 2 && wire === WIRE_LENGTH_DELIMITED) tagged.runMetadata = reader.bytesField();
    else reader.skip(wire);
  }
  return tagged;
}

function decodeSourceMetadata(reader: ProtoReader): { writer: string } {
  const source = { writer: '' };
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_LENGTH_DELIMITED) source.writer = reader.string();
    else reader.skip(wire);
  }
  return source;
}

// ---------------------------------------------------------------------------------------------
// hparams plugin (tensorboard/plugins/hparams/plugin_data.proto, api.proto)

/** Decodes `plugin_data.content` of an `hparams` summary value. Throws `ProtoDecodeError` on malformed bytes. */
export function decodeHParamsPluginData(bytes: Uint8Array): HParamsPluginData {
  const reader = new ProtoReader(bytes);
  const data: Mutable<HParamsPluginData> = { version: 0 };
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_VARINT) data.version = reader.varint();
    else if (field === 2 && wire === WIRE_LENGTH_DELIMITED) data.experiment = decodeExperiment(reader.sub());
    else if (field === 3 && wire === WIRE_LENGTH_DELIMITED)
      data.sessionStartInfo = decodeSessionStart(reader.sub());
    else if (field === 4 && wire === WIRE_LENGTH_DELIMITED)
      data.sessionEndInfo = decodeSessionEnd(reader.sub());
    else reader.skip(wire);
  }
  return data;
}

/** `google.protobuf.Value`: returns number, string or boolean; `undefined` for null/struct/list. */
function decodeValue(reader: ProtoReader): HParamValue | undefined {
  let value: HParamValue | undefined;
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 2 && wire === WIRE_FIXED64) value = reader.double();
    else if (field === 3 && wire === WIRE_LENGTH_DELIMITED) value = reader.string();
    else if (field === 4 && wire === WIRE_VARINT) value = reader.varint() !== 0;
    else reader.skip(wire);
  }
  return value;
}

function decodeListValue(reader: ProtoReader): HParamValue[] {
  const values: HParamValue[] = [];
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_LENGTH_DELIMITED) {
      const value = decodeValue(reader.sub());
      if (value !== undefined) values.push(value);
    } else reader.skip(wire);
  }
  return values;
}

function decodeExperiment(reader: ProtoReader): HParamsExperiment {
  const experiment = {
    name: '',
    description: '',
    user: '',
    timeCreatedSecs: 0,
    hparamInfos: [] as HParamInfo[],
    metricInfos: [] as MetricInfo[],
  };
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_LENGTH_DELIMITED) experiment.description = reader.string();
    else if (field === 2 && wire === WIRE_LENGTH_DELIMITED) experiment.user = reader.string();
    else if (field === 3 && wire === WIRE_FIXED64) experiment.timeCreatedSecs = reader.double();
    else if (field === 4 && wire === WIRE_LENGTH_DELIMITED)
      experiment.hparamInfos.push(decodeHParamInfo(reader.sub()));
    else if (field === 5 && wire === WIRE_LENGTH_DELIMITED)
      experiment.metricInfos.push(decodeMetricInfo(reader.sub()));
    else if (field === 6 && wire === WIRE_LENGTH_DELIMITED) experiment.name = reader.string();
    else reader.skip(wire);
  }
  return experiment;
}

function decodeHParamInfo(reader: ProtoReader): HParamInfo {
  const info: Mutable<HParamInfo> = { name: '', displayName: '', description: '', type: 0 };
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_LENGTH_DELIMITED) info.name = reader.string();
    else if (field === 2 && wire === WIRE_LENGTH_DELIMITED) info.displayName = reader.string();
    else if (field === 3 && wire === WIRE_LENGTH_DELIMITED) info.description = reader.string();
    else if (field === 4 && wire === WIRE_VARINT) info.type = reader.varint();
    else if (field === 5 && wire === WIRE_LENGTH_DELIMITED)
      info.domainDiscrete = decodeListValue(reader.sub());
    else if (field === 6 && wire === WIRE_LENGTH_DELIMITED) {
      const interval = reader.sub();
      const domain = { minValue: 0, maxValue: 0 };
      while (!interval.done) {
        const [intervalField, intervalWire] = interval.key();
        if (intervalField === 1 && intervalWire === WIRE_FIXED64) domain.minValue = interval.double();
        else if (intervalField === 2 && intervalWire === WIRE_FIXED64) domain.maxValue = interval.double();
        else interval.skip(intervalWire);
      }
      info.domainInterval = domain;
    } else reader.skip(wire);
  }
  return info;
}

function decodeMetricInfo(reader: ProtoReader): MetricInfo {
  const info = { group: '', tag: '', displayName: '', description: '', datasetType: 0 };
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_LENGTH_DELIMITED) {
      const name = reader.sub();
      while (!name.done) {
        const [nameField, nameWire] = name.key();
        if (nameField === 1 && nameWire === WIRE_LENGTH_DELIMITED) info.group = name.string();
        else if (nameField === 2 && nameWire === WIRE_LENGTH_DELIMITED) info.tag = name.string();
        else name.skip(nameWire);
      }
    } else if (field === 3 && wire === WIRE_LENGTH_DELIMITED) info.displayName = reader.string();
    else if (field === 4 && wire === WIRE_LENGTH_DELIMITED) info.description = reader.string();
    else if (field === 5 && wire === WIRE_VARINT) info.datasetType = reader.varint();
    else reader.skip(wire);
  }
  return info;
}

function decodeSessionStart(reader: ProtoReader): HParamsSessionStart {
  const hparams: Record<string, HParamValue> = Object.create(null);
  const start = { hparams, modelUri: '', monitorUrl: '', groupName: '', startTimeSecs: 0 };
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_LENGTH_DELIMITED) {
      const entry = reader.sub();
      let key = '';
      let value: HParamValue | undefined;
      while (!entry.done) {
        const [entryField, entryWire] = entry.key();
        if (entryField === 1 && entryWire === WIRE_LENGTH_DELIMITED) key = entry.string();
        else if (entryField === 2 && entryWire === WIRE_LENGTH_DELIMITED) value = decodeValue(entry.sub());
        else entry.skip(entryWire);
      }
      if (value !== undefined) hparams[key] = value;
    } else if (field === 2 && wire === WIRE_LENGTH_DELIMITED) start.modelUri = reader.string();
    else if (field === 3 && wire === WIRE_LENGTH_DELIMITED) start.monitorUrl = reader.string();
    else if (field === 4 && wire === WIRE_LENGTH_DELIMITED) start.groupName = reader.string();
    else if (field === 5 && wire === WIRE_FIXED64) start.startTimeSecs = reader.double();
    else reader.skip(wire);
  }
  return start;
}

function decodeSessionEnd(reader: ProtoReader): HParamsSessionEnd {
  const end = { status: 0, endTimeSecs: 0 };
  while (!reader.done) {
    const [field, wire] = reader.key();
    if (field === 1 && wire === WIRE_VARINT) end.status = reader.varint();
    else if (field === 2 && wire === WIRE_FIXED64) end.endTimeSecs = reader.double();
    else reader.skip(wire);
  }
  return end;
}
