/**
 * What the Chromium page (page.ts) and the Node side (browser.test.ts, bench) share: the backends,
 * the schedule and the shape of the results. Browser-safe.
 */

/** The backends the page trains on; `cpu` is the reference in the same page. */
export const browserBackends = ['cpu', 'webgl', 'webgpu'] as const;
export type BrowserBackend = (typeof browserBackends)[number];

/** Neighbouring steps differ by a factor of 2 to 50, so an off-by-one replay cannot match. */
export const zigzag = (k: number): number => [1, 0.05, 0.5, 0.01, 0.25][k % 5]! * (1 + k / 10);

/** Epochs of the replay runs (5 batches each). */
export const replayEpochs = 2;
export const replaySteps = 10;
/** Steps of the leak runs after their warm-up epoch. */
export const leakSteps = 40;

export interface BackendSetup {
  /** What `describeBackend(tf)` reports. */
  readonly backend: string;
  readonly adapter: string | undefined;
  /** `tf.backend().epsilon()`: what the optimizers add (1e-7 at float32 precision). */
  readonly epsilon: number;
}

/** Memory after each step: `tf.memory().numTensors` and, where the backend reports it, `numBytesInGPU`. */
export interface MemorySample {
  readonly numTensors: number;
  readonly numBytesInGPU: number | undefined;
}

/** The parameters before and after each update, in the replay's order (kernel, then bias). */
export interface ObservedStep {
  readonly before: number[];
  readonly after: number[];
}

export interface ReplayRun {
  /** `optimizer.iterations` at the end. */
  readonly iterations: number;
  /** `[learningRate, step]` as `onLearningRate` announced them. */
  readonly announced: [number, number][];
  /** The optimizer's numeric `learningRate` field before each update. */
  readonly held: number[];
  /** SGD and Momentum: `-c` read from the scalar tensor the update multiplies by (float32). */
  readonly kept: number[];
  /** `logs.lr` at each batch end (model.fit only). */
  readonly logged: unknown[];
  /** `history.history.lr` (model.fit only). */
  readonly historyLr: unknown[];
  readonly observed: ObservedStep[];
  readonly memory: MemorySample[];
}

export interface LeakRun {
  /** Memory after each step that follows the warm-up epoch. */
  readonly memory: MemorySample[];
  /** Scalars the tensorBoard callback wrote. */
  readonly scalarsWritten: number;
}

export interface ThroughputRun {
  readonly samplesPerSecond: number;
  readonly seconds: number;
  readonly samples: number;
  /** Mean loss of the warm-up epoch and of the last timed epoch. */
  readonly warmUpLoss: number;
  readonly lastLoss: number;
}
