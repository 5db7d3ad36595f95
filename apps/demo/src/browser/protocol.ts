/**
 * What the demo's Node process and the training page in Chromium say to each other. Browser-safe.
 *
 * The page is opened at `/#<runtime>/<backend>`, fetches `/config.json` and the binary blocks it names from the demo's local server,
 * trains one run, and reports through functions the driver exposes on `window`
 * (`annealStep`, `annealEpoch`, `annealDone`, `annealFailed`, `annealEventBytes`). Its TensorBoard
 * log is written in the page by @anneal/tensorboard-logger's browser SummaryWriter, whose sink
 * sends each event file's bytes back; `annealFinish(hparams)` adds the hparams and closes it.
 */
import type { OptimizerSettings } from '../runners/types';

export interface PageTensor {
  readonly name: string;
  readonly tag: string;
  readonly shape: readonly number[];
}

export interface PageConfig {
  readonly model: 'cnn' | 'mlp';
  /** Parameter tensors in torch layout; their float32 values, in this order, are `/data/parameters.bin`. */
  readonly tensors: readonly PageTensor[];
  readonly trainCount: number;
  readonly testCount: number;
  readonly pixels: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  readonly optimizer: OptimizerSettings;
  /** The schedule's JSON config (native or reference), rebuilt in the page with `fromAnyConfig`. */
  readonly scheduleConfig: unknown;
  /** float64 values of the schedule at every step, used when it has no JSON config (a custom schedule). */
  readonly scheduleValues: readonly number[] | null;
  readonly source: string;
}

/** The hparams and metrics the driver hands the page once the run is over (TensorBoard's HParams tab). */
export interface PageHparams {
  readonly hparams: Record<string, string | number | boolean>;
  readonly metrics: Record<string, number>;
}

/** Files the page fetches (float32 / int32 little-endian). */
export const pageFiles = {
  config: '/config.json',
  parameters: '/data/parameters.bin',
  trainImages: '/data/train-images.bin',
  trainLabels: '/data/train-labels.bin',
  testImages: '/data/test-images.bin',
  testLabels: '/data/test-labels.bin',
} as const;

export interface PageStep {
  readonly step: number;
  readonly epoch: number;
  readonly learningRate: number;
  readonly loss: number;
  readonly accuracy: number;
}

export interface PageEpoch {
  readonly epoch: number;
  readonly steps: number;
  readonly testAccuracy: number;
  /** Parameter values after the epoch (torch layout, the config's tensor order). */
  readonly parameters: number[][];
}

export interface PageDone {
  readonly steps: number;
  readonly samples: number;
  readonly trainingSeconds: number;
  readonly completed: boolean;
  /** What the backend reported about the GPU (WebGL renderer, WebGPU adapter) or `CPU (wasm)`. */
  readonly adapter: string;
}

/** The functions the driver exposes on the page's `window`. */
export interface PageBridge {
  /** The next bytes of the event file `path` (relative to the TensorBoard folder), from the page's SummaryWriter. */
  annealEventBytes(path: string, bytes: Uint8Array): Promise<void>;
  annealStep(step: PageStep): Promise<void>;
  annealEpoch(epoch: PageEpoch): Promise<void>;
  annealDone(done: PageDone): Promise<void>;
  annealFailed(message: string): Promise<void>;
}

/** The fields of a WebGPU adapter's `info` the demo reports (or tfjs-webgpu's `adapterInfo`). */
export interface GpuAdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly device?: string;
  readonly description?: string;
}

/** "vendor architecture device (description)", leaving out what the adapter keeps empty: `google swiftshader`. */
export function describeGpuAdapter(info: GpuAdapterInfoLike): string {
  const main = [info.vendor, info.architecture, info.device].filter((part) => part).join(' ');
  return (info.description ? `${main} (${info.description})` : main).trim() || 'unnamed adapter';
}
