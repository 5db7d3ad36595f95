import type { Schedule } from '@anneal/core';
import type { DeviceName, EnvironmentName, OptimizerName, RuntimeName } from '../args';
import type { PreparedData } from '../data';
import { BadInputError } from '../errors';
import type { ModelParameters } from '../models';
import type { RunLog } from '../tensorboard';

/** Optimizer hyper-parameters, identical in every runtime (epsilon included). */
export interface OptimizerSettings {
  readonly name: OptimizerName;
  /** Momentum factor (momentum only). */
  readonly momentumFactor: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

export function optimizerSettings(name: OptimizerName): OptimizerSettings {
  return { name, momentumFactor: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
}

/** Everything a runner needs; the same object is handed to every runtime. */
export interface TrainingPlan {
  readonly data: PreparedData;
  readonly parameters: ModelParameters;
  readonly schedule: Schedule;
  readonly optimizer: OptimizerSettings;
  readonly epochs: number;
  readonly batchSize: number;
  readonly device: DeviceName;
}

/** One optimizer update as the runtime saw it. */
export interface StepRecord {
  /** 0-based global step (the update that moves the optimizer's count from step to step + 1). */
  readonly step: number;
  /** 0-based epoch. */
  readonly epoch: number;
  /** The learning rate the runtime used for this update, read back from the runtime. */
  readonly learningRate: number;
  /** Mean cross-entropy of the batch before the update. */
  readonly loss: number;
  /** Share of the batch classified correctly before the update. */
  readonly accuracy: number;
}

export interface EpochRecord {
  /** 0-based epoch that just ended. */
  readonly epoch: number;
  /** Global steps done so far. */
  readonly steps: number;
  readonly testAccuracy: number;
  /** The parameters after the epoch, in torch layout. */
  readonly parameters: ModelParameters;
}

export interface TrainingHooks {
  onStep(record: StepRecord): void;
  onEpoch(record: EpochRecord): void;
  /** Polled after every step; true stops training after the current step (Ctrl-C). */
  shouldStop(): boolean;
}

export interface TrainingResult {
  /** The adapter the backend reported while training (browser runs), when known. */
  readonly adapter?: string;
  readonly steps: number;
  readonly samples: number;
  /** Seconds spent in training steps only (evaluation and logging excluded). */
  readonly trainingSeconds: number;
  readonly completed: boolean;
}

/** A runtime made ready before any training starts (backend loaded, session created). */
export interface PreparedRunner {
  readonly runtime: RuntimeName;
  /** Where it trains: in the demo's Node process or in a browser page it drives. */
  readonly environment: EnvironmentName;
  /** tfjs backend name or ORT execution provider (`wasm`, `cpu`, `webgl`, `webgpu`, `cuda`, ...). */
  readonly backend: string;
  readonly device: DeviceName;
  /** The adapter or renderer the backend reported (`CPU`, a WebGL renderer, a WebGPU adapter). */
  readonly adapter: string;
  /** Messages for the user (fallbacks taken, ...). */
  readonly notes: readonly string[];
  /** Logits of the given images with the given parameters (used by tests to prove the layouts agree). */
  logits(parameters: ModelParameters, images: Float32Array, count: number): Promise<Float32Array>;
  /**
   * Trains from the plan's initial weights. Per-step and per-epoch scalars go to `writer` with the
   * Keras tags (`batch_loss`, `batch_accuracy`, `batch_learning_rate` at each step; `epoch_*` and
   * `epoch_test_accuracy` at each epoch): tfjs through @anneal/tfjs's tensorBoard callback, ONNX
   * Runtime by the runner itself.
   */
  train(hooks: TrainingHooks, writer: ScalarWriter): Promise<TrainingResult>;
  /**
   * The run's TensorBoard log when the runner writes it itself (browser runs: the page's
   * writer sends its event files' bytes to `directory`); absent = a Node SummaryWriter.
   */
  openLog?(directory: string): RunLog;
  dispose(): Promise<void>;
}

/** A runtime the user asked for cannot be loaded: exit code 2 before training. */
export class RuntimeUnavailableError extends BadInputError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RuntimeUnavailableError';
  }
}

/** Where scalars go (a tensorboard-logger SummaryWriter). */
export interface ScalarWriter {
  addScalar(tag: string, value: number, step: number): void;
}

/**
 * Lets the event loop run (a Ctrl-C handler, timers) between steps: a training loop that only
 * awaits promises never reaches the macrotask queue where signal handlers run.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) =>
    typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0),
  );
}

/** Seconds since `start` (from performance.now()). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
