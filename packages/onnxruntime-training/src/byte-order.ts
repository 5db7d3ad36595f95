/** Little-endian bytes of typed arrays, as ONNX `raw_data` and checkpoint files store them. */

/** Whether this host stores numbers little-endian (every platform Node runs on today). */
export const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The bytes of a typed array in little-endian order (a view on little-endian hosts; a swapped copy otherwise). */
export function littleEndianBytes(
  data: Float32Array | Float64Array | BigInt64Array | Uint8Array,
): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (isLittleEndian || data.BYTES_PER_ELEMENT === 1) return bytes;
  const out = new Uint8Array(bytes.length);
  const size = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += size)
    for (let j = 0; j < size; j++) out[i + j] = bytes[i + size - 1 - j]!;
  return out;
}
