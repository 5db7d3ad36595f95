// Benchmark: nanoseconds per evaluation of every registered family (one example config each) and of
// a three-segment join, side by side with a loop of bare Math.cos calls in the same run; sample() of
// 1,000,000 steps; bytes allocated per evaluation over 10M evaluations. Prints figures, asserts nothing.
//
//   npx tsx --conditions=@anneal/source packages/core/bench/evaluate.ts      (or: pnpm --filter @anneal/core bench)

import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { fromConfig, listFamilies, type Schedule, sample } from '../src/index';
import { examples, variants } from './examples';

type Loop = (evaluate: (step: number) => number, steps: Float64Array, rounds: number) => number;

/** A fresh loop function per subject, so call-site feedback is never shared between schedules. */
function makeLoop(): Loop {
  return new Function(
    'evaluate',
    'steps',
    'rounds',
    'let sum = 0; const n = steps.length; for (let r = 0; r < rounds; r++) for (let i = 0; i < n; i++) sum += evaluate(steps[i]); return sum;',
  ) as Loop;
}

function makeCosLoop(): Loop {
  return new Function(
    'evaluate',
    'steps',
    'rounds',
    'let sum = 0; const n = steps.length; for (let r = 0; r < rounds; r++) for (let i = 0; i < n; i++) sum += Math.cos(steps[i]); return sum;',
  ) as Loop;
}

// 4096 steps over [0, 12,000): integers and fractions, in a scrambled order so that branch
// prediction cannot learn the phase sequence.
const steps = new Float64Array(4096);
for (let i = 0; i < steps.length; i++) steps[i] = ((i * 2654435761) % 4096) * (12_000 / 4096) + (i % 3) / 3;

const rounds = 250; // 1,024,000 evaluations per measurement
const repeats = 7;
let sink = 0;

function nsPerEvaluation(loop: Loop, evaluate: (step: number) => number): number {
  loop(evaluate, steps, 20); // warm up (lets the optimizing compiler kick in)
  const samples: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const start = process.hrtime.bigint();
    sink += loop(evaluate, steps, rounds);
    samples.push(Number(process.hrtime.bigint() - start) / (rounds * steps.length));
  }
  // The fastest run: on a shared machine, slower runs measure other processes, not the schedule.
  return Math.min(...samples);
}

/**
 * Bytes allocated per evaluation in the steady state (least of four runs of 10M), measured exactly: a child process with a young generation large
 * enough (1 GiB semi-spaces) that 10M evaluations run without any garbage collection, so the heap
 * growth over the loop is everything the loop allocated. The child reports GCs it saw (should be 0).
 */
