/**
 * The adapter in headless Chromium on onnxruntime-web 1.30's `webgpu` (SwiftShader here, the real
 * GPU where there is one) and `wasm` providers: every optimizer, every layer type and both
 * losses train; the learning rate each `session.run` received is the schedule's float32 value,
 * bit for bit; losses match onnxruntime-node's CPU run of the same graph, weights and batches;
 * on webgpu the parameters stay on the GPU between steps with no growth in GPU buffers; a
 * checkpoint saved as bytes restores exactly; no WebGPU adapter is one ExecutionProviderError line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schedule } from './browser/cases';
import { cpuLosses } from './browser/cpu-reference';
import { type BrowserSession, openBrowser } from './browser/harness';
import type { TrainRequest } from './browser/page';

/** Loss agreement with the CPU run: GPU and SIMD kernels reorder float32 sums (bench/browser.ts measures ≤ 7.2e-7). */
const LOSS_TOLERANCE = 1e-5;
/** Every call into the page ends within this; nothing waits forever. */
const PAGE_TIMEOUT_MS = 40_000;

type Run = Omit<TrainRequest, 'provider'>;
// models repeat back to back: ONNX Runtime reuses the compiled WebGPU shaders of equal kernels
const RUNS: Record<string, Run> = {
  'SGD, MLP (dense, relu, softmax cross-entropy) and evaluate': {
    model: 'mlp',
    optimizer: 'sgd',
    steps: 5,
    batch: 8,
    evaluate: true,
  },
  'Adam, MLP, checkpoint bytes restored after step 3': {
    model: 'mlp',
    optimizer: 'adam',
    steps: 5,
    batch: 8,
    checkpointAt: 3,
  },
  'momentum with dampening, regression (sigmoid, gelu, mean squared error)': {
    model: 'regression',
    optimizer: 'momentum',
    steps: 5,
    batch: 8,
  },
  'AdamW, regression': { model: 'regression', optimizer: 'adamw', steps: 5, batch: 8 },
  'Adam, CNN (conv2d, relu, maxPool2d, tanh, flatten, dense)': {
    model: 'cnn',
    optimizer: 'adam',
    steps: 4,
    batch: 4,
  },
};

function expectClose(actual: readonly number[], expected: readonly number[], label: string) {
  expect(actual.length, label).toBe(expected.length);
  actual.forEach((value, i) => {
    const difference = Math.abs(value - expected[i]!);
    expect(difference, `${label} step ${i}: ${value} vs ${expected[i]}`).toBeLessThanOrEqual(
      LOSS_TOLERANCE * Math.max(1, Math.abs(expected[i]!)),
    );
  });
}

let browser: BrowserSession;
beforeAll(async () => {
  browser = await openBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

describe.each(['webgpu', 'wasm'] as const)('onnxruntime-web %s in Chromium', (provider) => {
  it.each(Object.entries(RUNS))(
    '%s',
    async (_name, run) => {
      const result = await browser.call('train', { ...run, provider }, PAGE_TIMEOUT_MS);
      if ('error' in result) throw new Error(`${result.error.name}: ${result.error.message}`);
      expect(result.executionProviders).toEqual([provider]);
      // the learning rate every training run received: the schedule's float32 value, bit for bit
      const steps = Array.from({ length: run.steps }, (_, k) => k);
      const replayedSteps = run.checkpointAt === undefined ? [] : steps.slice(run.checkpointAt);
      const expected = [...steps, ...replayedSteps].map((k) => Math.fround(schedule(k)));
      expect(result.fed.map((value) => (Object.is(value, 0) ? 0 : value))).toEqual(expected);
      expectClose(result.losses, await cpuLosses(run), `${provider} vs onnxruntime-node CPU`);
      if (run.checkpointAt !== undefined)
        expect(result.replayed).toEqual(result.losses.slice(run.checkpointAt));
      if (run.evaluate) expect(Number.isFinite(result.evaluationLoss)).toBe(true);
      expect(Number.isFinite(result.parameterSum)).toBe(true);
      if (provider === 'webgpu') {
        expect(result.outputLocation).toBe('gpu-buffer');
        if (run.checkpointAt === undefined) expect(result.bufferGrowth).toBe(0);
        expect(result.synchronousReadError).toBe(
          'trainer.parameters: the parameters and optimizer state live on the GPU (preferredOutputLocation "gpu-buffer"); read them with await trainer.readParameters() or trainer.readOptimizerState().',
        );
      } else {
        expect(result.outputLocation).toBe('cpu');
        expect(result.synchronousReadError).toBeUndefined();
      }
    },
    PAGE_TIMEOUT_MS + 5_000,
  );
});

describe('a browser without a WebGPU adapter', () => {
  it('is one ExecutionProviderError line by default, never a hang', async () => {
    const result = await browser.call('noAdapter', true, PAGE_TIMEOUT_MS);
    expect(result).toEqual({
      error: {
        name: 'ExecutionProviderError',
        message:
          'createTrainer: execution provider "webgpu" is unavailable: navigator.gpu.requestAdapter() returned no adapter (no usable GPU, or WebGPU is blocked for it).',
      },
    });
  });

  it('falls back to wasm with one warning under strict: false', async () => {
    const result = await browser.call('noAdapter', false, PAGE_TIMEOUT_MS);
    if ('error' in result) throw new Error(`${result.error.name}: ${result.error.message}`);
    expect(result.executionProviders).toEqual(['wasm']);
    expect(Number.isFinite(result.loss)).toBe(true);
    expect(result.warnings).toEqual([
      'createTrainer: execution provider "webgpu" is unavailable (createTrainer: execution provider "webgpu" is unavailable: navigator.gpu.requestAdapter() returned no adapter (no usable GPU, or WebGPU is blocked for it).); training on wasm instead. Pass strict: true to make this an error.',
    ]);
  });
});
