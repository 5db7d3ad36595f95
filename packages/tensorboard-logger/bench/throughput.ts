/**
 * Throughput of SummaryWriter.addScalar, and its ratio to a raw file write of the same bytes.
 * Run: `npx tsx bench/throughput.ts [scalars]` (default 2,000,000). Prints figures; asserts nothing.
 *
 * - buffered: addScalar calls only (queue large enough that nothing is written during the loop).
 * - end to end: addScalar calls + close() with default options (writes, queue limits, fsync off).
 * - raw: fs.writeFileSync of the identical, already encoded bytes (read back from the event file).
 * Each figure is the median of 5 runs, measured twice: wall clock, and CPU time of this process
 * (user + system, `process.cpuUsage`), which is less sensitive to other load on a shared machine.
 */

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SummaryWriter } from '../src/index';

const count = Number(process.argv[2] ?? 2_000_000);
const repetitions = 5;
const root = mkdtempSync(join(tmpdir(), 'anneal-tb-bench-'));
let runIndex = 0;

interface Timing {
  wall: number;
  cpu: number;
}

function startTiming(): () => Timing {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { wall: Number(process.hrtime.bigint() - wall) / 1e9, cpu: (used.user + used.system) / 1e6 };
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

// Values computed up front, so the timed loops measure addScalar and not Math.cos.
const learningRates = Float64Array.from(
  { length: count },
  (_, step) => 0.05 * (1 + Math.cos((Math.PI * step) / count)),
);

async function buffered(): Promise<{ timing: Timing; file: string }> {
  const writer = new SummaryWriter(join(root, `buffered-${runIndex++}`), {
    maxQueue: count + 10,
    maxQueueBytes: 2 ** 31,
    flushIntervalMs: 600_000,
    flushOnExit: false,
  });
  const stop = startTiming();
  for (let step = 0; step < count; step++)
    writer.addScalar('train/learning_rate', learningRates[step]!, step);
  const timing = stop();
  await writer.close();
  return { timing, file: writer.path };
}

async function endToEnd(): Promise<{ timing: Timing; file: string }> {
  const writer = new SummaryWriter(join(root, `end-to-end-${runIndex++}`), { flushOnExit: false });
  const stop = startTiming();
  for (let step = 0; step < count; step++)
    writer.addScalar('train/learning_rate', learningRates[step]!, step);
  await writer.close();
  return { timing: stop(), file: writer.path };
}

function raw(bytes: Uint8Array): Timing {
  const file = join(root, `raw-${runIndex++}.bin`);
  const stop = startTiming();
  writeFileSync(file, bytes);
  const timing = stop();
  rmSync(file);
  return timing;
}

// Warm-up (JIT), not measured.
await buffered();
await endToEnd();

const bufferedTimes: Timing[] = [];
const endToEndTimes: Timing[] = [];
const rawTimes: Timing[] = [];
let bytes = new Uint8Array(0);
for (let i = 0; i < repetitions; i++) {
  const b = await buffered();
  bufferedTimes.push(b.timing);
  const e = await endToEnd();
  endToEndTimes.push(e.timing);
  bytes = new Uint8Array(readFileSync(e.file));
  rmSync(join(b.file, '..'), { recursive: true, force: true });
  rmSync(join(e.file, '..'), { recursive: true, force: true });
  rawTimes.push(raw(bytes));
}
rmSync(root, { recursive: true, force: true });

const format = (n: number) => Math.round(n).toLocaleString('en-US');
const load = await import('node:os').then((os) => os.loadavg()[0]!.toFixed(1));
console.log(
  `node ${process.version}, ${format(count)} scalars, tag "train/learning_rate", ${format(bytes.length)} bytes, median of ${repetitions}, load average ${load}`,
);
for (const clock of ['wall', 'cpu'] as const) {
  const rate = (times: Timing[]) => count / median(times.map((time) => time[clock]));
  const bufferedRate = rate(bufferedTimes);
  const endToEndRate = rate(endToEndTimes);
  const rawRate = rate(rawTimes);
  console.log(`-- ${clock === 'wall' ? 'wall clock' : 'CPU time (user + system)'}`);
  console.log(`buffered addScalar:            ${format(bufferedRate)} scalars/s  (goal >= 2,000,000)`);
  console.log(`end to end (addScalar+close):  ${format(endToEndRate)} scalars/s`);
  console.log(`raw write of the same bytes:   ${format(rawRate)} scalars/s`);
  console.log(`ratio buffered / raw:          ${(bufferedRate / rawRate).toFixed(3)}  (goal >= 0.3)`);
  console.log(`ratio end to end / raw:        ${(endToEndRate / rawRate).toFixed(3)}`);
}
