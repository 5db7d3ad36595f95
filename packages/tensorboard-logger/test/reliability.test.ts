/** Crash and exit behaviour, with real child processes. */

import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeRecords, readScalars, type TruncatedTail } from '../src/index';
import { temporaryDirectory } from './support';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHILD = join(HERE, 'child-writer.ts');

function startChild(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    cwd: join(HERE, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function exited(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
}

function theEventFile(directory: string): string {
  const files = readdirSync(directory).filter((name) => name.includes('tfevents'));
  expect(files).toHaveLength(1);
  return join(directory, files[0]!);
}

describe('crash safety', () => {
  it('SIGKILL mid-run: the file decodes cleanly up to at least the last flushed record (truncated tail at most)', async () => {
    const directory = temporaryDirectory();
    const child = startChild(['flush-forever', directory]);
    const done = exited(child);
    let lastFlushed = 0;
    let lines = 0;
    await new Promise<void>((resolve) => {
      let buffered = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const parts = buffered.split('\n');
        buffered = parts.pop()!;
        for (const line of parts) {
          lastFlushed = Number(line.split(' ')[1]);
          lines++;
          // Kill while the child is busy writing the next batches.
          if (lines === 20) {
            child.kill('SIGKILL');
            resolve();
          }
        }
      });
    });
    const { signal, stderr } = await done;
    expect(stderr).toBe('');
    expect(signal).toBe('SIGKILL');
    const bytes = new Uint8Array(readFileSync(theEventFile(directory)));
    const tails: TruncatedTail[] = [];
    const steps: number[] = [];
    let first: string | undefined;
    for (const record of decodeRecords(bytes, { onTruncatedTail: (tail) => tails.push(tail) })) {
      if (record.offset === 0) first = record.event.fileVersion;
      if (record.event.summary !== undefined) steps.push(record.event.step);
    }
    expect(first).toBe('brain.Event:2');
    expect(tails.length).toBeLessThanOrEqual(1);
    expect(steps.length).toBeGreaterThanOrEqual(lastFlushed);
    expect(steps).toEqual(Array.from({ length: steps.length }, (_, i) => i));
  });
});

describe('flush on normal exit', () => {
  it.each([
    ['exit-without-close', 'the event loop empties without flush() or close()'],
    ['process-exit', 'process.exit(0) right after the add* calls'],
  ])('%s: every record is in the file when %s', async (mode) => {
    const directory = temporaryDirectory();
    const { code, stderr } = await exited(startChild([mode, directory, '25000']));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const scalars = await readScalars(directory);
    expect(scalars['.']!.loss!.map((point) => point.step)).toEqual(
      Array.from({ length: 25000 }, (_, i) => i),
    );
  });
});
