/**
 * Cost of reading the files users bring, side by side: `anneal validate` of a `.keras` archive with
 * no weights and with `--weights-mib` MiB of weights (default 512), and `anneal verify` against a
 * `trainer_state.json` of `--entries` logged steps (default 100,000). Each run is a child process
 * (`node --import tsx/esm bin.ts ...`); the figures are the median wall time and the child's peak
 * resident memory (`process.resourceUsage().maxRSS`, reported by bench/report-rss.mjs on fd 3) over
 * `--repetitions` runs (default 3). Run from packages/cli: `npx tsx bench/bring-your-file.ts`.
 * Prints figures; asserts nothing. The archive is streamed to disk (fflate's `Zip`, stored), never
 * held in memory.
 */

import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, Zip, ZipPassThrough } from 'fflate';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(packageRoot, '../..');

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

const weightsMiB = argument('weights-mib', 512);
const entries = argument('entries', 100_000);
const repetitions = argument('repetitions', 3);
const scratch = path.join(packageRoot, '.tmp', `bench-byf-${process.pid}`);
const modelConfig = readFileSync(
  path.join(repoRoot, 'packages/core/test/fixtures/import/keras-model-config.json'),
);

/** Streams a .keras archive (config.json, metadata.json, `mib` MiB of stored weights) to `file`. */
async function writeArchive(file: string, mib: number): Promise<void> {
  const out = createWriteStream(file);
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    out.write(chunk);
  });
  for (const [name, bytes] of [
    ['metadata.json', strToU8('{"keras_version": "3.3.3", "date_saved": "2024-05-01@12:00:00"}')],
    ['config.json', new Uint8Array(modelConfig)],
  ] as const) {
    const entry = new ZipPassThrough(name);
    zip.add(entry);
    entry.push(bytes, true);
  }
  const weights = new ZipPassThrough('model.weights.h5');
  zip.add(weights);
  const block = new Uint8Array(1024 * 1024).map((_, index) => (index * 2654435761) >>> 24);
  for (let written = 0; written < mib; written++) {
    weights.push(block, written === mib - 1);
    if (out.writableNeedDrain) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  if (mib === 0) weights.push(new Uint8Array(0), true);
  zip.end();
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

/** A trainer_state.json of `count` steps of a 40-step linear schedule's shape (values need not match). */
function writeTrainerState(file: string, count: number): void {
  const log = Array.from({ length: count }, (_, index) => ({
    epoch: (index + 1) / 1000,
    grad_norm: 1.5,
    learning_rate: 0.01 * (1 - index / count),
    loss: 2.5,
    step: index + 1,
  }));
  writeFileSync(
    file,
    `${JSON.stringify({ global_step: count, log_history: log, max_steps: count }, null, 2)}\n`,
  );
}

interface Figures {
  readonly seconds: number;
  readonly rssMiB: number;
}

function runOnce(argv: readonly string[]): Promise<Figures> {
  const started = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    [
      '--import',
      path.join(packageRoot, 'bench/report-rss.mjs'),
      '--import',
      'tsx/esm',
      '--conditions=@anneal/source',
      path.join(packageRoot, 'src/bin.ts'),
      ...argv,
    ],
    { cwd: scratch, stdio: ['ignore', 'ignore', 'inherit', 'pipe'] },
  );
  let report = '';
  child.stdio[3]?.on('data', (chunk: Buffer) => {
    report += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 && code !== 1) reject(new Error(`anneal ${argv.join(' ')} exited with ${code}`));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ seconds, rssMiB: (JSON.parse(report) as { maxRSS: number }).maxRSS / 1024 });
    });
  });
}

async function median(argv: readonly string[]): Promise<Figures> {
  const runs: Figures[] = [];
  for (let index = 0; index < repetitions; index++) runs.push(await runOnce(argv));
  const middle = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { seconds: middle(runs.map((run) => run.seconds)), rssMiB: middle(runs.map((run) => run.rssMiB)) };
}

mkdirSync(scratch, { recursive: true });
try {
  await writeArchive(path.join(scratch, 'empty.keras'), 0);
  await writeArchive(path.join(scratch, 'big.keras'), weightsMiB);
  writeTrainerState(path.join(scratch, 'small_state.json'), 40);
  writeTrainerState(path.join(scratch, 'trainer_state.json'), entries);
  const linear = path.join(scratch, 'linear.json');
  writeFileSync(
    linear,
    JSON.stringify({
      api: 'transformers.optimization.get_linear_schedule_with_warmup',
      params: { num_warmup_steps: 0, num_training_steps: entries },
      base_lr: 0.01,
    }),
  );
  const cases: [string, string[]][] = [
    ['validate model.keras, no weights', ['validate', 'empty.keras']],
    [`validate model.keras, ${weightsMiB} MiB of weights`, ['validate', 'big.keras']],
    ['verify, trainer_state.json of 40 steps', ['verify', linear, '--against', 'small_state.json']],
    [
      `verify, trainer_state.json of ${entries.toLocaleString('en')} steps`,
      ['verify', linear, '--against', 'trainer_state.json'],
    ],
  ];
  console.log(
    `Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)}, median of ${repetitions} runs`,
  );
  console.log('| command | wall time | peak RSS |');
  console.log('| --- | --- | --- |');
  for (const [label, argv] of cases) {
    const figures = await median(argv);
    console.log(`| ${label} | ${figures.seconds.toFixed(2)} s | ${figures.rssMiB.toFixed(0)} MiB |`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
