import { Inflate } from 'fflate';
import { concatBytes } from './bytes';
import { inputError } from './errors';

/**
 * Reads `config.json` out of a `.keras` archive (the zip `model.save()` writes: `config.json`,
 * `metadata.json`, `model.weights.h5`) without reading the rest: the end-of-central-directory
 * record, the central directory and that one entry, so a model with gigabytes of weights costs
 * a few reads. Bounded: the central directory and `config.json` (compressed and inflated) are
 * each at most `limitBytes`; an entry that inflates past it is refused while inflating.
 */

/** Random access to the archive's bytes (a file handle, or bytes already in memory). */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** The end record (22 bytes) plus the longest comment (65535). */
const EOCD_SEARCH_BYTES = 22 + 0xffff;
/** Inflate at most this many compressed bytes at a time (deflate expands at most ~1032:1). */
const INFLATE_CHUNK_BYTES = 512;

/** True when `bytes` starts like a zip archive (a local file header or an empty archive). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/** A source over bytes already in memory (stdin). */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function notAZip(label: string, reason: string): Error {
  return inputError(
    `${label} is not a readable zip archive (${reason}); expected a .keras file as model.save() writes it`,
  );
}

/** Offset and size of the central directory, from the end record (and its zip64 form). */
async function centralDirectory(
  source: ByteSource,
  label: string,
): Promise<{ offset: number; size: number }> {
  const tailLength = Math.min(source.size, EOCD_SEARCH_BYTES);
  const tailStart = source.size - tailLength;
  const tail = await source.read(tailStart, tailLength);
  const tailView = view(tail);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tailView.getUint32(i, true) === EOCD_SIGNATURE) {
      at = i;
      break;
    }
  }
  if (at < 0) throw notAZip(label, 'no end-of-central-directory record');
  let size = tailView.getUint32(at + 12, true);
  let offset = tailView.getUint32(at + 16, true);
  if ((size === 0xffffffff || offset === 0xffffffff) && at >= 20) {
    if (tailView.getUint32(at - 20, true) !== ZIP64_LOCATOR_SIGNATURE) {
      throw notAZip(label, 'zip64 sizes without a zip64 locator');
    }
    const recordOffset = Number(tailView.getBigUint64(at - 12, true));
    const record = view(await source.read(recordOffset, 56));
    if (record.byteLength < 56 || record.getUint32(0, true) !== ZIP64_EOCD_SIGNATURE) {
      throw notAZip(label, 'a broken zip64 end record');
    }
    size = Number(record.getBigUint64(40, true));
    offset = Number(record.getBigUint64(48, true));
  }
  if (offset + size > source.size)
    throw notAZip(label, 'the central directory lies past the end of the file');
  return { offset, size };
}

/** The sizes and offset of an entry, taking the zip64 extra field (0x0001) where a field is 0xffffffff. */
function zip64Fields(
  extra: DataView,
  entry: { size: number; compressedSize: number; localHeaderOffset: number },
): ZipEntry['size'][] {
  const fields = [entry.size, entry.compressedSize, entry.localHeaderOffset];
  for (let at = 0; at + 4 <= extra.byteLength; ) {
    const id = extra.getUint16(at, true);
    const length = extra.getUint16(at + 2, true);
    if (id === 0x0001) {
      let read = at + 4;
      for (let i = 0; i < fields.length; i++) {
        if (fields[i] !== 0xffffffff || read + 8 > at + 4 + length) continue;
        fields[i] = Number(extra.getBigUint64(read, true));
        read += 8;
      }
    }
    at += 4 + length;
  }
  return fields;
}

