/**
 * Checkpoint files: parameters, optimizer state, the step and the schedule config, written
 * atomically (temporary file, fsync, rename, fsync of the directory) so that a crash leaves
 * either the old file or the new one, never half of one.
 *
 * Layout (little-endian): 8 bytes magic `ANNEALCK`, uint32 format version, uint32 header
 * length, the UTF-8 JSON header, zero padding to a multiple of 8, then each tensor's raw
 * data at the offset the header gives (relative to the payload start, 8-aligned).
 */
import { createHash, randomUUID } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ScheduleConfig } from '@anneal/core';
import { isLittleEndian, littleEndianBytes } from './byte-order';
import { CheckpointError } from './errors';
import type { Dtype } from './graph/spec';
import { elementCount } from './shape';

const MAGIC = 'ANNEALCK';
export const CHECKPOINT_VERSION = 1;

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
  format: 'anneal-onnxruntime-training-checkpoint';
  step: number;
  dtype: Dtype;
  fingerprint: CheckpointFingerprint;
  schedule: ScheduleConfig | null;
  tensors: HeaderTensor[];
  payloadSha256: string;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** Serializes a checkpoint to bytes. */
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
  const payload = new Uint8Array(offset);
  checkpoint.tensors.forEach((tensor, i) => {
    payload.set(littleEndianBytes(tensor.data), entries[i]!.offset);
  });
  const header: Header = {
    format: 'anneal-onnxruntime-training-checkpoint',
    step: checkpoint.step,
    dtype: checkpoint.dtype,
    fingerprint: checkpoint.fingerprint,
    schedule: checkpoint.schedule,
    tensors: entries,
    payloadSha256: createHash('sha256').update(payload).digest('hex'),
  };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const payloadStart = align8(16 + headerBytes.length);
  const out = new Uint8Array(payloadStart + payload.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, CHECKPOINT_VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, 16);
  out.set(payload, payloadStart);
  return out;
}

/** Parses checkpoint bytes; throws `CheckpointError` for anything but an intact checkpoint. */
export function decodeCheckpoint(bytes: Uint8Array, path: string): Checkpoint {
  const fail = (why: string, cause?: unknown): never => {
    throw new CheckpointError(`loadCheckpoint: ${path} is not a usable checkpoint: ${why}.`, path, { cause });
  };
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    fail(
      'it does not start with the ANNEALCK signature (not a checkpoint written by @anneal/onnxruntime-training)',
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CHECKPOINT_VERSION)
    fail(`format version ${version} is not supported (this version reads ${CHECKPOINT_VERSION})`);
  const headerLength = view.getUint32(12, true);
  if (16 + headerLength > bytes.length) fail('the file is truncated (the header runs past its end)');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + headerLength))) as Header;
  } catch (error) {
    return fail('its header is not valid JSON', error);
  }
  if (header.format !== 'anneal-onnxruntime-training-checkpoint' || !Array.isArray(header.tensors))
    fail('its header is malformed');
  const payload = bytes.subarray(align8(16 + headerLength));
  if (createHash('sha256').update(payload).digest('hex') !== header.payloadSha256) {
    fail('its data does not match the recorded SHA-256 (truncated or damaged file)');
  }
  const Array_ = header.dtype === 'float64' ? Float64Array : Float32Array;
  if (header.dtype !== 'float32' && header.dtype !== 'float64')
    fail(`its dtype ${JSON.stringify(header.dtype)} is unknown`);
  for (const entry of header.tensors) {
    const ok =
      typeof entry?.name === 'string' &&
      Array.isArray(entry.shape) &&
      Number.isInteger(entry.offset) &&
      entry.offset >= 0 &&
      entry.offset + entry.byteLength <= payload.length &&
      entry.byteLength === elementCount(entry.shape) * Array_.BYTES_PER_ELEMENT;
    if (!ok) fail(`its header describes tensor ${JSON.stringify(entry?.name)} inconsistently`);
  }
  const tensors = header.tensors.map((entry) => {
    // copy into a fresh buffer (a Node Buffer's slice() would share the file's memory)
    const slice = new Uint8Array(entry.byteLength);
    slice.set(payload.subarray(entry.offset, entry.offset + entry.byteLength));
    const count = entry.byteLength / Array_.BYTES_PER_ELEMENT;
    let data: Float32Array | Float64Array;
    if (isLittleEndian) data = new Array_(slice.buffer, 0, count);
    else {
      const source = new DataView(slice.buffer);
      data = new Array_(count);
      for (let i = 0; i < count; i++) {
        data[i] = Array_ === Float64Array ? source.getFloat64(i * 8, true) : source.getFloat32(i * 4, true);
      }
    }
    return { name: entry.name, role: entry.role, shape: entry.shape, data };
  });
  return {
    version,
    step: header.step,
    dtype: header.dtype,
    fingerprint: header.fingerprint,
    schedule: header.schedule,
    tensors,
  };
}

/**
 * Writes `bytes` to `path` atomically: a temporary file in the same directory is written,
 * fsynced and renamed over `path`, then the directory is fsynced so the rename is durable.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const directory = dirname(path);
  const temporary = join(directory, `.${basename(path)}.${process.pid}.${randomUUID()}.tmp`);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(temporary, 'wx');
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  let directoryHandle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    directoryHandle = await open(directory, 'r');
    await directoryHandle.sync();
  } catch (error) {
    // Some platforms (Windows) cannot open or fsync a directory; the rename itself is done.
    const code = (error as { code?: string }).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw error;
  } finally {
    await directoryHandle?.close().catch(() => undefined);
  }
}

/**
 * Reads and parses the checkpoint file at `path`; a file that cannot be read is a
 * `CheckpointError` whose message starts with `caller` (`trainer.load`, `readCheckpoint`).
 */
export async function readCheckpointFile(path: string, caller: string): Promise<Checkpoint> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CheckpointError(`${caller}: cannot read ${path}: ${(error as Error).message}`, path, {
      cause: error,
    });
  }
  return decodeCheckpoint(bytes, path);
}

/** Reads and parses a checkpoint file without a trainer (e.g. to rebuild its schedule with `fromConfig`). */
export function readCheckpoint(path: string): Promise<Checkpoint> {
  return readCheckpointFile(path, 'readCheckpoint');
}
