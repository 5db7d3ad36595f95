import fc from 'fast-check';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './graph-builder';
import { encodeModel, ProtobufWriter } from './protobuf';

const bytesOf = (write: (w: ProtobufWriter) => void) => {
  const writer = new ProtobufWriter();
  write(writer);
  return Array.from(writer.finish());
};

/** A minimal protobuf reader (the wire format restated): field number → list of raw values. */
function readMessage(bytes: Uint8Array): Map<number, (bigint | Uint8Array | number)[]> {
  const fields = new Map<number, (bigint | Uint8Array | number)[]>();
  let position = 0;
  const varint = () => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = bytes[position++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (position < bytes.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    let value: bigint | Uint8Array | number;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const length = Number(varint());
      value = bytes.subarray(position, position + length);
      position += length;
    } else if (wire === 5) {
      value = new DataView(bytes.buffer, bytes.byteOffset + position, 4).getFloat32(0, true);
      position += 4;
    } else throw new Error(`unexpected wire type ${wire}`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}
const text = (value: unknown) => new TextDecoder().decode(value as Uint8Array);

describe('ProtobufWriter', () => {
  it.each([
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [2 ** 31, [0x80, 0x80, 0x80, 0x80, 0x08]],
    [2 ** 53 - 1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]],
    [-1, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
  ])('varint %d', (value, expected) => {
    expect(bytesOf((w) => w.varint(value))).toEqual(expected);
  });

  it('writes tags, little-endian float32, strings and nested messages', () => {
    expect(bytesOf((w) => w.int(3, 150))).toEqual([0x18, 0x96, 0x01]);
    expect(bytesOf((w) => w.float32(2, 1.5))).toEqual([0x15, 0x00, 0x00, 0xc0, 0x3f]);
    expect(bytesOf((w) => w.string(2, 'testing'))).toEqual([
      0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67,
    ]);
    expect(bytesOf((w) => w.message(3, (inner) => inner.int(1, 150)))).toEqual([
      0x1a, 0x03, 0x08, 0x96, 0x01,
    ]);
  });

  it('varints round-trip through the reader for any int64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (value) => {
        const writer = new ProtobufWriter();
        writer.int(1, value);
        const [decoded] = readMessage(writer.finish()).get(1)!;
        expect(BigInt.asIntN(64, decoded as bigint)).toBe(value);
      }),
    );
  });

  it('grows its buffer for large payloads', () => {
    const payload = Uint8Array.from({ length: 5000 }, (_, i) => i % 251);
    const bytes = bytesOf((w) => w.bytes(1, payload));
    expect(bytes.slice(0, 3)).toEqual([0x0a, 0x88, 0x27]);
    expect(bytes.slice(3)).toEqual(Array.from(payload));
  });
});

describe('encodeModel', () => {
  const g = new GraphBuilder('tiny', 'float64');
  g.input('a', 'float64', ['batch', 2]);
  const scaled = g.op('Mul', ['a', g.scalar(3)]);
  g.output(
    g.op('ReduceSum', [scaled, g.int64s([1])], { keepdims: { type: 'int', value: 0 } }),
    'sum',
    'float64',
    ['batch'],
  );
  const model = g.encode({ note: 'hello' });

  it('writes the ModelProto fields ONNX defines (IR 8, opset 18, graph, metadata)', () => {
    const top = readMessage(model);
    expect(top.get(1)).toEqual([8n]); // ir_version
    expect(text(top.get(2)![0])).toBe('@anneal/onnxruntime-training'); // producer_name
    const opset = readMessage(top.get(8)![0] as Uint8Array);
    expect(opset.get(1)).toBeUndefined(); // default domain
    expect(opset.get(2)).toEqual([18n]);
    const metadata = readMessage(top.get(14)![0] as Uint8Array);
    expect([text(metadata.get(1)![0]), text(metadata.get(2)![0])]).toEqual(['note', 'hello']);
    const graph = readMessage(top.get(7)![0] as Uint8Array);
    expect(text(graph.get(2)![0])).toBe('tiny');
    expect(graph.get(1)!.map((node) => text(readMessage(node as Uint8Array).get(4)![0]))).toEqual([
      'Mul',
      'ReduceSum',
    ]);
    const initializer = readMessage(graph.get(5)![0] as Uint8Array);
    expect(initializer.get(1)).toBeUndefined(); // scalar: no dims
    expect(initializer.get(2)).toEqual([11n]); // DOUBLE
    const raw = initializer.get(9)![0] as Uint8Array;
    expect(new DataView(raw.buffer, raw.byteOffset, 8).getFloat64(0, true)).toBe(3);
    const input = readMessage(graph.get(11)![0] as Uint8Array);
    expect(text(input.get(1)![0])).toBe('a');
    const tensorType = readMessage(readMessage(input.get(2)![0] as Uint8Array).get(1)![0] as Uint8Array);
    expect(tensorType.get(1)).toEqual([11n]);
    const dims = readMessage(tensorType.get(2)![0] as Uint8Array)
      .get(1)!
      .map((d) => readMessage(d as Uint8Array));
    expect(text(dims[0]!.get(2)![0])).toBe('batch');
    expect(dims[1]!.get(1)).toEqual([2n]);
  });

  it('loads and runs in ONNX Runtime', async () => {
    const session = await InferenceSession.create(model);
    const result = await session.run({ a: new Tensor('float64', new Float64Array([1, 2, 3, 4]), [2, 2]) });
    expect(Array.from(result.sum!.data as Float64Array)).toEqual([9, 21]);
    await session.release();
  });

  it('an output that is a graph input gets its own Identity node (outputs never alias inputs)', () => {
    const echo = new GraphBuilder('echo', 'float32');
    echo.input('lr', 'float32', []);
    echo.output('lr', 'lr.copy', 'float32', []);
    const graph = readMessage(readMessage(echo.encode()).get(7)![0] as Uint8Array);
    const node = readMessage(graph.get(1)![0] as Uint8Array);
    expect(text(node.get(4)![0])).toBe('Identity');
    expect([text(node.get(1)![0]), text(node.get(2)![0])]).toEqual(['lr', 'lr.copy']);
  });

  it('encodes attributes of every kind used', () => {
    const bytes = encodeModel({
      irVersion: 8,
      opsetVersion: 18,
      producerName: 'p',
      producerVersion: '1',
      graph: {
        name: 'g',
        nodes: [
          {
            opType: 'X',
            name: 'n',
            inputs: [],
            outputs: ['o'],
            attributes: {
              f: { type: 'float', value: 0.5 },
              i: { type: 'int', value: -2 },
              s: { type: 'string', value: 'add' },
              is: { type: 'ints', value: [1, 2] },
            },
          },
        ],
        initializers: [],
        inputs: [],
        outputs: [],
      },
    });
    const node = readMessage(
      readMessage(readMessage(bytes).get(7)![0] as Uint8Array).get(1)![0] as Uint8Array,
    );
    const attributes = node.get(5)!.map((a) => readMessage(a as Uint8Array));
    expect(attributes.map((a) => [text(a.get(1)![0]), a.get(20)![0]])).toEqual([
      ['f', 1n],
      ['i', 2n],
      ['s', 3n],
      ['is', 7n],
    ]);
    expect(attributes[0]!.get(2)).toEqual([0.5]);
    expect(BigInt.asIntN(64, attributes[1]!.get(3)![0] as bigint)).toBe(-2n);
    expect(text(attributes[2]!.get(4)![0])).toBe('add');
    expect(attributes[3]!.get(8)).toEqual([1n, 2n]);
  });
});
