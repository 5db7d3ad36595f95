import type { OutputStream } from './io';
import { writeFailure } from './system-error';

/** Rows per chunk written to the output (about 100 KB of CSV). */
export const CHUNK_ROWS = 8192;

/** A block of evaluated steps: `steps[i]` gives `values[i]`, for i below `length`. */
export interface ValueBlock {
  readonly steps: Float64Array;
  readonly values: Float64Array;
  readonly length: number;
}

/**
 * Resolves when `stream` has drained its buffer; rejects with an output error (exit code 3) when it
 * fails or closes first. Only streams with `once`/`off` (Node's writables) are ever waited for.
 */
function drained(stream: Required<Pick<OutputStream, 'once' | 'off'>>, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanUp = () => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onDrain = () => {
      cleanUp();
      resolve();
    };
    const onError = (error: unknown) => {
      cleanUp();
      reject(writeFailure(target, error));
    };
    const onClose = () => {
      cleanUp();
      reject(writeFailure(target, new Error('the stream closed before all output was written')));
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
    stream.once('close', onClose);
  });
}

/**
 * Writes `chunks` in order with back-pressure: when `stream.write` returns false (its buffer is
 * full), waits for 'drain' before producing the next chunk, so memory stays bounded however slow
 * the reader. Streams without `once`/`off` (plain test sinks) are written without waiting.
 */
export async function writeChunks(
  stream: OutputStream,
  chunks: Iterable<string>,
  target = 'standard output',
): Promise<void> {
  const { once, off } = stream;
  const waitable =
    once !== undefined && off !== undefined ? { once: once.bind(stream), off: off.bind(stream) } : undefined;
  for (const chunk of chunks) {
    if (stream.write(chunk) === false && waitable !== undefined) await drained(waitable, target);
  }
}

/** `[v0,v1,...]` and a newline, in chunks of one block each: full float64 precision. */
export function* jsonArrayChunks(blocks: Iterable<ValueBlock>): Generator<string> {
  let first = true;
  for (const block of blocks) {
    let text = first ? '[' : '';
    for (let index = 0; index < block.length; index += 1) {
      text += (first && index === 0 ? '' : ',') + formatNumber(block.values[index]!);
    }
    if (block.length > 0) first = false;
    yield text;
  }
  yield first ? '[]\n' : ']\n';
}

/** A `step,lr` header and one row per step, in chunks of one block each. */
export function* csvChunks(blocks: Iterable<ValueBlock>): Generator<string> {
  yield 'step,lr\n';
  for (const block of blocks) {
    let text = '';
    for (let index = 0; index < block.length; index += 1) {
      // String(step) prints the same digits as formatNumber for a finite number, and is faster in V8
      // for the integer steps of a range (bench/values-output.ts); JSON.stringify is faster for the values.
      text += `${String(block.steps[index]!)},${formatNumber(block.values[index]!)}\n`;
    }
    yield text;
  }
}

/**
 * The shortest decimal that reads back as the same double (what JSON.stringify prints). Only for
 * finite numbers: the commands check every value before printing, so `null` is never printed.
 */
export function formatNumber(value: number): string {
  // JSON.stringify, not String: the same digits, and measurably faster in V8 (bench/values-output.ts).
  return JSON.stringify(value);
}
