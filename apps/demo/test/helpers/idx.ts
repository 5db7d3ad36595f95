/** An IDX file (the MNIST distribution format): magic 0x00 0x00 `type` rank, big-endian dims, then `data`. */
export function idx(type: number, dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = type;
  header[3] = dims.length;
  for (const [i, dim] of dims.entries()) header.writeUInt32BE(dim, 4 + 4 * i);
  return Buffer.concat([header, Buffer.from(data)]);
}