function parseEntries(directory: Uint8Array, label: string): ZipEntry[] {
  const data = view(directory);
  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  for (let at = 0; at + 46 <= directory.length; ) {
    if (data.getUint32(at, true) !== CENTRAL_SIGNATURE) throw notAZip(label, 'a broken central directory');
    const nameLength = data.getUint16(at + 28, true);
    const extraLength = data.getUint16(at + 30, true);
    const commentLength = data.getUint16(at + 32, true);
    const name = decoder.decode(directory.subarray(at + 46, at + 46 + nameLength));
    const extra = view(directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    const [size, compressedSize, localHeaderOffset] = zip64Fields(extra, {
      compressedSize: data.getUint32(at + 20, true),
      size: data.getUint32(at + 24, true),
      localHeaderOffset: data.getUint32(at + 42, true),
    });
    entries.push({
      name,
      method: data.getUint16(at + 10, true),
      compressedSize: compressedSize!,
      size: size!,
      localHeaderOffset: localHeaderOffset!,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Inflates `compressed` 512 bytes at a time, refusing output past `limitBytes`. */
function inflateBounded(compressed: Uint8Array, limitBytes: number, tooLarge: () => Error): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  const inflate = new Inflate((chunk) => {
    total += chunk.length;
    if (total > limitBytes) throw tooLarge();
    parts.push(chunk);
  });
  for (let at = 0; at < compressed.length; at += INFLATE_CHUNK_BYTES) {
    const end = Math.min(compressed.length, at + INFLATE_CHUNK_BYTES);
    inflate.push(compressed.subarray(at, end), end === compressed.length);
  }
  return concatBytes(parts, total);
}

async function readEntry(
  source: ByteSource,
  entry: ZipEntry,
  label: string,
  limitBytes: number,
): Promise<Uint8Array> {
  const where = `${label} (${entry.name})`;
  const tooLarge = () =>
    inputError(`${where} is too large: more than ${limitBytes} bytes once inflated; the limit is 1 MiB`);
  if (entry.size > limitBytes || entry.compressedSize > limitBytes) throw tooLarge();
  const header = view(await source.read(entry.localHeaderOffset, 30));
  if (header.byteLength < 30 || header.getUint32(0, true) !== LOCAL_SIGNATURE) {
    throw notAZip(label, `a broken local header for ${entry.name}`);
  }
  const start = entry.localHeaderOffset + 30 + header.getUint16(26, true) + header.getUint16(28, true);
  const compressed = await source.read(start, entry.compressedSize);
  if (compressed.length < entry.compressedSize) throw notAZip(label, `${entry.name} is cut short`);
  let bytes: Uint8Array;
  if (entry.method === 0) bytes = compressed;
  else if (entry.method === 8) {
    try {
      bytes = inflateBounded(compressed, limitBytes, tooLarge);
    } catch (error) {
      if (error instanceof Error && error.message.includes('too large')) throw error;
      throw notAZip(
        label,
        `${entry.name} does not inflate: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  } else {
    throw inputError(
      `${where} uses zip compression method ${entry.method}; anneal reads stored (0) and deflate (8) entries`,
    );
  }
  if (bytes.length !== entry.size) {
    throw notAZip(label, `${entry.name} inflates to ${bytes.length} bytes, the directory says ${entry.size}`);
  }
  return bytes;
}

/** What a `.keras` archive holds that anneal reads: the model config and the saving Keras version. */
export interface KerasArchive {
  readonly configText: Uint8Array;
  readonly kerasVersion: string | undefined;
}

/**
 * Reads `config.json` (and `keras_version` from `metadata.json`) from a `.keras` archive. A zip
 * without `config.json` and `metadata.json` at its root is refused, naming what it holds.
 */
export async function readKerasArchive(
  source: ByteSource,
  label: string,
  limitBytes: number,
): Promise<KerasArchive> {
  const { offset, size } = await centralDirectory(source, label);
  if (size > limitBytes)
    throw inputError(`${label}: its zip directory is over ${limitBytes} bytes; not a .keras file`);
  const entries = parseEntries(await source.read(offset, size), label);
  const config = entries.find((entry) => entry.name === 'config.json');
  const metadata = entries.find((entry) => entry.name === 'metadata.json');
  if (!config || !metadata) {
    const names = entries.slice(0, 8).map((entry) => entry.name);
    const more = entries.length > names.length ? `, ... (${entries.length} entries)` : '';
    const found = entries.length === 0 ? 'an empty archive' : `${names.join(', ')}${more}`;
    throw inputError(
      `${label} is a zip archive but not a Keras archive: expected config.json and metadata.json at its root (a .keras file as model.save() writes it); found ${found}`,
    );
  }
  const configText = await readEntry(source, config, label, limitBytes);
  const metadataText = new TextDecoder().decode(await readEntry(source, metadata, label, limitBytes));
  let version: unknown;
  try {
    version = (JSON.parse(metadataText) as { keras_version?: unknown } | null)?.keras_version;
  } catch {
    throw inputError(
      `${label} (metadata.json) is not JSON; a .keras archive's metadata.json holds keras_version`,
    );
  }
  return { configText, kerasVersion: typeof version === 'string' ? version : undefined };
}
