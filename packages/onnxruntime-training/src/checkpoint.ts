/**
 * Checkpoint files: parameters, optimizer state, the step and the schedule config, checked
 * byte for byte on reading. (In Node, `node/atomic-write.ts` writes them to files atomically.)
 *
 * Layout of format version 2 (little-endian): 8 bytes magic `ANNEALCK`, uint32 format version,
 * uint32 header length, the UTF-8 JSON header, zero padding to a multiple of 8, each tensor's raw
 * data at the offset the header gives (relative to the data start, 8-aligned, zero padding
 * between), then the 32-byte SHA-256 of every byte before it. The checksum covers the whole file
 * (signature, version, header, padding and data), and the header must be exactly what this
 * writer writes for the values it holds: no unknown or missing keys, no other layout, no other
 * spacing. Version 1 recorded the SHA-256 of the data only, inside its header, and is refused.
 */
import { isPlainObject, rejectUnknownKeys, type ScheduleConfig } from '@anneal/core';
import { isLittleEndian, littleEndianBytes } from './byte-order';
import { CheckpointError, formatValue, IssueList } from './errors';
import type { Dtype } from './graph/spec';
import { sha256 } from './sha256';
import { elementCount, formatShape } from './shape';

const MAGIC = 'ANNEALCK';
export const CHECKPOINT_VERSION = 2;
const FORMAT = 'anneal-onnxruntime-training-checkpoint';
/** Magic, version and header length. */
const PREAMBLE_BYTES = 16;
const CHECKSUM_BYTES = 32;

export interface CheckpointTensor {
  readonly name: string;
  readonly role: 'parameter' | 'state';
  readonly shape: readonly number[];
  readonly data: Float32Array | Float64Array;
}

export interface CheckpointFingerprint {
  /** SHA-256 of the graph's trainable interface: names, element types and shapes of parameters, state, x and y. */
  readonly structure: string;
  /** SHA-256 of the model bytes, when the trainer was given them (absent for a bare session). */
  readonly model?: string;
}

export interface Checkpoint {
  readonly version: number;
  /** Updates applied so far: the next `step()` uses the learning rate of this step. */
  readonly step: number;
  readonly dtype: Dtype;
  readonly fingerprint: CheckpointFingerprint;
  /** The schedule's JSON config (`toConfig`), or null for a custom function. */
  readonly schedule: ScheduleConfig | null;
  readonly tensors: readonly CheckpointTensor[];
}

interface HeaderTensor {
  name: string;
  role: 'parameter' | 'state';
  shape: number[];
  offset: number;
  byteLength: number;
}

interface Header {
  format: typeof FORMAT;
  step: number;
  dtype: Dtype;
  fingerprint: CheckpointFingerprint;
  schedule: ScheduleConfig | null;
  tensors: HeaderTensor[];
}

const HEADER_KEYS = ['format', 'step', 'dtype', 'fingerprint', 'schedule', 'tensors'];
const FINGERPRINT_KEYS = ['structure', 'model'];
const TENSOR_KEYS = ['name', 'role', 'shape', 'offset', 'byteLength'];
const SHA256_HEX = /^[0-9a-f]{64}$/;

const align8 = (n: number) => Math.ceil(n / 8) * 8;
const bytesPerElement = (dtype: Dtype) => (dtype === 'float64' ? 8 : 4);

/** The header's JSON exactly as the writer spells it (key order, no spacing). */
function headerText(header: Header): string {
  const { structure, model } = header.fingerprint;
  return JSON.stringify({
    format: header.format,
    step: header.step,
    dtype: header.dtype,
    fingerprint: model === undefined ? { structure } : { structure, model },
    schedule: header.schedule,
    tensors: header.tensors.map(({ name, role, shape, offset, byteLength }) => ({
      name,
      role,
      shape,
      offset,
      byteLength,
    })),
  });
}

