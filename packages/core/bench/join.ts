// Benchmark: nanoseconds per evaluation of a `join` of n constant segments, for n from 3 to
// 1,000,000, at steps spread over the whole join (scrambled order). Prints figures, asserts nothing.
//
//   npx tsx --conditions=@anneal/source packages/core/bench/join.ts   (or: pnpm --filter @anneal/core bench:join)
//
// Each n is timed in a fresh function (no shared call-site feedback); fastest of 5 runs of about 0.1 s.
import { constant, join, type Schedule } from '../src/index';

const counts = [3, 4, 8, 16, 17, 100, 1_000, 10_000, 100_000, 1_000_000];
const probes = 4096;

function build(count: number): Schedule {
  const child = constant({ value: 1 });
  return join({
    segments: Array.from({ length: count }, (_, i) =>
      i === count - 1 ? { schedule: child } : { schedule: child, steps: 10 },
    ),
  });
}

let sink = 0;
const rows: string[] = [];
for (const count of counts) {
  const schedule = build(count);
  const span = count * 10;
  const steps = new Float64Array(probes);
  for (let i = 0; i < probes; i++) steps[i] = (((i * 2654435761) % probes) / probes) * span;
  const loop = new Function(
    'evaluate',
    'steps',
    'rounds',
    `// join ${count}
    let sum = 0; const n = steps.length; for (let r = 0; r < rounds; r++) for (let i = 0; i < n; i++) sum += evaluate(steps[i]); return sum;`,
  ) as (evaluate: (step: number) => number, steps: Float64Array, rounds: number) => number;
  // Rounds sized to about 0.1 s per timed run (a linear scan of a million segments is slow).
  const calibrate = process.hrtime.bigint();
  sink += loop(schedule, steps, 1);
  const roundNs = Number(process.hrtime.bigint() - calibrate);
  const rounds = Math.max(1, Math.round(1e8 / roundNs));
  for (let k = 0; k < 2; k++) sink += loop(schedule, steps, rounds);
  let best = Number.POSITIVE_INFINITY;
  for (let k = 0; k < 5; k++) {
    const start = process.hrtime.bigint();
    sink += loop(schedule, steps, rounds);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / (rounds * probes));
  }
  rows.push(`| ${count.toLocaleString('en-US')} | ${best.toFixed(2)} |`);
}
console.log(
  `# join: ns per evaluation by segment count (Node ${process.version}, ${new Date().toISOString().slice(0, 10)})\n`,
);
console.log('| segments | ns / evaluation |\n| ---: | ---: |');
console.log(rows.join('\n'));
console.log(`\n(checksum ${sink > 0 ? 'ok' : 'none'})`);
