import type { ScheduleConfig } from '@anneal/core';
import type { DeviceName, EnvironmentName, RuntimeName } from './args';
import type { Parity } from './parity';
import type { OptimizerSettings } from './runners/types';
import type { SkippedRun } from './runs';

/** One runtime's run, as written to report.json. */
export interface RunReport {
  /** `tfjs webgl (browser)`: the run's name in the terminal, the parity reasons and the page. */
  readonly name: string;
  readonly runtime: RuntimeName;
  /** Where it trained: the demo's Node process or headless Chromium. */
  readonly environment: EnvironmentName;
  /** tfjs backend (wasm, cpu, tensorflow, webgl, webgpu) or ORT execution provider (cpu, cuda, webgpu, wasm). */
  readonly backend: string;
  readonly device: DeviceName;
  /**
   * The adapter or renderer the backend reported, so a reader knows whether a physical GPU ran:
   * `CPU`, WebGL's unmasked renderer (e.g. ANGLE on SwiftShader), the WebGPU adapter (e.g.
   * `google swiftshader`), `CUDA`.
   */
  readonly adapter: string;
  /** Learning rate the runtime used at each step (read back from the runtime). */
  readonly learningRates: number[];
  /** Mean batch cross-entropy at each step, before the update. */
  readonly losses: number[];
  /** Batch accuracy at each step, before the update. */
  readonly trainAccuracies: number[];
  /** Test accuracy (fraction) after the last completed epoch; null if no epoch completed. */
  readonly testAccuracy: number | null;
  /** Test accuracy after each completed epoch. */
  readonly testAccuracyByEpoch: number[];
  /** Training throughput: samples / seconds spent in training steps (evaluation and logging excluded). */
  readonly samplesPerSecond: number;
  /** Wall-clock seconds of the whole run (training, evaluation, logging). */
  readonly seconds: number;
  readonly steps: number;
  readonly completed: boolean;
  /** TensorBoard run folder, relative to the output folder. */
  readonly tensorboardRun: string;
  readonly notes: string[];
}

export interface Report {
  /** False when the demo was interrupted (Ctrl-C) or a run failed. */
  readonly complete: boolean;
  readonly interrupted: boolean;
  readonly createdAt: string;
  readonly command: string[];
  readonly data: { source: string; trainSamples: number; testSamples: number; stepsPerEpoch: number };
  /** `cnn` or `mlp`, and the layers in words. */
  readonly model: string;
  readonly modelDescription: string;
  readonly epochs: number;
  readonly batchSize: number;
  readonly totalSteps: number;
  readonly seed: number;
  readonly optimizer: OptimizerSettings;
  readonly schedule: {
    readonly description: string;
    readonly config: ScheduleConfig | null;
    readonly peakLearningRate: number;
  };
  readonly runs: RunReport[];
  /** Runs asked for that could not happen here (no Chromium, no WebGPU adapter, ...), with the reason. */
  readonly skipped: SkippedRun[];
  readonly parity: Parity;
  /** Seconds from start to report (all runs, data loading included). */
  readonly wallSeconds: number;
}
