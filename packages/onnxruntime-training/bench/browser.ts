/**
 * onnxruntime-web in headless Chromium: training steps per second on the `webgpu` provider with
 * the parameters kept on the GPU (`preferredOutputLocation: 'gpu-buffer'`, the default) and with
 * CPU outputs (every step copies every parameter and state tensor to the CPU and back), and on
 * `wasm`, side by side; then the loss of the same run (same graph, weights, batches, schedule)
 * on webgpu, on wasm and on onnxruntime-node's CPU, per optimizer, with the largest differences.
 * Here WebGPU is SwiftShader (a software GPU); on a machine with a GPU the page uses that one.
 * Prints figures only.
 *
 *   npx tsx --conditions=@anneal/source bench/browser.ts [--steps 30] [--loss-steps 20]
 *   (or pnpm --filter @anneal/onnxruntime-training bench:browser)
 */
import { cpus } from 'node:os';
import { type ModelName, OPTIMIZERS } from '../test/browser/cases';
import { cpuLosses } from '../test/browser/cpu-reference';
import { type BrowserSession, openBrowser } from '../test/browser/harness';

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const steps = argument('steps', 30);
const lossSteps = argument('loss-steps', 20);
const TIMEOUT_MS = 300_000;

const VARIANTS = [
  { label: 'webgpu, gpu-buffer', provider: 'webgpu', outputLocation: 'gpu-buffer' },
  { label: 'webgpu, cpu outputs', provider: 'webgpu', outputLocation: 'cpu' },
  { label: 'wasm', provider: 'wasm', outputLocation: 'cpu' },
] as const;

const format = (value: number, digits = 1) => value.toFixed(digits).padStart(8);

async function throughput(
  browser: BrowserSession,
  model: ModelName,
  optimizer: string,
  batch: number,
  steps: number,
) {
  const rates: number[] = [];
  for (const variant of VARIANTS) {
    const result = await browser.call(
      'throughput',
      { model, optimizer, steps, batch, provider: variant.provider, outputLocation: variant.outputLocation },
      TIMEOUT_MS,
    );
    if ('error' in result) throw new Error(`${variant.label}: ${result.error.message}`);
    rates.push(result.stepsPerSecond);
  }
  const [gpuBuffer, cpuOutputs, wasm] = rates as [number, number, number];
  console.log(
    `${`${model} ${optimizer} b${batch}`.padEnd(22)}${format(gpuBuffer)}${format(cpuOutputs)}${format(wasm)}${format(gpuBuffer / cpuOutputs, 2)}×${format(gpuBuffer / wasm, 2)}×`,
  );
}

const maxDifference = (a: readonly number[], b: readonly number[]) =>
  Math.max(...a.map((value, i) => Math.abs(value - b[i]!)));

async function lossDifferences(
  browser: BrowserSession,
  model: ModelName,
  optimizer: string,
  batch: number,
  lossSteps: number,
) {
  const spec = { model, optimizer, steps: lossSteps, batch };
  const web: Record<string, number[]> = {};
  for (const provider of ['webgpu', 'wasm'] as const) {
    const result = await browser.call('train', { ...spec, provider }, TIMEOUT_MS);
    if ('error' in result) throw new Error(`${provider}: ${result.error.message}`);
    web[provider] = result.losses;
  }
  const cpu = await cpuLosses(spec);
  const e = (value: number) => value.toExponential(1).padStart(9);
  console.log(
    `${`${model} ${optimizer} b${batch}`.padEnd(22)}${e(maxDifference(web.webgpu!, web.wasm!))}${e(maxDifference(web.webgpu!, cpu))}${e(maxDifference(web.wasm!, cpu))}   ${cpu[0]!.toFixed(4)} → ${cpu[cpu.length - 1]!.toFixed(4)}`,
  );
}

const browser = await openBrowser();
try {
  console.log(
    `Chromium headless, WebGPU adapter: ${browser.adapter ?? 'none'}; ${cpus().length} CPUs (${cpus()[0]?.model})`,
  );
  console.log(`\nsteps/s (${steps} steps after one warm-up step; session creation not counted)`);
  console.log(
    `${'model'.padEnd(22)}${'gpu-buf'.padStart(8)}${'cpu-out'.padStart(8)}${'wasm'.padStart(8)}${'gpu/cpu'.padStart(9)}${'gpu/wasm'.padStart(9)}`,
  );
  // the CNN is ~10× slower on SwiftShader: fewer steps keep the run to a few minutes
  const cnnSteps = Math.max(3, Math.round(steps / 5));
  await throughput(browser, 'mnistMlp', 'sgd', 64, steps);
  await throughput(browser, 'mnistMlp', 'adam', 64, steps);
  await throughput(browser, 'mnistCnn', 'sgd', 32, cnnSteps);
  const cnnLossSteps = Math.max(3, Math.round(lossSteps / 4));
  console.log(
    `\nlargest |loss difference| over ${lossSteps} steps (CNN: ${cnnLossSteps}); same graph, weights, batches, schedule`,
  );
  console.log(
    `${'model'.padEnd(22)}${'gpu-wasm'.padStart(9)}${'gpu-cpu'.padStart(9)}${'wasm-cpu'.padStart(9)}   loss (node CPU)`,
  );
  for (const optimizer of Object.keys(OPTIMIZERS))
    await lossDifferences(browser, 'mnistMlp', optimizer, 64, lossSteps);
  await lossDifferences(browser, 'mnistCnn', 'adam', 32, cnnLossSteps);
} finally {
  await browser.close();
}
