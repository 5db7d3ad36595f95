import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { CliError, inputError } from './errors';
import type { CliIo } from './io';
import { locateJsonError, MAX_JSON_DEPTH } from './json-error';
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
    // The size limit is already a complete message: `<file> is too large: ...`.
    if (CliError.isInstance(error)) throw error;
    if (systemCode(error) === 'EISDIR') throw inputError(`${label} is a directory; expected a JSON file`);
    if (systemCode(error) !== undefined)
      throw inputError(`cannot read ${label}: ${describeSystemError(error)}`);
    throw error;
  }
}

/**
 * Reads and parses a JSON document from a file path (relative to `io.cwd`) or `-` (stdin).
 * Missing files, directories, inputs over 1 MiB, invalid UTF-8, empty inputs, malformed JSON and
 * JSON nested deeper than `MAX_JSON_DEPTH` are `CliError`s (exit code 1) with `file:line:column`
 * for syntax errors and the depth limit.
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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const location = locateJsonError(text);
    if (location) {
      throw inputError(`${label}:${location.line}:${location.column}: invalid JSON: ${location.reason}`);
    }
    throw inputError(`${label}: invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Valid JSON can still be nested too deeply for what reads it next (schedules in schedules).
  const tooDeep = locateJsonError(text);
  if (tooDeep) {
    throw inputError(
      `${label}:${tooDeep.line}:${tooDeep.column}: ${tooDeep.reason}; anneal reads JSON nested at most ${MAX_JSON_DEPTH} levels deep`,
    );
  }
  return { value, label };
}