/** Serializes a checkpoint to bytes (format version 2). */
export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  let offset = 0;
  const entries: HeaderTensor[] = checkpoint.tensors.map((tensor) => {
    const entry = {
      name: tensor.name,
      role: tensor.role,
      shape: [...tensor.shape],
      offset,
      byteLength: tensor.data.byteLength,
    };
    offset = align8(offset + tensor.data.byteLength);
    return entry;
  });
  const headerBytes = new TextEncoder().encode(
    headerText({
      format: FORMAT,
      step: checkpoint.step,
      dtype: checkpoint.dtype,
      fingerprint: checkpoint.fingerprint,
      schedule: checkpoint.schedule,
      tensors: entries,
    }),
  );
  const payloadStart = align8(PREAMBLE_BYTES + headerBytes.length);
  const checked = payloadStart + offset;
  const out = new Uint8Array(checked + CHECKSUM_BYTES);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, CHECKPOINT_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, PREAMBLE_BYTES);
  checkpoint.tensors.forEach((tensor, i) => {
    out.set(littleEndianBytes(tensor.data), payloadStart + entries[i]!.offset);
  });
  out.set(sha256(out.subarray(0, checked)), checked);
  return out;
}

/** Flags every key of `value` outside `known` as `<path>.<key> must be absent (known keys: ...)`. */
function unknownKeys(value: Record<string, unknown>, known: readonly string[], issues: IssueList): void {
  rejectUnknownKeys(value, known, issues, { expected: `absent (known keys: ${known.join(', ')})` });
}

interface TensorLayout {
  readonly issues: IssueList;
  readonly dtype: unknown;
  /** Where this entry's data must start (NaN once an earlier entry made it unknowable). */
  readonly offset: number;
  /** The index of each name seen so far. */
  readonly seen: Map<string, number>;
}

/** Records what is wrong with tensor entry `index`; returns where the next entry's data must start. */
function checkTensorEntry(entry: unknown, index: number, layout: TensorLayout): number {
  const issues = new IssueList(layout.issues.builder, `header.tensors[${index}]`, layout.issues.issues);
  if (!isPlainObject(entry)) {
    issues.add('', `an object with keys ${TENSOR_KEYS.join(', ')}`, entry);
    return Number.NaN;
  }
  unknownKeys(entry, TENSOR_KEYS, issues);
  const { name, role, shape, offset, byteLength } = entry;
  if (typeof name !== 'string' || name.length === 0) issues.add('name', 'a non-empty string', name);
  else if (layout.seen.has(name))
    issues.add('name', `unique (tensors[${layout.seen.get(name)}] has this name)`, name);
  else layout.seen.set(name, index);
  if (role !== 'parameter' && role !== 'state') issues.add('role', '"parameter" or "state"', role);
  const validShape = Array.isArray(shape) && shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0);
  if (!validShape) issues.add('shape', 'an array of integers ≥ 0', shape);
  if (Number.isNaN(layout.offset)) {
    if (!Number.isSafeInteger(offset) || (offset as number) < 0)
      issues.add('offset', 'an integer ≥ 0', offset);
  } else if (offset !== layout.offset) {
    issues.add('offset', `${layout.offset} (the end of the previous tensor, 8-aligned)`, offset);
  }
  const validLength = Number.isSafeInteger(byteLength) && (byteLength as number) >= 0;
  if (validShape && (layout.dtype === 'float32' || layout.dtype === 'float64')) {
    const expected = elementCount(shape) * bytesPerElement(layout.dtype);
    if (byteLength !== expected)
      issues.add('byteLength', `${expected} (shape ${formatShape(shape)} of ${layout.dtype})`, byteLength);
  } else if (!validLength) {
    issues.add('byteLength', 'an integer ≥ 0', byteLength);
  }
  // the next entry must start where this one ends, counted from where this one should start,
  // so that one wrong entry is one issue
  const start = Number.isNaN(layout.offset) ? offset : layout.offset;
  return typeof start === 'number' && validLength ? align8(start + (byteLength as number)) : Number.NaN;
}

