/**
 * The test page's code, bundled with esbuild from the package's browser entry (no Node
 * built-ins): trains the runs of ./cases on onnxruntime-web (served from /ort/) and reports
 * losses, the learning rate every `session.run` received, and GPU buffer counts.
 */
import { createTrainer, ExecutionProviderError, type OrtRuntime } from '../../src/browser';
import { prepareRun, type RunSpec, schedule } from './cases';

export interface TrainRequest extends RunSpec {
  readonly provider: 'webgpu' | 'wasm';
  readonly outputLocation?: 'cpu' | 'gpu-buffer';
  /** Save a checkpoint after this many steps, train on, restore it and train the rest again. */
  readonly checkpointAt?: number;
  /** Also run `evaluate` (a second session) after training. */
  readonly evaluate?: boolean;
}

export interface TrainResult {
  readonly losses: number[];
  /** The `learning_rate` feed of every training `session.run`, in order. */
  readonly fed: number[];
  readonly outputLocation: string;
  readonly executionProviders: string[];
  /** Losses of the steps after `checkpointAt`, trained again after `loadBytes`. */
  readonly replayed: number[];
  /** Loss of `evaluate` on the first batch after training (when `evaluate` was asked for). */
  readonly evaluationLoss: number | undefined;
  /**
   * GPU buffers created minus destroyed from after step 2 to the last step (0: no growth);
   * undefined for runs with a checkpoint (reading tensors back re-uploads them once, into
   * buffers ONNX Runtime then keeps in its cache).
   */
  readonly bufferGrowth: number | undefined;
  /** Sum of every parameter after training (read back from the device). */
  readonly parameterSum: number;
  /** The message of the synchronous `parameters()` (which throws while the values are on the GPU), if it threw. */
  readonly synchronousReadError: string | undefined;
}

/** GPU buffers created and destroyed on this page (counted from before ONNX Runtime starts). */
const buffers = { created: 0, destroyed: 0 };

const gpuDevice = (
  globalThis as { GPUDevice?: { prototype: { createBuffer: (...args: unknown[]) => unknown } } }
).GPUDevice;
const gpuBuffer = (globalThis as { GPUBuffer?: { prototype: { destroy: () => void } } }).GPUBuffer;
if (gpuDevice && gpuBuffer) {
  const create = gpuDevice.prototype.createBuffer;
  gpuDevice.prototype.createBuffer = function (this: unknown, ...args: unknown[]) {
    buffers.created++;
    return create.apply(this, args);
  };
  const destroy = gpuBuffer.prototype.destroy;
  gpuBuffer.prototype.destroy = function (this: unknown) {
    buffers.destroyed++;
    return destroy.apply(this);
  };
}

type OrtModule = OrtRuntime & { env: { wasm: { numThreads?: number } } };
let ortModule: Promise<OrtModule> | undefined;

function loadOrt(): Promise<OrtModule> {
  const url = '/ort/ort.webgpu.bundle.min.mjs';
  ortModule ??= (import(/* @vite-ignore */ url) as Promise<OrtModule>).then((ort) => {
    ort.env.wasm.numThreads = 1;
    return ort;
  });
  return ortModule;
}

/** `ort` whose sessions record the `learning_rate` of every run into `fed`. */
function recording(ort: OrtRuntime, fed: number[]): OrtRuntime {
  return {
    Tensor: ort.Tensor,
    InferenceSession: {
      create: async (...args: Parameters<OrtRuntime['InferenceSession']['create']>) => {
        const session = await ort.InferenceSession.create(...args);
        const run = session.run.bind(session);
        session.run = ((feeds: Record<string, { data: ArrayLike<number> }>, ...rest: unknown[]) => {
          if (feeds.learning_rate) fed.push(Number(feeds.learning_rate.data[0]));
          return (run as (...a: unknown[]) => unknown)(feeds, ...rest);
        }) as typeof session.run;
        return session;
      },
    } as OrtRuntime['InferenceSession'],
  };
}

/** The trainer of `request` (its provider and output location) on `ort`. */
function openTrainer(
  ort: OrtRuntime,
  request: TrainRequest,
  graph: ReturnType<typeof prepareRun>['graph'],
  parameters: ReturnType<typeof prepareRun>['parameters'],
) {
  return createTrainer({
    ort,
    model: graph,
    schedule,
    parameters,
    executionProviders: [request.provider],
    ...(request.outputLocation ? { preferredOutputLocation: request.outputLocation } : {}),
  });
}

