import { createReadStream, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { concatBytes } from './bytes';
import { CliError, inputError } from './errors';
import { formatFromExtension, parseConfigText } from './input-formats';
import type { CliIo } from './io';
import { type ByteSource, looksLikeZip, memorySource, readKerasArchive } from './keras-archive';
import { describeSystemError, systemCode } from './system-error';

/** Inputs (config files, case files, stdin) larger than this are refused. */
export const MAX_INPUT_BYTES = 1024 * 1024;

export interface JsonInput {
  readonly value: unknown;
  /** How messages name the input: the path as given, or `<stdin>`. */
  readonly label: string;
}

function mebibytes(bytes: number): string {
  return `${(bytes / MAX_INPUT_BYTES).toFixed(2)} MiB`;
}

function tooLarge(label: string, bytes: number | undefined): Error {
  const size = bytes === undefined ? 'more than 1 MiB' : `${mebibytes(bytes)} (${bytes} bytes)`;
  return inputError(`${label} is too large: ${size}; the limit is 1 MiB (${MAX_INPUT_BYTES} bytes)`);
}

/**
 * Every chunk joined, refused with `limit.tooLarge()` as soon as they pass `limit.bytes` (by
 * default the 1 MiB input limit), so an endless stream never fills memory.
 */
export async function readLimited(
  chunks: AsyncIterable<string | Uint8Array>,
  label: string,
  limit: { readonly bytes: number; readonly tooLarge: () => Error } = {
    bytes: MAX_INPUT_BYTES,
    tooLarge: () => tooLarge(label, undefined),
  },
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  const encoder = new TextEncoder();
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    total += bytes.byteLength;
    if (total > limit.bytes) throw limit.tooLarge();
    parts.push(bytes);
  }
  return concatBytes(parts, total);
}

async function readBytes(arg: string, io: CliIo): Promise<{ bytes: Uint8Array; label: string }> {
  if (arg === '-') {
    const label = '<stdin>';
    if (io.stdin.isTTY) {
      throw inputError(
        `${label} is a terminal; pipe a JSON document into it or pass a file path instead of "-"`,
      );
    }
    return { bytes: await readLimited(io.stdin, label), label };
  }
  const label = arg;
  const file = path.resolve(io.cwd, arg);
  const info = await statInput(file, label);
  if (info.isDirectory()) throw inputError(`${label} is a directory; expected a JSON file`);
  if (info.isFile() && info.size > MAX_INPUT_BYTES) throw tooLarge(label, info.size);
  try {
    return { bytes: await readLimited(createReadStream(file), label), label };
  } catch (error) {
    // The size limit is already a complete message: `<file> is too large: ...`.
    if (CliError.isInstance(error)) throw error;
    if (systemCode(error) === 'EISDIR') throw inputError(`${label} is a directory; expected a JSON file`);
    if (systemCode(error) !== undefined)
      throw inputError(`cannot read ${label}: ${describeSystemError(error)}`);
    throw error;
  }
}

/** UTF-8 text without a byte-order mark; invalid UTF-8 and empty inputs are input errors. */
function decodeText(bytes: Uint8Array, label: string, expected: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw inputError(`${label} is not valid UTF-8 text; expected ${expected}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw inputError(`${label} is empty; expected ${expected}`);
  return text;
}

/**
 * Reads and parses a JSON document from a file path (relative to `io.cwd`) or `-` (stdin).
 * Missing files, directories, inputs over 1 MiB, invalid UTF-8, empty inputs, malformed JSON and
 * JSON nested deeper than `MAX_JSON_DEPTH` are `CliError`s (exit code 1) with `file:line:column`
 * for syntax errors and the depth limit.
 */
export async function readJsonInput(arg: string, io: CliIo, expected = 'a JSON config'): Promise<JsonInput> {
  const { bytes, label } = await readBytes(arg, io);
  const text = decodeText(bytes, label, expected);
  return { value: parseConfigText(text, label, 'json').value, label };
}

/** A config as read: its value, how messages name it and the format it came in. */
export interface ConfigInput extends JsonInput {
  readonly format: 'json' | 'yaml' | 'keras';
  /** The Keras version a `.keras` archive's metadata.json names. */
  readonly kerasVersion?: string;
}

const CONFIG_EXPECTED = 'a JSON or YAML config, or a .keras archive';

/** A file's bytes by random access, for zip archives of any size (only the parts read are held). */
async function withFileSource<T>(
  file: string,
  label: string,
  use: (source: ByteSource) => Promise<T>,
): Promise<T> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw inputError(`cannot read ${label}: ${describeSystemError(error)}`);
  }
  try {
    const { size } = await handle.stat();
    return await use({
      size,
      read: async (offset, length) => {
        const buffer = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        return buffer.subarray(0, bytesRead);
      },
    });
  } finally {
    await handle.close();
  }
}

/** True when the regular file `file` starts with a zip signature (read: 4 bytes). */
async function fileLooksLikeZip(file: string): Promise<boolean> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return false;
  return withFileSource(file, file, async (source) => looksLikeZip(await source.read(0, 4)));
}

function fromKeras(
  archive: { configText: Uint8Array; kerasVersion: string | undefined },
  label: string,
): ConfigInput {
  const entryLabel = `${label} (config.json)`;
  const text = decodeText(archive.configText, entryLabel, 'a Keras model config');
  const { value } = parseConfigText(text, entryLabel, 'json');
  return { value, label, format: 'keras', kerasVersion: archive.kerasVersion };
}

/**
 * Reads a config from a file path or `-` (stdin): JSON or YAML (by extension, else by content),
 * or a `.keras` archive (a zip, by extension or signature) whose `config.json` is read. The 1 MiB
 * limit applies to text inputs, to stdin and to `config.json` once inflated; a `.keras` file may
 * be larger (its weights are never read).
 */
export async function readConfigInput(arg: string, io: CliIo): Promise<ConfigInput> {
  const hint = arg === '-' ? undefined : formatFromExtension(arg);
  if (arg !== '-') {
    const file = path.resolve(io.cwd, arg);
    if (hint === 'keras' || (await fileLooksLikeZip(file))) {
      const info = await stat(file).catch(() => undefined);
      if (info?.isDirectory()) throw inputError(`${arg} is a directory; expected a .keras file`);
      const archive = await withFileSource(file, arg, (source) =>
        readKerasArchive(source, arg, MAX_INPUT_BYTES),
      );
      return fromKeras(archive, arg);
    }
  }
  const { bytes, label } = await readBytes(arg, io);
  if (looksLikeZip(bytes)) {
    return fromKeras(await readKerasArchive(memorySource(bytes), label, MAX_INPUT_BYTES), label);
  }
  const text = decodeText(bytes, label, CONFIG_EXPECTED);
  const textHint = hint === 'keras' ? undefined : hint;
  const { value, format } = parseConfigText(text, label, textHint);
  return { value, label, format };
}

/** `stat` of a file the user named (`label`), or an input error `cannot read <label>: <why>`. */
export async function statInput(file: string, label: string): Promise<Stats> {
  try {
    return await stat(file);
  } catch (error) {
    throw inputError(`cannot read ${label}: ${describeSystemError(error)}`);
  }
}
