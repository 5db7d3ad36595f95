/**
 * Edits of checkpoint files (format 2) that keep the checksum valid, as a deliberate edit or a
 * careless writer (not damage) would produce: what the header checks must catch on their own.
 */
import { createHash } from 'node:crypto';

const align8 = (n: number) => Math.ceil(n / 8) * 8;
const headerLengthOf = (bytes: Uint8Array) =>
  new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);

/** `bytes` with its trailing SHA-256 recomputed. */
export function reseal(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  const checked = out.length - 32;
  out.set(createHash('sha256').update(out.subarray(0, checked)).digest(), checked);
  return out;
}

/** The header's JSON text. */
export function headerTextOf(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes.subarray(16, 16 + headerLengthOf(bytes)));
}

/** A sealed file with the header `text` (of any length) and the data section of `bytes`. */
export function withHeaderText(bytes: Uint8Array, text: string): Uint8Array {
  const headerLength = headerLengthOf(bytes);
  const encoded = new TextEncoder().encode(text);
  const data = bytes.subarray(align8(16 + headerLength), bytes.length - 32);
  const start = align8(16 + encoded.length);
  const out = new Uint8Array(start + data.length + 32);
  out.set(bytes.subarray(0, 12));
  new DataView(out.buffer).setUint32(12, encoded.length, true);
  out.set(encoded, 16);
  out.set(data, start);
  return reseal(out);
}