/** Records every way `fingerprint` breaks the schema. */
function checkFingerprint(fingerprint: unknown, issues: IssueList): void {
  if (!isPlainObject(fingerprint)) {
    issues.add('fingerprint', 'an object with keys structure and, optionally, model', fingerprint);
    return;
  }
  unknownKeys(
    fingerprint,
    FINGERPRINT_KEYS,
    new IssueList(issues.builder, 'header.fingerprint', issues.issues),
  );
  const { structure, model } = fingerprint;
  if (typeof structure !== 'string' || !SHA256_HEX.test(structure))
    issues.add('fingerprint.structure', 'a SHA-256 in lowercase hex (64 digits)', structure);
  if ('model' in fingerprint && (typeof model !== 'string' || !SHA256_HEX.test(model)))
    issues.add('fingerprint.model', 'absent or a SHA-256 in lowercase hex (64 digits)', model);
}

/**
 * Every way `header` breaks the version 2 schema (keys, types, names, roles, shapes, the layout
 * of a data section of `payloadLength` bytes), each as `<path> must be <expected>; received <value>`.
 */
function headerIssues(header: unknown, payloadLength: number): string[] {
  const issues = new IssueList('loadCheckpoint', 'header');
  if (!isPlainObject(header)) {
    issues.add('', `an object with keys ${HEADER_KEYS.join(', ')}`, header);
  } else {
    unknownKeys(header, HEADER_KEYS, issues);
    const { format, step, dtype, schedule, tensors } = header;
    if (format !== FORMAT) issues.add('format', JSON.stringify(FORMAT), format);
    if (!Number.isSafeInteger(step) || (step as number) < 0) issues.add('step', 'a safe integer ≥ 0', step);
    if (dtype !== 'float32' && dtype !== 'float64') issues.add('dtype', '"float32" or "float64"', dtype);
    checkFingerprint(header.fingerprint, issues);
    if (schedule !== null && !(isPlainObject(schedule) && typeof schedule.type === 'string'))
      issues.add('schedule', 'null or a schedule config (an object with a string type)', schedule);
    if (!Array.isArray(tensors)) {
      issues.add('tensors', 'an array', tensors);
    } else {
      let offset = 0;
      const seen = new Map<string, number>();
      tensors.forEach((entry, index) => {
        offset = checkTensorEntry(entry, index, { issues, dtype, offset, seen });
      });
      if (!Number.isNaN(offset) && offset !== payloadLength)
        new IssueList(issues.builder, '', issues.issues).add(
          'data section',
          `${offset} bytes long (the end of the last tensor, 8-aligned)`,
          payloadLength,
        );
    }
  }
  return issues.issues.map(
    (issue) => `${issue.path} must be ${issue.expected}; received ${formatValue(issue.received)}`,
  );
}

/** Where the padding after the header or after a tensor holds a non-zero byte (`the header`, `tensor "w"`), if anywhere. */
function nonZeroPadding(checked: Uint8Array, headerEnd: number, payloadStart: number, header: Header) {
  const gaps: [number, number, string][] = [[headerEnd, payloadStart, 'the header']];
  for (const { name, offset, byteLength } of header.tensors) {
    const end = payloadStart + offset + byteLength;
    gaps.push([end, payloadStart + align8(offset + byteLength), `tensor ${JSON.stringify(name)}`]);
  }
  for (const [start, end, after] of gaps)
    for (let i = start; i < end; i++) if (checked[i] !== 0) return after;
  return undefined;
}

/** A fresh typed array holding the little-endian values of `bytes` (never a view on the file's buffer). */
function tensorData(bytes: Uint8Array, dtype: Dtype): Float32Array | Float64Array {
  const Array_ = dtype === 'float64' ? Float64Array : Float32Array;
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  const count = bytes.length / Array_.BYTES_PER_ELEMENT;
  if (isLittleEndian) return new Array_(copy.buffer, 0, count);
  const source = new DataView(copy.buffer);
  const data = new Array_(count);
  for (let i = 0; i < count; i++)
    data[i] = dtype === 'float64' ? source.getFloat64(i * 8, true) : source.getFloat32(i * 4, true);
  return data;
}

