/**
 * `droppedRecords` after a write failure counts exactly the records that never reached the file:
 * for every way a full disk can interrupt the writer (an asynchronous write, the synchronous
 * drain of a full queue, the rewrite of a running write, the header), droppedRecords plus the
 * complete records in the file equals the records added (the writer's own `brain.Event:2` record
 * included).
 */

import * as nodeFs from 'node:fs';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixedWriterOptions, temporaryDirectory } from '../test/support';
import type { WriterFileSystem } from './index';
import { decodeRecords, EventFileWriteError, SummaryWriter, type SummaryWriterOptions } from './index';

function noSpace(): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error('ENOSPC: no space left on device, write');
  error.code = 'ENOSPC';
  return error;
}

/** The first `count` bytes of `buffers` (views, no copy). */
function firstBytes(buffers: readonly Uint8Array[], count: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const buffer of buffers) {
    if (count <= 0) break;
    out.push(buffer.subarray(0, Math.min(count, buffer.length)));
    count -= buffer.length;
  }
  return out;
}

/**
 * `node:fs` on a device that holds `capacity` bytes per file, as a small tmpfs does: a write that
 * would grow the file past it writes what fits and returns a short count, the next one fails with
 * ENOSPC; rewriting bytes already in the file needs no new space. Asynchronous writes complete on
 * a later turn of the event loop, so a synchronous write can run while one is in flight.
 */
function deviceOf(capacity: number): WriterFileSystem {
  const room = (buffers: readonly Uint8Array[], position: number): number => {
    let total = 0;
    for (const buffer of buffers) total += buffer.length;
    return Math.min(total, Math.max(0, capacity - position));
  };
  return {
    ...nodeFs,
    writev: (fd, buffers, position, callback) => {
      setImmediate(() => {
        const fits = room(buffers, position);
        if (fits === 0) return callback(noSpace(), 0);
        callback(null, nodeFs.writevSync(fd, firstBytes(buffers, fits), position));
      });
    },
    writevSync: (fd, buffers, position) => {
      const fits = room(buffers, position);
      if (fits === 0) throw noSpace();
      return nodeFs.writevSync(fd, firstBytes(buffers, fits), position);
    },
  };
}

/** Complete records in the writer's file (a record cut short by the full disk is not one). */
function recordsOnDisk(writer: SummaryWriter): number {
  let count = 0;
  for (const _ of decodeRecords(new Uint8Array(readFileSync(writer.path)))) count++;
  return count;
}

interface Scenario {
  readonly capacity: number;
  readonly scalars: number;
  readonly options: SummaryWriterOptions;
  /** Await `flush()` after this many scalars (once), to fail on an asynchronous write or not. */
  readonly flushAfter?: number;
}

async function run({ capacity, scalars, options, flushAfter }: Scenario) {
  const errors: unknown[] = [];
  const writer = new SummaryWriter(temporaryDirectory(), {
    ...fixedWriterOptions,
    ...options,
    fileSystem: deviceOf(capacity),
    onError: (error) => errors.push(error),
  });
  for (let step = 0; step < scalars; step++) {
    writer.addScalar('loss', step / 7, step);
    if (step + 1 === flushAfter) await writer.flush().catch(() => {});
  }
  const closed = await writer.close().then(
    () => undefined,
    (error: unknown) => error,
  );
  return { writer, closed, errors, onDisk: recordsOnDisk(writer), added: scalars + 1 };
}

describe('droppedRecords after a full disk', () => {
  it('100,000 scalars onto a disk with room for about 600: counts the records lost, not the ones written', async () => {
    const { writer, closed, onDisk, added } = await run({ capacity: 24_000, scalars: 100_000, options: {} });
    expect(EventFileWriteError.isInstance(closed)).toBe(true);
    expect((closed as EventFileWriteError).errno).toBe('ENOSPC');
    expect(onDisk).toBeGreaterThan(500);
    expect(writer.droppedRecords).toBe(added - onDisk);
    expect(writer.pendingRecords).toBe(0);
  });

  // The header and step 0 take 40 bytes each, steps 1 to 127 42 bytes: 23 records end at 962.
  it.each([
    ['the header record does not fit', 10, 0],
    ['the disk fills inside a record of the first chunk', 1_000, 23],
    ['the disk fills exactly at a record boundary', 962, 23],
    ['the disk fills in a later chunk', 200_000, undefined],
  ])('an asynchronous write fails partway (%s)', async (_name, capacity, expectedOnDisk) => {
    const { writer, closed, onDisk, added } = await run({ capacity, scalars: 8_000, options: {} });
    expect(EventFileWriteError.isInstance(closed)).toBe(true);
    if (expectedOnDisk !== undefined) expect(onDisk).toBe(expectedOnDisk);
    expect(writer.droppedRecords).toBe(added - onDisk);
  });

  // maxQueue 1,000: an asynchronous write of the first ~500 records (~17.5 kB) starts at half the
  // queue; at 1,000 the full queue is drained synchronously: the running write's region is
  // rewritten, then the rest appended.
  it.each([
    ['the append after the rewrite fails partway', 30_000],
    ['the rewrite of the running write fails partway (the running write then fails too)', 10_000],
  ])('a full queue drained synchronously: %s', async (_name, capacity) => {
    const { writer, closed, onDisk, added } = await run({
      capacity,
      scalars: 5_000,
      options: { maxQueue: 1_000 },
    });
    expect(EventFileWriteError.isInstance(closed)).toBe(true);
    expect(onDisk).toBeGreaterThan(0);
    expect(writer.droppedRecords).toBe(added - onDisk);
  });

  it('holds for any capacity, count, queue bound, policy and flush point (fast-check, seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 150_000 }),
        fc.integer({ min: 1, max: 6_000 }),
        fc.integer({ min: 2, max: 4_000 }),
        fc.constantFrom('block' as const, 'drop' as const),
        fc.option(fc.integer({ min: 1, max: 6_000 }), { nil: undefined }),
        async (capacity, scalars, maxQueue, onQueueFull, flushAfter) => {
          const result = await run({ capacity, scalars, options: { maxQueue, onQueueFull }, flushAfter });
          expect(result.writer.droppedRecords + result.onDisk).toBe(result.added);
          expect(result.writer.pendingRecords).toBe(0);
        },
      ),
      { seed: 20_240_613, numRuns: 60 },
    );
  });
});
