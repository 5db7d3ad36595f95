import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { inputError } from './errors';
import type { CliIo } from './io';
import { locateJsonError } from './json-error';

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

async function readLimited(chunks: AsyncIterable<string | Uint8Array>, label: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  const encoder = new TextEncoder();
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    total += bytes.byteLength;
    if (total > MAX_INPUT_BYTES) throw tooLarge(label, undefined);
    parts.push(bytes);
  }
  const result = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.byteLength;
  }
  return result;
}

function systemCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

function describeSystemError(error: unknown): string {
  switch (systemCode(error)) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return error instanceof Error ? error.message : String(error);
  }
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
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch (error) {
    throw inputError(`cannot read ${label}: ${describeSystemError(error)}`);
  }
  if (info.isDirectory()) throw inputError(`${label} is a directory; expected a JSON file`);
  if (info.isFile() && info.size > MAX_INPUT_BYTES) throw tooLarge(label, info.size);
  try {
    return { bytes: await readLimited(createReadStream(file), label), label };
  } catch (error) {
    if (systemCode(error) === 'EISDIR') throw inputError(`${label} is a directory; expected a JSON file`);
    if (systemCode(error) !== undefined)
      throw inputError(`cannot read ${label}: ${describeSystemError(error)}`);
    throw error;
  }
}

/**
 * Reads and parses a JSON document from a file path (relative to `io.cwd`) or `-` (stdin).
 * Missing files, directories, inputs over 1 MiB, invalid UTF-8, empty inputs and malformed JSON
 * are `CliError`s (exit code 1) with `file:line:column` for syntax errors.
 */
export async function readJsonInput(arg: string, io: CliIo, expected = 'a JSON config'): Promise<JsonInput> {
  const { bytes, label } = await readBytes(arg, io);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw inputError(`${label} is not valid UTF-8 text; expected ${expected}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw inputError(`${label} is empty; expected ${expected}`);
  try {
    return { value: JSON.parse(text), label };
  } catch (error) {
    const location = locateJsonError(text);
    if (location) {
      throw inputError(`${label}:${location.line}:${location.column}: invalid JSON: ${location.reason}`);
    }
    throw inputError(`${label}: invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}
