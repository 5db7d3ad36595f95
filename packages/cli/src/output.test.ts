import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CliError, ExitCode } from './errors';
import { csvChunks, jsonArrayChunks, type ValueBlock, writeChunks } from './output';

/** A writable that takes `delayMs` per chunk and holds at most `highWaterMark` bytes before asking to wait. */
function slowWritable(delayMs: number, highWaterMark: number, received: string[]): Writable {
  return new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _encoding, callback) {
      received.push(chunk);
      setTimeout(callback, delayMs);
    },
  });
}

function enospc(): Error {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

describe('writeChunks', () => {
  it('waits for drain: never produces more than one chunk ahead of a slow stream', async () => {
    const received: string[] = [];
    const stream = slowWritable(1, 64, received);
    let produced = 0;
    let mostAhead = 0;
    function* chunks() {
      for (let index = 0; index < 50; index += 1) {
        produced += 1;
        mostAhead = Math.max(mostAhead, produced - received.length);
        yield `${String(index).padStart(100, '.')}\n`;
      }
    }
    await writeChunks(stream, chunks());
    await new Promise<void>((resolve) => stream.end(resolve));
    expect(received).toHaveLength(50);
    expect(received.at(-1)).toBe(`${'49'.padStart(100, '.')}\n`);
    // Each 101-byte chunk fills the 64-byte buffer: the writer waits after every one.
    expect(mostAhead).toBeLessThanOrEqual(2);
  });

  it('writes everything at once to a plain sink without once/off', async () => {
    let text = '';
    const sink = {
      write(chunk: string) {
        text += chunk;
        return false;
      },
    };
    await writeChunks(sink, ['a', 'b', 'c']);
    expect(text).toBe('abc');
  });

  it('turns a stream error while waiting into an output error (exit code 3) in words', async () => {
    const stream = new Writable({
      highWaterMark: 1,
      write(_chunk, _encoding, callback) {
        callback(enospc());
      },
    });
    const failure = await writeChunks(stream, ['first chunk', 'second chunk']).catch(
      (error: unknown) => error,
    );
    expect(CliError.isInstance(failure)).toBe(true);
    expect((failure as CliError).exitCode).toBe(ExitCode.output);
    expect((failure as CliError).message).toBe(
      'cannot write to standard output: no space left on device (ENOSPC)',
    );
  });
});

describe('chunked formats', () => {
  const blocks = (rows: readonly (readonly [number, number])[][]): ValueBlock[] =>
    rows.map((block) => ({
      steps: Float64Array.from(block, ([step]) => step),
      values: Float64Array.from(block, ([, value]) => value),
      length: block.length,
    }));

  it('joins blocks into one JSON array', () => {
    const text = [
      ...jsonArrayChunks(
        blocks([
          [
            [0, 0.5],
            [1, 0.25],
          ],
          [[2, 1e-7]],
        ]),
      ),
    ].join('');
    expect(text).toBe('[0.5,0.25,1e-7]\n');
    expect([...jsonArrayChunks([])].join('')).toBe('[]\n');
  });

  it('prints a step,lr header and one row per step', () => {
    const text = [
      ...csvChunks(
        blocks([
          [[0, 0.5]],
          [
            [2.5, 0.125],
            [3, 0],
          ],
        ]),
      ),
    ].join('');
    expect(text).toBe('step,lr\n0,0.5\n2.5,0.125\n3,0\n');
  });
});
