/**
 * Benchmark: model.fit throughput (samples/s) in headless Chromium on the cpu, webgl and webgpu
 * backends, side by side in one run: an MLP 784-128-10 (ReLU, softmax, Adam or SGD with
 * learningRateScheduler), batch 64, deterministic synthetic data; one warm-up epoch (shader
 * compilation) before the timed epochs. Prints what each backend runs on (describeBackend),
 * its epsilon, samples/s and the ratio to cpu; asserts nothing.
 *
 *   pnpm --filter @anneal/tfjs bench:browser
 *   BENCH_SAMPLES=1024 BENCH_EPOCHS=2 BENCH_BATCH=64 BENCH_OPTIMIZER=sgd ... to change the setup
 */
import { fileURLToPath } from 'node:url';
import { browserBackends } from '../test/browser/cases';
import { bundlePage, openPage, withTimeout } from '../test/browser/harness';

const samples = Number(process.env.BENCH_SAMPLES ?? 512);
const epochs = Number(process.env.BENCH_EPOCHS ?? 2);
const batch = Number(process.env.BENCH_BATCH ?? 64);
const optimizer = process.env.BENCH_OPTIMIZER === 'sgd' ? 'sgd' : 'adam';
const STEP_MS = 300_000;

const code = await bundlePage(fileURLToPath(new URL('../test/browser/page.ts', import.meta.url)));
const served = await openPage(code, 60_000);
const rows: string[][] = [];
let cpuRate: number | undefined;
try {
  for (const backend of browserBackends) {
    const setup = await withTimeout(
      served.page.evaluate((name) => globalThis.annealPage.setBackend(name), backend),
      60_000,
      `setBackend('${backend}')`,
    );
    const run = await withTimeout(
      served.page.evaluate(([n, b, e, o]) => globalThis.annealPage.throughput(n, b, e, o), [
        samples,
        batch,
        epochs,
        optimizer,
      ] as const),
      STEP_MS,
      `throughput on ${backend}`,
    );
    cpuRate ??= run.samplesPerSecond;
    rows.push([
      backend,
      setup.adapter ?? '(CPU)',
      String(setup.epsilon),
      run.samplesPerSecond.toFixed(1),
      (run.samplesPerSecond / cpuRate).toFixed(2),
      run.warmUpLoss.toFixed(6),
      run.lastLoss.toFixed(6),
    ]);
  }
} finally {
  await served.close();
}

console.log(
  `MLP 784-128-10, ${optimizer === 'adam' ? 'Adam' : 'SGD'} + learningRateScheduler, batch ${batch}, ${samples} samples x ${epochs} timed epochs (after 1 warm-up epoch), headless Chromium`,
);
const header = ['backend', 'adapter', 'epsilon', 'samples/s', 'vs cpu', 'warm-up loss', 'last loss'];
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column]!.length)),
);
for (const row of [header, ...rows])
  console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join('  '));
