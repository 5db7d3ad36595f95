/**
 * Throughput of SummaryWriter.addScalar, and its ratio to a raw file write of the same bytes.
 * Run: `npx tsx bench/throughput.ts [scalars]` (default 2,000,000). Prints figures; asserts nothing.
 *
 * - buffered: addScalar calls only (queue large enough that nothing is written during the loop).
 * - end to end: addScalar calls + close() with default options (writes, queue limits, fsync off).
 * - raw: fs.writeFileSync of the identical, already encoded bytes (read back from the event file).
 * Each figure is the median of 5 runs.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SummaryWriter } from '../src/index';

const count = Number(process.argv[2] ?? 2_000_000);
const repetitions = 5;
const root = mkdtempSync(join(tmpdir(), 'anneal-tb-bench-'));
let runIndex = 0;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function learningRate(step: number): number {
  return 0.05 * (1 + Math.cos((Math.PI * step) / count));
}

async function buffered(): Promise<{ seconds: number; file: string }> {
  const writer = new SummaryWriter(join(root, `buffered-${runIndex++}`), {
    maxQueue: count + 10,
    maxQueueBytes: 2 ** 31,
    flushIntervalMs: 600_000,
    flushOnExit: false,
  });
  const start = process.hrtime.bigint();
  for (let step = 0; step < count; step++) writer.addScalar('train/learning_rate', learningRate(step), step);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await writer.close();
  return { seconds, file: writer.path };
}

async function endToEnd(): Promise<{ seconds: number; file: string }> {
  const writer = new SummaryWriter(join(root, `end-to-end-${runIndex++}`), { flushOnExit: false });
  const start = process.hrtime.bigint();
  for (let step = 0; step < count; step++) writer.addScalar('train/learning_rate', learningRate(step), step);
  await writer.close();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { seconds, file: writer.path };
}

function raw(bytes: Uint8Array): number {
  const file = join(root, `raw-${runIndex++}.bin`);
  const start = process.hrtime.bigint();
  writeFileSync(file, bytes);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  rmSync(file);
  return seconds;
}

// Warm-up (JIT), not measured.
await buffered();
await endToEnd();

const bufferedSeconds: number[] = [];
const endToEndSeconds: number[] = [];
const rawSeconds: number[] = [];
let bytes = new Uint8Array(0);
for (let i = 0; i < repetitions; i++) {
  const b = await buffered();
  bufferedSeconds.push(b.seconds);
  const e = await endToEnd();
  endToEndSeconds.push(e.seconds);
  bytes = new Uint8Array(readFileSync(e.file));
  rmSync(join(b.file, '..'), { recursive: true, force: true });
  rmSync(join(e.file, '..'), { recursive: true, force: true });
  rawSeconds.push(raw(bytes));
}
rmSync(root, { recursive: true, force: true });

const perSecond = (seconds: number) => count / seconds;
const bufferedRate = perSecond(median(bufferedSeconds));
const endToEndRate = perSecond(median(endToEndSeconds));
const rawRate = perSecond(median(rawSeconds));
const format = (n: number) => Math.round(n).toLocaleString('en-US');

console.log(
  `node ${process.version}, ${count.toLocaleString('en-US')} scalars, tag "train/learning_rate", ${bytes.length.toLocaleString('en-US')} bytes, median of ${repetitions}`,
);
console.log(`buffered addScalar:            ${format(bufferedRate)} scalars/s  (goal >= 2,000,000)`);
console.log(`end to end (addScalar+close):  ${format(endToEndRate)} scalars/s`);
console.log(
  `raw write of the same bytes:   ${format(rawRate)} scalars/s  (${(bytes.length / median(rawSeconds) / 2 ** 20).toFixed(0)} MiB/s)`,
);
console.log(`ratio buffered / raw:          ${(bufferedRate / rawRate).toFixed(3)}  (goal >= 0.3)`);
console.log(`ratio end to end / raw:        ${(endToEndRate / rawRate).toFixed(3)}  (goal >= 0.3)`);
