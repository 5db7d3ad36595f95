/** tfjs in Node: loads the requested backend (wasm, cpu, tensorflow / tfjs-node-gpu) and prepares the run. */
import type { DeviceName, TfjsBackendName } from '../args';
import { modelLogits, type Tf, type TfjsModules, trainTfjs } from './tfjs';
import { registerWasmConv2dBackpropFilter } from './tfjs-wasm-kernels';
import {
  type PreparedRunner,
  RuntimeUnavailableError,
  type ScalarWriter,
  type TrainingHooks,
  type TrainingPlan,
} from './types';

async function importOptional(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ specifier);
}

interface LoadedBackend {
  readonly tf: Tf;
  readonly backend: string;
  readonly device: DeviceName;
  readonly notes: string[];
}

/**
 * Loads tfjs with the requested backend. `tensorflow` needs @tensorflow/tfjs-node (or -gpu for
 * `--device gpu`); when the GPU package is missing the requested CPU backend is used and a note
 * says so, when `tensorflow` itself is missing the run stops with `RuntimeUnavailableError`.
 */
export async function loadTfjs(requested: TfjsBackendName, device: DeviceName): Promise<LoadedBackend> {
  const tf = await import('@tensorflow/tfjs-core');
  const notes: string[] = [];
  let backend: string = requested;
  let actualDevice: DeviceName = 'cpu';
  if (device === 'gpu') {
    try {
      await importOptional('@tensorflow/tfjs-node-gpu');
      backend = 'tensorflow';
      actualDevice = 'gpu';
    } catch {
      notes.push(
        `tfjs: --device gpu needs @tensorflow/tfjs-node-gpu, which is not installed; using the ${requested} backend on the CPU.`,
      );
    }
  }
  if (backend === 'tensorflow' && actualDevice === 'cpu') {
    try {
      await importOptional('@tensorflow/tfjs-node');
    } catch (error) {
      throw new RuntimeUnavailableError(
        '--tfjs-backend tensorflow needs @tensorflow/tfjs-node, which is not installed (its install script downloads libtensorflow). Use --tfjs-backend wasm or cpu.',
        { cause: error },
      );
    }
  }
  if (backend === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmConv2dBackpropFilter(tf);
  }
  if (backend === 'cpu') await import('@tensorflow/tfjs-backend-cpu');
  let ok = false;
  try {
    ok = await tf.setBackend(backend);
    await tf.ready();
  } catch (error) {
    throw new RuntimeUnavailableError(`tfjs: the ${backend} backend failed to initialise: ${String(error)}`, {
      cause: error,
    });
  }
  if (!ok || tf.getBackend() !== backend) {
    throw new RuntimeUnavailableError(
      `tfjs: the ${backend} backend is not available (setBackend returned false).`,
    );
  }
  return { tf, backend, device: actualDevice, notes };
}

/** Prepares the tfjs runtime: backend, model with the plan's initial weights, optimizer, tensors. */
export async function prepareTfjs(plan: TrainingPlan, requested: TfjsBackendName): Promise<PreparedRunner> {
  const loaded = await loadTfjs(requested, plan.device);
  const tfl = await import('@tensorflow/tfjs-layers');
  const adapter = await import('@anneal/tfjs');
  const modules: TfjsModules = { tf: loaded.tf, tfl, adapter };
  return {
    runtime: 'tfjs',
    environment: 'node',
    backend: loaded.backend,
    device: loaded.device,
    adapter: loaded.device === 'gpu' ? 'CUDA (tfjs-node-gpu)' : 'CPU',
    notes: loaded.notes,
    async logits(weights, images, count) {
      return modelLogits(modules, weights, images, count);
    },
    train: (hooks: TrainingHooks, writer: ScalarWriter) => trainTfjs(modules, plan, hooks, writer),
    async dispose() {},
  };
}
