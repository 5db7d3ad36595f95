/**
 * Throughput and peak memory of `anneal values` over a long range, for the working tree and,
 * with `--baseline <git revision>`, for the CLI sources of that revision side by side.
 * Run: `npx tsx bench/values-output.ts [--rows N] [--baseline REV] [--repetitions N]` from
 * packages/cli (defaults: 10,000,000 rows, 3 repetitions). Prints figures; asserts nothing.
 *
 * Each run is a child process (`node --import tsx/esm bin.ts values <warmupCosineDecay config>
 * --steps 0:<rows - 1> --format json|csv`):
 *
 * - to /dev/null: stdout is a file, so every write is synchronous; rows/s = rows / (wall time −
 *   start-up), where start-up is the median wall time of the same command with one row.
 * - through a pipe: this process reads stdout as fast as it can and counts the bytes (what
 *   `| cat` sees); the figure is the child's peak resident memory (`maxRSS` from
 *   `process.resourceUsage()`, reported on exit by bench/report-rss.mjs through fd 3).
 *
 * Figures are medians over the repetitions. The baseline is the CLI's `src` and `package.json` at
 * REV extracted into `.tmp/` (it runs against the working tree's @anneal/core and @anneal/plot).
 */

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(packageRoot, '../..');

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

const rows = Number(argument('rows') ?? 10_000_000);
const repetitions = Number(argument('repetitions') ?? 3);
const baseline = argument('baseline');
const scratch = path.join(packageRoot, '.tmp', `bench-${process.pid}`);
const config = path.join(scratch, 'warmup-cosine.json');

interface Variant {
  readonly name: string;
  readonly bin: string;
}

interface RunResult {
  readonly seconds: number;
  readonly maxRssKiB: number;
  readonly bytes: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Extracts the CLI sources of `revision` so that they resolve the workspace packages like the tree's. */
function extractBaseline(revision: string): string {
  const target = path.join(scratch, 'baseline');
  mkdirSync(target, { recursive: true });
  const archive = spawnSync('git', ['archive', revision, 'packages/cli/src', 'packages/cli/package.json'], {
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (archive.status !== 0) throw new Error(`git archive ${revision} failed: ${archive.stderr}`);
  const untar = spawnSync('tar', ['-x', '--strip-components=2', '-C', target], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  return path.join(target, 'src/bin.ts');
}

function childArguments(bin: string, count: number, format: string): string[] {
  return [
    '--import',
    path.join(packageRoot, 'bench/report-rss.mjs'),
    '--import',
    'tsx/esm',
    '--conditions=@anneal/source',
    bin,
    'values',
    config,
    '--steps',
    `0:${count - 1}`,
    '--format',
    format,
  ];
}

/** One run; `toDevNull` sends stdout to /dev/null, otherwise this process drains a pipe. */
function runOnce(bin: string, count: number, format: string, toDevNull: boolean): Promise<RunResult> {
  const devNull = toDevNull ? openSync('/dev/null', 'w') : undefined;
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, childArguments(bin, count, format), {
    cwd: packageRoot,
    stdio: ['ignore', devNull ?? 'pipe', 'inherit', 'pipe'],
  });
  let bytes = 0;
  let report = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  child.stdio[3]?.on('data', (chunk: Buffer) => {
    report += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (devNull !== undefined) closeSync(devNull);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) {
        reject(new Error(`${bin} exited with ${code}`));
        return;
      }
      const { maxRSS } = JSON.parse(report) as { maxRSS: number };
      resolve({ seconds, maxRssKiB: maxRSS, bytes });
    });
  });
}

async function medianOf(
  bin: string,
  count: number,
  format: string,
  toDevNull: boolean,
): Promise<{ seconds: number; maxRssKiB: number; bytes: number }> {
  const results: RunResult[] = [];
  for (let repetition = 0; repetition < repetitions; repetition += 1) {
    results.push(await runOnce(bin, count, format, toDevNull));
  }
  return {
    seconds: median(results.map((result) => result.seconds)),
    maxRssKiB: median(results.map((result) => result.maxRssKiB)),
    bytes: results[0]!.bytes,
  };
}

async function measure(variant: Variant, format: string): Promise<string> {
  const startup = await medianOf(variant.bin, 1, format, true);
  const devNull = await medianOf(variant.bin, rows, format, true);
  const piped = await medianOf(variant.bin, rows, format, false);
  const rate = rows / Math.max(1e-9, devNull.seconds - startup.seconds);
  return [
    variant.name.padEnd(22),
    format.padEnd(5),
    `${devNull.seconds.toFixed(2)} s`.padStart(9),
    `${startup.seconds.toFixed(2)} s`.padStart(9),
    `${(rate / 1e6).toFixed(2)} M rows/s`.padStart(15),
    `${(piped.maxRssKiB / 1024).toFixed(0)} MiB`.padStart(10),
    `${(piped.bytes / 1e6).toFixed(1)} MB`.padStart(10),
  ].join('  ');
}

async function benchmark(): Promise<void> {
  mkdirSync(scratch, { recursive: true });
  writeFileSync(
    config,
    JSON.stringify({
      type: 'warmupCosineDecay',
      peakValue: 0.001,
      warmupSteps: Math.floor(rows / 100),
      totalSteps: rows,
      finalValue: 0.00001,
    }),
  );
  const variants: Variant[] = [];
  if (baseline !== undefined) variants.push({ name: `baseline ${baseline}`, bin: extractBaseline(baseline) });
  variants.push({ name: 'working tree', bin: path.join(packageRoot, 'src/bin.ts') });
  console.log(
    `anneal values, ${rows.toLocaleString('en-US')} rows, median of ${repetitions}; node ${process.version}, ${cpus().length} CPUs, load ${loadavg()[0]!.toFixed(2)}`,
  );
  console.log(
    `${'variant'.padEnd(22)}  ${'fmt'.padEnd(5)}  ${'/dev/null'.padStart(9)}  ${'start-up'.padStart(9)}  ${'throughput'.padStart(15)}  ${'peak RSS'.padStart(10)}  ${'output'.padStart(10)}`,
  );
  console.log(
    `${' '.repeat(22)}  ${' '.repeat(5)}  ${''.padStart(9)}  ${''.padStart(9)}  ${''.padStart(15)}  ${'(pipe)'.padStart(10)}`,
  );
  for (const format of ['json', 'csv']) {
    for (const variant of variants) console.log(await measure(variant, format));
  }
}

try {
  await benchmark();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
