/**
 * TFRecord framing, the container of every event file: each record is
 * `<u64 length> <u32 masked CRC-32C of the length> <payload> <u32 masked CRC-32C of the payload>`,
 * all little-endian.
 */

import { crc32c, maskCrc32c } from './crc32c';

/** Bytes before the payload: 8 length + 4 length CRC. */
export const RECORD_HEADER_BYTES = 12;
/** Bytes after the payload: 4 payload CRC. */
export const RECORD_FOOTER_BYTES = 4;
/** Bytes of framing around each payload: 8 length + 4 length CRC + 4 payload CRC. */
export const RECORD_OVERHEAD = RECORD_HEADER_BYTES + RECORD_FOOTER_BYTES;

const lengthBytes = new Uint8Array(8);
const lengthView = new DataView(lengthBytes.buffer);
const lengthCrcCache = new Map<number, number>();

/** Masked CRC-32C of the 8-byte little-endian length field (cached; payload lengths repeat). */
export function maskedLengthCrc(length: number): number {
  let crc = lengthCrcCache.get(length);
  if (crc === undefined) {
    lengthView.setUint32(0, length % 4294967296, true);
    lengthView.setUint32(4, Math.floor(length / 4294967296), true);
    crc = maskCrc32c(crc32c(lengthBytes));
    if (lengthCrcCache.size < 65536) lengthCrcCache.set(length, crc);
  }
  return crc;
}

/** Frames one payload as a TFRecord into `target` at `pos` (which must have room); returns the end position. */
export function writeRecordAt(target: Uint8Array, view: DataView, pos: number, payload: Uint8Array): number {
  const length = payload.length;
  view.setUint32(pos, length % 4294967296, true);
  view.setUint32(pos + 4, Math.floor(length / 4294967296), true);
  view.setUint32(pos + 8, maskedLengthCrc(length), true);
  target.set(payload, pos + 12);
  view.setUint32(pos + 12 + length, maskCrc32c(crc32c(payload)), true);
  return pos + RECORD_OVERHEAD + length;
}

/** Frames one payload as a standalone TFRecord. */
export function frameRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + RECORD_OVERHEAD);
  writeRecordAt(out, new DataView(out.buffer), 0, payload);
  return out;
}

/**
 * How many complete records the first `bytes` bytes of `buffers` hold, each buffer holding whole
 * framed records (as the writer's chunks do): what reached the file when a write stopped there.
 */
export function countWholeRecords(buffers: readonly Uint8Array[], bytes: number): number {
  let count = 0;
  for (const buffer of buffers) {
    const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    for (let pos = 0; pos < buffer.length; count++) {
      pos += RECORD_OVERHEAD + view.getUint32(pos, true) + view.getUint32(pos + 4, true) * 4294967296;
      if (pos > bytes) return count;
    }
    bytes -= buffer.length;
  }
  return count;
}