async function train(request: TrainRequest): Promise<TrainResult> {
  const ort = await loadOrt();
  const fed: number[] = [];
  const { graph, parameters, batches } = prepareRun(request);
  const trainer = await openTrainer(recording(ort, fed), request, graph, parameters);
  try {
    const losses: number[] = [];
    const replayed: number[] = [];
    let checkpoint: Uint8Array | undefined;
    let before = { ...buffers };
    for (const [index, batch] of batches.entries()) {
      if (index === 2) before = { ...buffers };
      if (index === request.checkpointAt) checkpoint = await trainer.saveBytes();
      losses.push(await trainer.step(batch.x, batch.y));
    }
    const bufferGrowth =
      request.checkpointAt === undefined
        ? buffers.created - before.created - (buffers.destroyed - before.destroyed)
        : undefined;
    if (checkpoint) {
      await trainer.loadBytes(checkpoint);
      for (const batch of batches.slice(request.checkpointAt))
        replayed.push(await trainer.step(batch.x, batch.y));
    }
    const evaluation = request.evaluate ? await trainer.evaluate(batches[0]!.x, batches[0]!.y) : undefined;
    let synchronousReadError: string | undefined;
    try {
      trainer.parameters();
    } catch (error) {
      synchronousReadError = (error as Error).message;
    }
    const values = await trainer.readParameters();
    let parameterSum = 0;
    for (const array of Object.values(values)) for (const value of array) parameterSum += value;
    return {
      losses,
      fed,
      outputLocation: trainer.outputLocation,
      executionProviders: trainer.executionProviders.map(String),
      replayed,
      evaluationLoss: evaluation?.loss,
      bufferGrowth,
      parameterSum,
      synchronousReadError,
    };
  } finally {
    await trainer.release();
  }
}

/** Steps per second of `steps` updates (after one warm-up step) of the run `request`. */
async function throughput(
  request: TrainRequest,
): Promise<{ stepsPerSecond: number; outputLocation: string }> {
  const ort = await loadOrt();
  const { graph, parameters, batches } = prepareRun({ ...request, steps: 1 });
  const trainer = await openTrainer(ort, request, graph, parameters);
  try {
    await trainer.step(batches[0]!.x, batches[0]!.y);
    const start = performance.now();
    for (let i = 0; i < request.steps; i++) await trainer.step(batches[0]!.x, batches[0]!.y);
    return {
      stepsPerSecond: (request.steps * 1000) / (performance.now() - start),
      outputLocation: trainer.outputLocation,
    };
  } finally {
    await trainer.release();
  }
}

/**
 * Trains on `webgpu` while `navigator.gpu.requestAdapter()` returns null, as in a browser without
 * WebGPU support or flags: `strict` (the default) must reject with one line; `strict: false`
 * falls back to wasm with one warning.
 */
async function withoutAdapter(strict: boolean) {
  const ort = await loadOrt();
  const { gpu } = (
    globalThis as unknown as { navigator: { gpu: { requestAdapter: () => Promise<unknown> } } }
  ).navigator;
  const original = gpu.requestAdapter;
  gpu.requestAdapter = () => Promise.resolve(null);
  const warnings: string[] = [];
  try {
    const { graph, parameters, batches } = prepareRun({ model: 'mlp', optimizer: 'sgd', steps: 1, batch: 4 });
    const trainer = await createTrainer({
      ort,
      model: graph,
      schedule,
      parameters,
      executionProviders: ['webgpu'],
      strict,
      onWarning: (message) => warnings.push(message),
    });
    const loss = await trainer.step(batches[0]!.x, batches[0]!.y);
    await trainer.release();
    return { executionProviders: trainer.executionProviders.map(String), loss, warnings };
  } finally {
    gpu.requestAdapter = original;
  }
}

/** Runs `task`, turning an error into `{ error: { name, message } }` for the Node side. */
async function settle<T>(task: () => Promise<T>): Promise<T | { error: { name: string; message: string } }> {
  try {
    return await task();
  } catch (error) {
    const name = ExecutionProviderError.isInstance(error) ? 'ExecutionProviderError' : (error as Error).name;
    return { error: { name, message: (error as Error).message } };
  }
}

const page = {
  train: (request: TrainRequest) => settle(() => train(request)),
  throughput: (request: TrainRequest) => settle(() => throughput(request)),
  noAdapter: (strict: boolean) => settle(() => withoutAdapter(strict)),
};

export type TestPage = typeof page;
(globalThis as { annealTestPage?: TestPage }).annealTestPage = page;
