/**
 * Throughput of SummaryWriter.addScalar, and its ratio to a raw file write of the same bytes.
 * Run: `npx tsx bench/throughput.ts [scalars] [repetitions]` (defaults 2,000,000 and 5). Prints
 * figures; asserts nothing.
 *
 * - buffered: the addScalar loop alone, queue large enough that nothing is written during it, with
 *   the default clock (`Date.now()` per call) — the cost a training loop sees per call.
 * - buffered, clock excluded: the same with an injected constant clock (`nowMs: () => constant`),
 *   i.e. everything addScalar does except reading the system clock.
 * - end to end: addScalar calls + close() with default options (64 KiB chunks, bounded queue).
 * - raw, 64 KiB writes (the baseline of the ratios): the identical, already encoded bytes (read back
 *   from an event file) written with one `writeSync` per 64 KiB, the writer's chunk size, into a
 *   new file opened and closed inside the timed region. The writer never hands the OS less than a
 *   64 KiB chunk per write while it streams, and it cannot hand it one giant buffer (its queue is
 *   bounded), so this is the same work on the OS side done without any encoding.
 * - raw, one write: `writeFileSync` of all the bytes at once, the floor of the previous baseline,
 *   printed for reference.
 *
 * Measures alternate within each repetition; each figure is the median over the repetitions after
 * one warm-up round, by wall clock and by CPU time of this process (user + system,
 * `process.cpuUsage`), which is less sensitive to other load on a shared machine.
 */

import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SummaryWriter } from '../src/index';

const count = Number(process.argv[2] ?? 2_000_000);
const repetitions = Number(process.argv[3] ?? 5);
const WRITER_CHUNK_BYTES = 64 * 1024;
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
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// Values computed up front, so the timed loops measure addScalar and not Math.cos.
const learningRates = Float64Array.from(
  { length: count },
  (_, step) => 0.05 * (1 + Math.cos((Math.PI * step) / count)),
);

// Half of the queue starts a write, so the limits are twice what the loop adds: nothing is written
// during it.
const unboundedQueue = {
  maxQueue: 2 * count + 10,
  maxQueueBytes: 2 ** 32,
  flushIntervalMs: 600_000,
  flushOnExit: false,
} as const;

async function buffered(): Promise<Timing> {
  const writer = new SummaryWriter(join(root, `buffered-${runIndex++}`), unboundedQueue);
  const stop = startTiming();
  for (let step = 0; step < count; step++)
    writer.addScalar('train/learning_rate', learningRates[step]!, step);
  const timing = stop();
  await writer.close();
  rmSync(writer.logdir, { recursive: true, force: true });
  return timing;
}

async function bufferedWithoutClock(): Promise<Timing> {
  const nowMs = Date.now();
  const writer = new SummaryWriter(join(root, `fixed-clock-${runIndex++}`), {
    ...unboundedQueue,
    nowMs: () => nowMs,
  });
  const stop = startTiming();
  for (let step = 0; step < count; step++)
    writer.addScalar('train/learning_rate', learningRates[step]!, step);
  const timing = stop();
  await writer.close();
  rmSync(writer.logdir, { recursive: true, force: true });
  return timing;
}

async function endToEnd(): Promise<{ timing: Timing; bytes: Uint8Array }> {
  const writer = new SummaryWriter(join(root, `end-to-end-${runIndex++}`), { flushOnExit: false });
  const stop = startTiming();
  for (let step = 0; step < count; step++)
    writer.addScalar('train/learning_rate', learningRates[step]!, step);
  await writer.close();
  const timing = stop();
  const bytes = new Uint8Array(readFileSync(writer.path));
  rmSync(writer.logdir, { recursive: true, force: true });
  return { timing, bytes };
}

function rawChunked(bytes: Uint8Array): Timing {
  const file = join(root, `raw-${runIndex++}.bin`);
  const stop = startTiming();
  const fd = openSync(file, 'w');
  for (let offset = 0; offset < bytes.length; offset += WRITER_CHUNK_BYTES) {
    const length = Math.min(WRITER_CHUNK_BYTES, bytes.length - offset);
    let written = 0;
    while (written < length) written += writeSync(fd, bytes, offset + written, length - written);
  }
  closeSync(fd);
  const timing = stop();
  rmSync(file);
  return timing;
}

function rawWhole(bytes: Uint8Array): Timing {
  const file = join(root, `raw-${runIndex++}.bin`);
  const stop = startTiming();
  writeFileSync(file, bytes);
  const timing = stop();
  rmSync(file);
  return timing;
}

const measures = {
  buffered: [] as Timing[],
  bufferedWithoutClock: [] as Timing[],
  endToEnd: [] as Timing[],
  rawChunked: [] as Timing[],
  rawWhole: [] as Timing[],
};
let bytes: Uint8Array = new Uint8Array(0);
for (let round = 0; round <= repetitions; round++) {
  const warmUp = round === 0;
  const record = (list: Timing[], timing: Timing) => {
    if (!warmUp) list.push(timing);
  };
  record(measures.buffered, await buffered());
  record(measures.bufferedWithoutClock, await bufferedWithoutClock());
  const e = await endToEnd();
  record(measures.endToEnd, e.timing);
  bytes = e.bytes;
  record(measures.rawChunked, rawChunked(bytes));
  record(measures.rawWhole, rawWhole(bytes));
}
rmSync(root, { recursive: true, force: true });

const format = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(
  `node ${process.version}, ${format(count)} scalars, tag "train/learning_rate", ${format(bytes.length)} bytes, median of ${repetitions}, load average ${loadavg()[0]!.toFixed(1)}`,
);
for (const clock of ['wall', 'cpu'] as const) {
  const rate = (times: Timing[]) => count / median(times.map((time) => time[clock]));
  const nanoseconds = (times: Timing[]) => (1e9 / rate(times)).toFixed(1);
  const line = (label: string, times: Timing[], note = '') =>
    console.log(
      `${label.padEnd(38)}${format(rate(times)).padStart(12)} scalars/s  ${nanoseconds(times).padStart(6)} ns each${note}`,
    );
  const bufferedRate = rate(measures.buffered);
  const withoutClockRate = rate(measures.bufferedWithoutClock);
  const rawRate = rate(measures.rawChunked);
  console.log(`-- ${clock === 'wall' ? 'wall clock' : 'CPU time (user + system)'}`);
  line('buffered addScalar', measures.buffered, '  (goal >= 2,000,000)');
  line('buffered addScalar, clock excluded', measures.bufferedWithoutClock);
  line('end to end (addScalar + close)', measures.endToEnd);
  line('raw write, 64 KiB writes (baseline)', measures.rawChunked);
  line('raw write, one write (reference)', measures.rawWhole);
  console.log(`ratio buffered / raw:                  ${(bufferedRate / rawRate).toFixed(3)}  (goal >= 0.3)`);
  console.log(`ratio buffered, clock excluded / raw:  ${(withoutClockRate / rawRate).toFixed(3)}`);
  console.log(`ratio end to end / raw:                ${(rate(measures.endToEnd) / rawRate).toFixed(3)}`);
  console.log(
    `ratio buffered / raw one write:        ${(bufferedRate / rate(measures.rawWhole)).toFixed(3)}`,
  );
}
