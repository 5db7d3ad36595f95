/** `parts` joined into one array of `total` bytes (the sum of their lengths). */
export function concatBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  const result = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.byteLength;
  }
  return result;
}
