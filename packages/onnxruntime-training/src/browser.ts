/**
 * @anneal/onnxruntime-training for the browser: the same trainer on onnxruntime-web's `webgpu`
 * and `wasm` execution providers, with checkpoints as bytes. It imports no Node built-in and no
 * runtime: the page passes its onnxruntime-web module as `ort`.
 *
 * How a page uses it (onnxruntime-web 1.30; serve `ort.webgpu.bundle.min.mjs` or import
 * `onnxruntime-web/webgpu`, with every `ort-wasm-simd-threaded*.wasm`/`.mjs` file beside it):
 *
 *   import * as ort from 'onnxruntime-web/webgpu';
 *   import { buildTrainingGraph, createTrainer, initParameters } from '@anneal/onnxruntime-training/browser';
 *   const graph = buildTrainingGraph({ inputShape: [784], layers, loss: 'softmaxCrossEntropy', optimizer: { type: 'adam' } });
 *   const trainer = await createTrainer({
 *     ort, model: graph, schedule, parameters: initParameters({ graph, seed: 0 }),
 *     executionProviders: ['webgpu'], // or ['wasm']; no WebGPU adapter: ExecutionProviderError
 *   });
 *   const loss = await trainer.step(xBatch, yBatch); // parameters stay on the GPU between steps
 *   const bytes = await trainer.saveBytes();         // a checkpoint (Uint8Array); loadBytes(bytes) restores it
 *   await trainer.release();
 */
import { ExecutionProviderError } from './errors';
import {
  createLearningRateFeed,
  type LearningRateFeed,
  type LearningRateFeedOptions,
} from './learning-rate-feed';
import type { OrtRuntime } from './runtime';
import type { TrainerOptions as BaseTrainerOptions, TrainerHost } from './trainer/options';
import { createTrainerOn, type Trainer as FullTrainer } from './trainer/trainer';

export * from './public';

/** `createTrainer`'s options in the browser: `ort` (the onnxruntime-web module) is required. */
export type TrainerOptions = Omit<BaseTrainerOptions, 'ort'> & { readonly ort: OrtRuntime };

/** The browser trainer: checkpoints are bytes (`saveBytes`, `loadBytes`), not files. */
export type Trainer = Omit<FullTrainer, 'save' | 'load'>;

/** How long `requestAdapter()` may take before WebGPU counts as unavailable. */
const ADAPTER_TIMEOUT_MS = 10_000;

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

/** Why WebGPU cannot run here (no `navigator.gpu`, no adapter, or none in time), or undefined when it can. */
async function webGpuProblem(): Promise<string | undefined> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (!gpu)
    return 'navigator.gpu is missing (this browser has no WebGPU, or it is disabled; Chromium on Linux needs --enable-unsafe-webgpu)';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ADAPTER_TIMEOUT_MS);
  });
  try {
    const adapter = await Promise.race([gpu.requestAdapter(), timeout]);
    if (adapter === 'timeout')
      return `navigator.gpu.requestAdapter() did not answer within ${ADAPTER_TIMEOUT_MS / 1000} s`;
    if (!adapter)
      return 'navigator.gpu.requestAdapter() returned no adapter (no usable GPU, or WebGPU is blocked for it)';
    return undefined;
  } catch (error) {
    return `navigator.gpu.requestAdapter() failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
}

/** The default `onWarning` in the browser: an `anneal:warning` event on `globalThis` (never the console). */
function dispatchWarning(message: string): void {
  const target = globalThis as { dispatchEvent?: (event: Event) => boolean };
  if (typeof target.dispatchEvent === 'function' && typeof CustomEvent === 'function')
    target.dispatchEvent(new CustomEvent('anneal:warning', { detail: { message } }));
}

const browserHost: TrainerHost = {
  defaultRuntime: undefined,
  defaultExecutionProviders: ['wasm'],
  defaultStrict: true,
  defaultOnWarning: dispatchWarning,
  providers: {
    fallback: 'wasm',
    fallbackLabel: 'wasm',
    requirements: 'WebGPU needs a browser with navigator.gpu and a GPU adapter',
    check: async (providers, caller) => {
      if (!providers.includes('webgpu')) return;
      const problem = await webGpuProblem();
      if (problem)
        throw new ExecutionProviderError(
          `${caller}: execution provider "webgpu" is unavailable: ${problem}.`,
          [...providers],
        );
    },
  },
};

/**
 * Creates a trainer on the onnxruntime-web module passed as `ort`. Validates every option (one
 * `TrainingConfigError` listing every problem), creates the session (default `['wasm']`; with
 * `'webgpu'` the parameters and optimizer state stay on the GPU) and copies the initial values.
 * A requested `webgpu` without an adapter is an `ExecutionProviderError` (or, with
 * `strict: false`, a fallback to wasm and one `onWarning`).
 */
export function createTrainer(options: TrainerOptions): Promise<Trainer> {
  return createTrainerOn(browserHost, undefined, options);
}

/** Feeds `{ learning_rate: scalar tensor }` of `ort.Tensor` (`ort` required) for your own graphs. */
export function learningRateFeed(
  options: LearningRateFeedOptions & { readonly ort: OrtRuntime },
): LearningRateFeed {
  return createLearningRateFeed(options, undefined);
}