/**
 * The header length of `bytes` once the signature, the version and the checksum over every byte
 * are verified; `fail` throws.
 */
function verifiedHeaderLength(bytes: Uint8Array, fail: (why: string) => never): number {
  if (bytes.length < PREAMBLE_BYTES || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    fail(
      'it does not start with the ANNEALCK signature (not a checkpoint written by @anneal/onnxruntime-training)',
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version === 1) {
    fail(
      'it is in checkpoint format version 1, which this version no longer reads: version 1 did not cover its header (step, tensor names and roles) with its checksum, so the file cannot be verified. This version reads format 2; save the trainer again with this version',
    );
  }
  if (version !== CHECKPOINT_VERSION)
    fail(`format version ${version} is not supported (this version reads ${CHECKPOINT_VERSION})`);
  const headerLength = view.getUint32(12, true);
  if (align8(PREAMBLE_BYTES + headerLength) + CHECKSUM_BYTES > bytes.length)
    fail('the file is truncated (the header runs past its end)');
  const checked = bytes.length - CHECKSUM_BYTES;
  const expected = sha256(bytes.subarray(0, checked));
  if (expected.some((byte, i) => byte !== bytes[checked + i]))
    fail('its data does not match the recorded SHA-256 (truncated or damaged file)');
  return headerLength;
}

/**
 * Parses checkpoint bytes; throws `CheckpointError` for anything but an intact checkpoint of
 * format version 2: any changed, missing or added byte, or a header this writer would not write.
 */
export function decodeCheckpoint(bytes: Uint8Array, path: string): Checkpoint {
  const fail = (why: string, cause?: unknown): never => {
    throw new CheckpointError(`loadCheckpoint: ${path} is not a usable checkpoint: ${why}.`, path, { cause });
  };
  const headerLength = verifiedHeaderLength(bytes, fail);
  const headerEnd = PREAMBLE_BYTES + headerLength;
  const payloadStart = align8(headerEnd);
  const payloadEnd = bytes.length - CHECKSUM_BYTES;
  let text: string;
  let header: Header;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREAMBLE_BYTES, headerEnd));
    header = JSON.parse(text) as Header;
  } catch (error) {
    return fail('its header is not valid UTF-8 JSON', error);
  }
  const issues = headerIssues(header, payloadEnd - payloadStart);
  if (issues.length > 0) fail(`its header is invalid: ${issues.join('; ')}`);
  if (headerText(header) !== text)
    fail(
      'its header is not spelled the way this version writes it (key order, spacing or number format differ)',
    );
  const padding = nonZeroPadding(bytes, headerEnd, payloadStart, header);
  if (padding) fail(`the padding after ${padding} is not zero`);
  const tensors = header.tensors.map((entry) => {
    const start = payloadStart + entry.offset;
    const data = tensorData(bytes.subarray(start, start + entry.byteLength), header.dtype);
    return { name: entry.name, role: entry.role, shape: entry.shape, data };
  });
  const { step, dtype, fingerprint, schedule } = header;
  return { version: CHECKPOINT_VERSION, step, dtype, fingerprint, schedule, tensors };
}

/**
 * Parses checkpoint bytes (what `trainer.saveBytes()` returns, or a checkpoint file's contents)
 * without a trainer, e.g. to rebuild its schedule with `fromConfig`. Throws `CheckpointError` for
 * anything but an intact checkpoint.
 */
export function parseCheckpoint(bytes: Uint8Array): Checkpoint {
  if (!(bytes instanceof Uint8Array))
    throw new CheckpointError(
      `parseCheckpoint: bytes must be a Uint8Array holding a checkpoint; received ${formatValue(bytes)}.`,
      'the checkpoint',
    );
  return decodeCheckpoint(bytes, 'the checkpoint');
}
