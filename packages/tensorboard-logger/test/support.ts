/** Test helpers: locating ../shared, temp dirs, and an independent (schema-less) protobuf walker. */

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect } from 'vitest';
import { InvalidArgumentError } from '../src/errors';

/** Finds `shared/fixtures/tfevents` by walking up from this file (works from any checkout depth). */
export function tfeventsFixtureDir(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const candidate of [
      join(directory, 'shared', 'fixtures', 'tfevents'),
      join(directory, '..', 'shared', 'fixtures', 'tfevents'),
    ]) {
      if (existsSync(join(candidate, 'FORMAT.md'))) return resolve(candidate);
    }
    const parent = dirname(directory);
    if (parent === directory) throw new Error('shared/fixtures/tfevents not found above the test file');
    directory = parent;
  }
}

/** Writer options that make file names and wall times reproducible, without the process 'exit' hook. */
export const fixedWriterOptions = {
  nowMs: () => 1_700_000_000_123,
  hostname: 'testhost',
  pid: 4242,
  flushOnExit: false,
} as const;

const temporaryDirectories: string[] = [];

/** A fresh temp directory, removed after the test. */
export function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'anneal-tb-'));
  temporaryDirectories.push(directory);
  return directory;
}

afterEach(() => {
  for (const directory of temporaryDirectories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** Bit-at-a-time CRC-32C, written from the definition (no table), to check the table-driven one. */
export function referenceCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export function referenceMask(crc: number): number {
  // ((crc >> 15) | (crc << 17)) + 0xa282ead8, mod 2^32, in BigInt to stay clear of the implementation's tricks.
  const c = BigInt(crc);
  const rotated = ((c >> 15n) | (c << 17n)) & 0xffffffffn;
  return Number((rotated + 0xa282ead8n) & 0xffffffffn);
}

/** A protobuf field as seen without a schema. */
export interface WireField {
  field: number;
  wire: number;
  /** varint (as bigint), or the raw bytes for fixed32/fixed64/length-delimited. */
  varint?: bigint;
  bytes?: Uint8Array;
}

/** Schema-less protobuf walk: returns the fields in order (throws on malformed data). */
export function wireFields(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= bytes.length) throw new Error('truncated varint');
      const byte = bytes[pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < bytes.length) {
    const key = varint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) fields.push({ field, wire, varint: varint() });
    else if (wire === 1) {
      fields.push({ field, wire, bytes: bytes.slice(pos, pos + 8) });
      pos += 8;
    } else if (wire === 5) {
      fields.push({ field, wire, bytes: bytes.slice(pos, pos + 4) });
      pos += 4;
    } else if (wire === 2) {
      const length = Number(varint());
      fields.push({ field, wire, bytes: bytes.slice(pos, pos + length) });
      pos += length;
    } else throw new Error(`wire type ${wire}`);
    if (pos > bytes.length) throw new Error('field runs past the end');
  }
  return fields;
}

export function f64(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0, true);
}

export function f32(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getFloat32(0, true);
}

export function utf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** Splits a TFRecord file into payloads, checking both CRCs with the reference implementation. */
export function referenceRecords(file: Uint8Array): Uint8Array[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const payloads: Uint8Array[] = [];
  let pos = 0;
  while (pos < file.length) {
    const length = Number(view.getBigUint64(pos, true));
    if (view.getUint32(pos + 8, true) !== referenceMask(referenceCrc32c(file.slice(pos, pos + 8)))) {
      throw new Error(`length CRC at ${pos}`);
    }
    const payload = file.slice(pos + 12, pos + 12 + length);
    if (view.getUint32(pos + 12 + length, true) !== referenceMask(referenceCrc32c(payload))) {
      throw new Error(`payload CRC at ${pos}`);
    }
    payloads.push(payload);
    pos += 16 + length;
  }
  return payloads;
}

/** The message of the `InvalidArgumentError` that `call` throws (fails the test when it throws anything else or nothing). */
export function invalidArgumentMessage(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected an InvalidArgumentError');
}
