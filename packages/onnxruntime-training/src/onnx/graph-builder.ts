/**
 * Builds the node list of an ONNX graph: inputs, constants (initializers), operators with
 * fresh value names, and graph outputs that take over the name of the value producing them.
 */
import {
  type AttributeValue,
  DataType,
  type DataTypeName,
  type Dimension,
  encodeModel,
  type NodeValue,
  type TensorValue,
  type ValueInfo,
} from './protobuf';

export const attribute = {
  int: (value: number): AttributeValue => ({ type: 'int', value }),
  ints: (value: readonly number[]): AttributeValue => ({ type: 'ints', value }),
  float: (value: number): AttributeValue => ({ type: 'float', value }),
  string: (value: string): AttributeValue => ({ type: 'string', value }),
};

interface MutableNode {
  opType: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, AttributeValue>;
}

export const OPSET_VERSION = 18;
export const IR_VERSION = 8;

export class GraphBuilder {
  private readonly nodes: MutableNode[] = [];
  private readonly initializers: TensorValue[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly producers = new Map<string, MutableNode>();
  private readonly constants = new Map<string, string>();
  /** Old value name -> graph output name it was renamed to. */
  private readonly renamed = new Map<string, string>();
  private counter = 0;

  constructor(
    readonly name: string,
    /** Element type of parameters, activations and the learning rate. */
    readonly dtype: 'float32' | 'float64',
  ) {}

  private fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  input(name: string, dataType: DataTypeName, shape: readonly Dimension[]): string {
    this.inputs.push({ name, dataType, shape });
    return name;
  }

  /** A scalar (dims `[]`) or vector constant of the graph's float type, shared when repeated. */
  scalar(value: number): string {
    return this.constant(this.dtype, [value], []);
  }

  /** A float64 scalar constant, whatever the graph's float type (for scalar math done in double precision). */
  scalar64(value: number): string {
    return this.constant('float64', [value], []);
  }

  /** An int64 vector constant (axes, shapes, indices). */
  int64s(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.constant('int64', values, dims);
  }

  private constant(
    kind: 'float32' | 'float64' | 'int64',
    values: readonly number[],
    dims: readonly number[],
  ): string {
    const key = `${kind}|${dims.join(',')}|${values.join(',')}`;
    if (values.length <= 64) {
      const existing = this.constants.get(key);
      if (existing) return existing;
    }
    const name = this.fresh(kind === 'int64' ? 'const_i64' : 'const');
    const data =
      kind === 'int64'
        ? BigInt64Array.from(values, (value) => BigInt(value))
        : kind === 'float64'
          ? Float64Array.from(values)
          : Float32Array.from(values);
    this.initializers.push({ name, dataType: kind, dims, data });
    if (values.length <= 64) this.constants.set(key, name);
    return name;
  }

  /** Adds one node; returns its single output name. */
  op(opType: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}): string {
    return this.opMulti(opType, inputs, 1, attributes)[0]!;
  }

  /** A `Cast` of `value` to element type `to`. */
  cast(value: string, to: DataTypeName): string {
    return this.op('Cast', [value], { to: attribute.int(DataType[to]) });
  }

  /** Adds one node with several outputs. */
  opMulti(
    opType: string,
    inputs: readonly string[],
    outputCount: number,
    attributes: Record<string, AttributeValue> = {},
  ): string[] {
    const outputs = Array.from({ length: outputCount }, () => this.fresh(opType));
    const node: MutableNode = {
      opType,
      name: this.fresh(`node_${opType}`),
      inputs: inputs.map((input) => this.resolve(input)),
      outputs,
      attributes,
    };
    this.nodes.push(node);
    for (const output of outputs) this.producers.set(output, node);
    return outputs;
  }

  /**
   * Declares `value` as the graph output `outputName`. The producing node's output is renamed
   * (no copy); a value that is a graph input, an initializer or already an output gets an
   * `Identity` node, so an output never aliases an input.
   */
  output(requested: string, outputName: string, dataType: DataTypeName, shape: readonly Dimension[]): void {
    const value = this.resolve(requested);
    const producer = this.producers.get(value);
    const alreadyOutput = this.outputs.some((output) => output.name === value);
    if (producer && !alreadyOutput) {
      producer.outputs = producer.outputs.map((name) => (name === value ? outputName : name));
      for (const node of this.nodes)
        node.inputs = node.inputs.map((name) => (name === value ? outputName : name));
      this.producers.delete(value);
      this.producers.set(outputName, producer);
      this.renamed.set(value, outputName);
    } else {
      const node: MutableNode = {
        opType: 'Identity',
        name: this.fresh('node_Identity'),
        inputs: [value],
        outputs: [outputName],
        attributes: {},
      };
      this.nodes.push(node);
      this.producers.set(outputName, node);
    }
    this.outputs.push({ name: outputName, dataType, shape });
  }

  private resolve(name: string): string {
    return this.renamed.get(name) ?? name;
  }

  /** ONNX ModelProto bytes (opset 18, IR version 8). */
  encode(metadata: Record<string, string> = {}): Uint8Array {
    const nodes: NodeValue[] = this.nodes.map((node) => ({ ...node }));
    return encodeModel({
      irVersion: IR_VERSION,
      opsetVersion: OPSET_VERSION,
      producerName: '@anneal/onnxruntime-training',
      producerVersion: '1',
      graph: {
        name: this.name,
        nodes,
        initializers: this.initializers,
        inputs: this.inputs,
        outputs: this.outputs,
      },
      metadata,
    });
  }
}