function allocationInChild(): Record<string, { bytes: number; gcs: number }> {
  const child = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      '--expose-gc',
      '--min-semi-space-size=1024',
      '--max-semi-space-size=1024',
      process.argv[1]!,
    ],
    { env: { ...process.env, ANNEAL_BENCH_ALLOCATION: '1' }, encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (child.status !== 0) throw new Error(`allocation child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as Record<string, { bytes: number; gcs: number }>;
}

async function allocationChildMain(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  let gcCount = 0;
  const observer = new PerformanceObserver((list) => {
    gcCount += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
  const result: Record<string, { bytes: number; gcs: number }> = {};
  const subjects = { ...examples, ...variants };
  for (const [name, config] of Object.entries(subjects)) {
    let schedule: Schedule;
    try {
      schedule = fromConfig(config);
    } catch {
      continue;
    }
    const loop = makeLoop();
    const loopRounds = Math.round(10_000_000 / steps.length);
    // Four runs of 10M; the steady state is the run that allocated least (earlier runs may still
    // execute unoptimized code, which boxes every double).
    for (let run = 0; run < 4; run++) {
      gc();
      await settle();
      const gcsBefore = gcCount;
      const before = process.memoryUsage().heapUsed;
      sink += loop(schedule, steps, loopRounds);
      const after = process.memoryUsage().heapUsed;
      await settle();
      const measured = { bytes: (after - before) / (loopRounds * steps.length), gcs: gcCount - gcsBefore };
      if (!result[name] || measured.bytes < result[name].bytes) result[name] = measured;
    }
  }
  observer.disconnect();
  process.stdout.write(JSON.stringify(result));
}

if (process.env.ANNEAL_BENCH_ALLOCATION === '1') {
  await allocationChildMain();
  process.exit(0);
}

const cosTimes: number[] = [];

interface Row {
  readonly name: string;
  readonly ns?: number;
  readonly cosNs?: number;
  readonly note?: string;
}
const rows: Row[] = [];

function measure(name: string, config: unknown): void {
  let schedule: Schedule;
  try {
    schedule = fromConfig(config);
  } catch (error) {
    rows.push({ name, note: `example config rejected: ${(error as Error).message.split('\n')[0]}` });
    return;
  }
  // Math.cos is timed right before each subject, so a change in machine load between rows does not
  // skew the ratio.
  const cosNs = nsPerEvaluation(makeCosLoop(), Math.cos);
  cosTimes.push(cosNs);
  rows.push({ name, ns: nsPerEvaluation(makeLoop(), schedule), cosNs });
}

const registered = listFamilies().map((family) => family.type);
for (const type of registered) {
  if (!(type in examples)) {
    rows.push({ name: type, note: 'WARNING: no example config in bench/examples.ts; not measured' });
    continue;
  }
  measure(type, examples[type]);
}
for (const [name, config] of Object.entries(variants)) measure(name, config);
for (const type of Object.keys(examples)) {
  if (!registered.includes(type))
    rows.push({ name: type, note: 'WARNING: example for a type that is not registered' });
}

// sample() of 1,000,000 steps.
const headline = fromConfig(examples.warmupCosineDecay);
const threeSegments = fromConfig(examples.join);
const sampleMs = (schedule: Schedule) => {
  sample(schedule, { end: 999_999 });
  const times: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const start = process.hrtime.bigint();
    const values = sample(schedule, { end: 999_999 });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    sink += values[values.length - 1]!;
  }
  return Math.min(...times);
};
const sampleHeadline = sampleMs(headline);
const sampleJoin = sampleMs(threeSegments);
const allocations = allocationInChild();

const cosNs = [...cosTimes].sort((a, b) => a - b)[Math.floor(cosTimes.length / 2)]!;
const fmt = (value: number, digits = 1) => value.toFixed(digits);
const cpu = cpus();
console.log(`# @anneal/core evaluation benchmark`);
console.log('');
console.log(`- date: ${new Date().toISOString().slice(0, 10)}`);
console.log(`- machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}`);
console.log(
  `- Math.cos loop: median ${fmt(cosNs, 2)} ns per call over ${cosTimes.length} measurements (min ${fmt(Math.min(...cosTimes), 2)}, max ${fmt(Math.max(...cosTimes), 2)}); each row's ratio uses the Math.cos time measured right before it`,
);
console.log(
  `- each figure: fastest of ${repeats} runs of ${rounds * steps.length} evaluations at steps in [0, 12000)`,
);
console.log('');
console.log(
  '| schedule | ns / evaluation | Math.cos ns (same moment) | ratio | bytes / evaluation (10M) | GCs during 10M |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
let over = 0;
for (const row of rows) {
  if (row.ns === undefined) {
    console.log(`| ${row.name} | – | – | – | – | ${row.note} |`);
    continue;
  }
  const ratio = row.ns / row.cosNs!;
  if (ratio > 3) over++;
  console.log(
    `| ${row.name} | ${fmt(row.ns, 2)} | ${fmt(row.cosNs!, 2)} | ${fmt(ratio, 2)}×${ratio > 3 ? ' (over 3×)' : ''} | ${fmt(allocations[row.name]?.bytes ?? Number.NaN, 2)} | ${allocations[row.name]?.gcs ?? '–'} |`,
  );
}
console.log('');
console.log(
  `sample(warmupCosineDecay, { end: 999999 }): ${fmt(sampleHeadline, 2)} ms for 1,000,000 steps (fastest of ${repeats})`,
);
console.log(
  `sample(three-segment join, { end: 999999 }): ${fmt(sampleJoin, 2)} ms for 1,000,000 steps (fastest of ${repeats})`,
);
console.log('');
console.log(
  `${rows.filter((row) => row.ns !== undefined).length} measured, ${over} over 3× Math.cos, ${rows.filter((row) => row.ns === undefined).length} not measured (checksum ${sink.toPrecision(6)})`,
);
