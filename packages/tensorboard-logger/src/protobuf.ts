/**
 * Minimal protocol-buffers wire format: a growable writer and a bounds-checked reader, both with
 * explicit little-endian `DataView` access. Only what the TensorBoard messages need.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: false });

export function encodeUtf8(text: string): Uint8Array {
  return textEncoder.encode(text);
}

export function decodeUtf8(bytes: Uint8Array): string {
  return textDecoder.decode(bytes);
}

/** Number of bytes of the varint encoding of a non-negative integer below 2^64 (given as a number). */
export function varintSize(value: number): number {
  let size = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

/** Writes the varint of a non-negative safe integer at `pos`; returns the position after it. */
export function writeVarintAt(target: Uint8Array, pos: number, value: number): number {
  while (value >= 128) {
    target[pos++] = (value & 127) | 128;
    value = Math.floor(value / 128);
  }
  target[pos++] = value;
  return pos;
}

/** Growable protobuf writer. Fields are appended in call order (callers emit them in field-number order). */
export class ProtoWriter {
  private buffer = new Uint8Array(64);
  private view = new DataView(this.buffer.buffer);
  private pos = 0;

  get length(): number {
    return this.pos;
  }

  private reserve(extra: number): void {
    if (this.pos + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.pos));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  /** Raw varint (no tag) of a non-negative safe integer. */
  varint(value: number): this {
    this.reserve(10);
    this.pos = writeVarintAt(this.buffer, this.pos, value);
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  uint64Field(field: number, value: number): this {
    return this.tag(field, WIRE_VARINT).varint(value);
  }

  boolField(field: number, value: boolean): this {
    return this.tag(field, WIRE_VARINT).varint(value ? 1 : 0);
  }

  doubleField(field: number, value: number): this {
    this.tag(field, WIRE_FIXED64);
    this.reserve(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
    return this;
  }

  floatField(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    this.reserve(4);
    this.view.setFloat32(this.pos, value, true);
    this.pos += 4;
    return this;
  }

  bytesField(field: number, bytes: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED).varint(bytes.length);
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }

  stringField(field: number, text: string): this {
    return this.bytesField(field, encodeUtf8(text));
  }

  /** Packed repeated double. */
  packedDoubleField(field: number, values: readonly number[]): this {
    this.tag(field, WIRE_LENGTH_DELIMITED).varint(values.length * 8);
    this.reserve(values.length * 8);
    for (const value of values) {
      this.view.setFloat64(this.pos, value, true);
      this.pos += 8;
    }
    return this;
  }

  /** Embedded message built by `build` into a fresh writer. */
  messageField(field: number, build: (writer: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytesField(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.pos);
  }
}

/** Thrown by {@link ProtoReader} on malformed input; the record reader turns it into a `CorruptRecordError`. */
export class ProtoDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtoDecodeError';
  }
}

/** Bounds-checked protobuf reader over `bytes[start, end)`. Every read that would overrun throws {@link ProtoDecodeError}. */
export class ProtoReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  pos: number;
  readonly end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
    this.end = end;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a varint of up to 64 bits as a number (exact below 2^53; negative int64 values come back negative). */
  varint(): number {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtoDecodeError('varint runs past the end of the message');
      const byte = this.bytes[this.pos++]!;
      if (shift < 28) lo |= (byte & 127) << shift;
      else if (shift === 28) {
        lo |= (byte & 15) << 28;
        hi |= (byte & 127) >>> 4;
      } else hi |= (byte & 127) << (shift - 32);
      shift += 7;
      if ((byte & 128) === 0) {
        lo >>>= 0;
        if (hi & 0x80000000) return (hi | 0) * 4294967296 + lo;
        return (hi >>> 0) * 4294967296 + lo;
      }
    }
    throw new ProtoDecodeError('varint longer than 10 bytes');
  }

  /** Reads a field key; returns `[field, wireType]`. */
  key(): [number, number] {
    const key = this.varint();
    const field = Math.floor(key / 8);
    if (field < 1 || key < 0) throw new ProtoDecodeError(`invalid field number ${field}`);
    return [field, key & 7];
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new ProtoDecodeError('fixed64 runs past the end of the message');
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  float(): number {
    if (this.pos + 4 > this.end) throw new ProtoDecodeError('fixed32 runs past the end of the message');
    const value = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return value;
  }

  /** Reads a length prefix and returns `[start, end)` of the delimited bytes, advancing past them. */
  delimited(): [number, number] {
    const length = this.varint();
    if (length < 0 || this.pos + length > this.end) {
      throw new ProtoDecodeError(
        `length-delimited field of ${length} bytes runs past the end of the message`,
      );
    }
    const start = this.pos;
    this.pos += length;
    return [start, this.pos];
  }

  bytesField(): Uint8Array {
    const [start, end] = this.delimited();
    return this.bytes.slice(start, end);
  }

  string(): string {
    const [start, end] = this.delimited();
    return decodeUtf8(this.bytes.subarray(start, end));
  }

  sub(): ProtoReader {
    const [start, end] = this.delimited();
    return new ProtoReader(this.bytes, start, end);
  }

  /** Reads a repeated double field given either packed (wire type 2) or one element (wire type 1). */
  repeatedDouble(wireType: number, into: number[]): void {
    if (wireType === WIRE_FIXED64) {
      into.push(this.double());
      return;
    }
    this.expectWire(wireType, WIRE_LENGTH_DELIMITED);
    const [start, end] = this.delimited();
    if ((end - start) % 8 !== 0)
      throw new ProtoDecodeError('packed double field length is not a multiple of 8');
    for (let p = start; p < end; p += 8) into.push(this.view.getFloat64(p, true));
  }

  repeatedFloat(wireType: number, into: number[]): void {
    if (wireType === WIRE_FIXED32) {
      into.push(this.float());
      return;
    }
    this.expectWire(wireType, WIRE_LENGTH_DELIMITED);
    const [start, end] = this.delimited();
    if ((end - start) % 4 !== 0)
      throw new ProtoDecodeError('packed float field length is not a multiple of 4');
    for (let p = start; p < end; p += 4) into.push(this.view.getFloat32(p, true));
  }

  repeatedVarint(wireType: number, into: number[]): void {
    if (wireType === WIRE_VARINT) {
      into.push(this.varint());
      return;
    }
    this.expectWire(wireType, WIRE_LENGTH_DELIMITED);
    const [start, end] = this.delimited();
    const inner = new ProtoReader(this.bytes, start, end);
    while (!inner.done) into.push(inner.varint());
  }

  expectWire(actual: number, expected: number): void {
    if (actual !== expected) throw new ProtoDecodeError(`wire type ${actual} where ${expected} was expected`);
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        if (this.pos + 8 > this.end) throw new ProtoDecodeError('fixed64 runs past the end of the message');
        this.pos += 8;
        return;
      case WIRE_LENGTH_DELIMITED:
        this.delimited();
        return;
      case WIRE_FIXED32:
        if (this.pos + 4 > this.end) throw new ProtoDecodeError('fixed32 runs past the end of the message');
        this.pos += 4;
        return;
      default:
        throw new ProtoDecodeError(`unsupported wire type ${wireType}`);
    }
  }
}
