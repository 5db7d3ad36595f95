/**
 * CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF,
 * table driven (slicing by 8). TFRecord stores it masked: `((crc >>> 15) | (crc << 17)) + 0xA282EAD8`.
 */

const POLYNOMIAL = 0x82f63b78;
/** The constant TFRecord adds to the rotated CRC when masking it. */
export const MASK_DELTA = 0xa282ead8;

function buildTables(): Int32Array {
  // tables[t * 256 + n]: CRC of byte n followed by t zero bytes (slicing-by-8).
  const tables = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    tables[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[n]!;
    for (let t = 1; t < 8; t++) {
      c = tables[c & 0xff]! ^ (c >>> 8);
      tables[t * 256 + n] = c;
    }
  }
  return tables;
}

/**
 * Slicing-by-8 tables, `TABLES[t * 256 + n]` = CRC state step of byte n followed by t zero bytes.
 * Exported for the writer's scalar hot path, which CRCs numbers without reading bytes back.
 */
export const TABLES = buildTables();

/** CRC-32C of `bytes[start, end)` (unmasked, as an unsigned 32-bit integer). */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return (crc32cUpdate(-1, bytes, start, end) ^ -1) >>> 0;
}

/** Advances a raw (pre-inverted, not finalized) CRC state over `bytes[start, end)`. */
export function crc32cUpdate(state: number, bytes: Uint8Array, start: number, end: number): number {
  const t = TABLES;
  let crc = state | 0;
  let i = start;
  const end8 = start + ((end - start) & ~7);
  while (i < end8) {
    const a = crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    crc =
      t[1792 + (a & 0xff)]! ^
      t[1536 + ((a >>> 8) & 0xff)]! ^
      t[1280 + ((a >>> 16) & 0xff)]! ^
      t[1024 + (a >>> 24)]! ^
      t[768 + bytes[i + 4]!]! ^
      t[512 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
    i += 8;
  }
  while (i < end) crc = t[(crc ^ bytes[i++]!) & 0xff]! ^ (crc >>> 8);
  return crc;
}

/** TFRecord's mask of a CRC, so that CRCs of data that itself contains CRCs stay well distributed. */
export function maskCrc32c(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + MASK_DELTA) >>> 0;
}

/** Inverse of {@link maskCrc32c}. */
export function unmaskCrc32c(masked: number): number {
  const rotated = (masked - MASK_DELTA) >>> 0;
  return ((rotated >>> 17) | (rotated << 15)) >>> 0;
}

/** Masked CRC-32C of `bytes[start, end)`, as stored in TFRecord framing. */
export function maskedCrc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return maskCrc32c(crc32c(bytes, start, end));
}
