/**
 * A small protobuf writer for the subset of ONNX's ModelProto this package emits (field numbers
 * from onnx/onnx.proto). Varints, length-delimited fields and little-endian fixed32 floats are
 * written explicitly; tensor payloads go into `raw_data` as little-endian bytes.
 */
import { littleEndianBytes } from '../byte-order';

/** ONNX TensorProto.DataType values used here. */
export const DataType = { float32: 1, int64: 7, bool: 9, float64: 11 } as const;
export type DataTypeName = keyof typeof DataType;

/** ONNX AttributeProto.AttributeType values used here. */
export const AttributeType = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

export type TensorData = Float32Array | Float64Array | BigInt64Array | Uint8Array;

export interface TensorValue {
  readonly name?: string;
  readonly dataType: DataTypeName;
  readonly dims: readonly number[];
  readonly data: TensorData;
}

export type AttributeValue =
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'tensor'; readonly value: TensorValue }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'ints'; readonly value: readonly number[] };

export interface NodeValue {
  readonly opType: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, AttributeValue>>;
}

/** A dimension is a fixed size or a symbolic name (e.g. `'batch'`). */
export type Dimension = number | string;

export interface ValueInfo {
  readonly name: string;
  readonly dataType: DataTypeName;
  readonly shape: readonly Dimension[];
}

export interface GraphValue {
  readonly name: string;
  readonly nodes: readonly NodeValue[];
  readonly initializers: readonly TensorValue[];
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
}

export interface ModelValue {
  readonly irVersion: number;
  readonly opsetVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly graph: GraphValue;
  readonly metadata?: Readonly<Record<string, string>>;
}

const utf8 = new TextEncoder();

/** Append-only protobuf encoder. */
export class ProtobufWriter {
  private buffer = new Uint8Array(256);
  private length = 0;
  private readonly view = () =>
    new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  private byte(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  /** Unsigned varint; negative numbers are written as their 64-bit two's complement (10 bytes), as protobuf does for int64. */
  varint(value: number | bigint): void {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 2 ** 31) {
      let rest = value;
      while (rest > 127) {
        this.byte((rest & 127) | 128);
        rest >>>= 7;
      }
      this.byte(rest);
      return;
    }
    let rest = BigInt.asUintN(64, BigInt(value));
    while (rest > 127n) {
      this.byte(Number(rest & 127n) | 128);
      rest >>= 7n;
    }
    this.byte(Number(rest));
  }

  private tag(field: number, wireType: 0 | 2 | 5): void {
    this.varint(field * 8 + wireType);
  }

  int(field: number, value: number | bigint): void {
    this.tag(field, 0);
    this.varint(value);
  }

  float32(field: number, value: number): void {
    this.tag(field, 5);
    this.ensure(4);
    this.view().setFloat32(this.length, value, true);
    this.length += 4;
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, 2);
    this.varint(value.length);
    this.ensure(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  string(field: number, value: string): void {
    this.bytes(field, utf8.encode(value));
  }

  message(field: number, write: (writer: ProtobufWriter) => void): void {
    const inner = new ProtobufWriter();
    write(inner);
    this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

function writeTensor(writer: ProtobufWriter, tensor: TensorValue): void {
  for (const dim of tensor.dims) writer.int(1, dim); // dims
  writer.int(2, DataType[tensor.dataType]); // data_type
  if (tensor.name) writer.string(8, tensor.name); // name
  writer.bytes(9, littleEndianBytes(tensor.data)); // raw_data
}

function writeValueInfo(writer: ProtobufWriter, info: ValueInfo): void {
  writer.string(1, info.name);
  writer.message(2, (type) =>
    // TypeProto.tensor_type
    type.message(1, (tensorType) => {
      tensorType.int(1, DataType[info.dataType]); // elem_type
      tensorType.message(2, (shape) => {
        for (const dim of info.shape) {
          shape.message(1, (dimension) =>
            typeof dim === 'string' ? dimension.string(2, dim) : dimension.int(1, dim),
          );
        }
      });
    }),
  );
}

function writeAttribute(writer: ProtobufWriter, name: string, attribute: AttributeValue): void {
  writer.string(1, name);
  writer.int(20, AttributeType[attribute.type]);
  switch (attribute.type) {
    case 'float':
      writer.float32(2, attribute.value);
      break;
    case 'int':
      writer.int(3, attribute.value);
      break;
    case 'string':
      writer.string(4, attribute.value);
      break;
    case 'tensor':
      writer.message(5, (tensor) => writeTensor(tensor, attribute.value));
      break;
    case 'floats':
      for (const value of attribute.value) writer.float32(7, value);
      break;
    case 'ints':
      for (const value of attribute.value) writer.int(8, value);
      break;
  }
}

/** Serializes a model to ONNX ModelProto bytes. */
export function encodeModel(model: ModelValue): Uint8Array {
  const writer = new ProtobufWriter();
  writer.int(1, model.irVersion); // ir_version
  writer.string(2, model.producerName); // producer_name
  writer.string(3, model.producerVersion); // producer_version
  writer.message(7, (graph) => {
    for (const node of model.graph.nodes) {
      graph.message(1, (nodeWriter) => {
        for (const input of node.inputs) nodeWriter.string(1, input);
        for (const output of node.outputs) nodeWriter.string(2, output);
        nodeWriter.string(3, node.name);
        nodeWriter.string(4, node.opType);
        for (const [name, attribute] of Object.entries(node.attributes)) {
          nodeWriter.message(5, (attributeWriter) => writeAttribute(attributeWriter, name, attribute));
        }
      });
    }
    graph.string(2, model.graph.name);
    for (const tensor of model.graph.initializers)
      graph.message(5, (tensorWriter) => writeTensor(tensorWriter, tensor));
    for (const input of model.graph.inputs) graph.message(11, (info) => writeValueInfo(info, input));
    for (const output of model.graph.outputs) graph.message(12, (info) => writeValueInfo(info, output));
  });
  writer.message(8, (opset) => opset.int(2, model.opsetVersion)); // opset_import (default domain)
  for (const [key, value] of Object.entries(model.metadata ?? {})) {
    writer.message(14, (entry) => {
      entry.string(1, key);
      entry.string(2, value);
    });
  }
  return writer.finish();
}
