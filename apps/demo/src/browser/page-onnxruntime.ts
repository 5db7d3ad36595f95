/**
 * onnxruntime-web in the page: @anneal/onnxruntime-training's browser entry on the `webgpu` or
 * `wasm` execution provider (parameters and optimizer state stay on the GPU between steps with
 * webgpu), then the demo's own ONNX Runtime training loop.
 */
import { buildTrainingGraph, createTrainer } from '@anneal/onnxruntime-training/browser';
import { buildModelGraph, int64Labels, toNamed, trainOnnxRuntime } from '../runners/onnxruntime';
import type { ScalarWriter, TrainingHooks, TrainingPlan, TrainingResult } from '../runners/types';
import { describeGpuAdapter } from './protocol';

/** Where the demo's server puts onnxruntime-web's WebGPU bundle and its wasm files. */
const ortFolder = '/ort/';

type OrtWeb = Parameters<typeof createTrainer>[0]['ort'] & {
  env: { wasm: { wasmPaths?: string; numThreads?: number } };
};

async function loadOrtWeb(): Promise<OrtWeb> {
  // A URL import, so esbuild leaves it to the browser: the file is served as it ships.
  const url = `${ortFolder}ort.webgpu.bundle.min.mjs`;
  const ort = (await import(/* @vite-ignore */ url)) as OrtWeb;
  ort.env.wasm.wasmPaths = ortFolder;
  // One thread: deterministic sums, and the machines this runs on in CI have two cores.
  ort.env.wasm.numThreads = 1;
  return ort;
}

/** The WebGPU adapter the page gets, described as the probe does. */
async function webGpuAdapter(): Promise<string> {
  const gpu = (
    navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: Record<string, string> } | null> } }
  ).gpu;
  const adapter = await gpu?.requestAdapter();
  if (!adapter) return 'none';
  return describeGpuAdapter(adapter.info ?? {});
}

export async function trainOrtInPage(
  backend: string,
  plan: TrainingPlan,
  hooks: TrainingHooks,
  writer: ScalarWriter,
): Promise<{ result: TrainingResult; adapter: string }> {
  if (backend !== 'webgpu' && backend !== 'wasm')
    throw new Error(`onnxruntime-web: unknown execution provider ${backend}.`);
  const ort = await loadOrtWeb();
  const trainer = await createTrainer({
    ort,
    model: buildModelGraph({ buildTrainingGraph }, plan.parameters, plan.optimizer),
    schedule: plan.schedule,
    parameters: toNamed(plan.parameters),
    executionProviders: [backend],
  });
  try {
    const result = await trainOnnxRuntime({
      trainer,
      plan,
      trainLabels: int64Labels(plan.data.train),
      testLabels: int64Labels(plan.data.test),
      hooks,
      writer,
      batchAccuracy: false,
    });
    return { result, adapter: backend === 'webgpu' ? await webGpuAdapter() : 'CPU (wasm)' };
  } finally {
    await trainer.release();
  }
}
