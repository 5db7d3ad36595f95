/** Parity between runtimes: the verdict that decides the demo's exit code. */

export const parityThresholds = {
  /** Learning rates must be bit-identical in float32 at every step. */
  learningRateMaxAbsDiff: 0,
  /** Largest allowed |loss difference| over the first `lossSteps` steps between CPU runs. */
  lossMaxAbsDiff: 1e-3,
  /**
   * The same where a GPU run takes part: GPUs sum float32 values in another order (parallel
   * reductions, tiled matrix products), so their losses drift further (docs/demo.md).
   */
  gpuLossMaxAbsDiff: 1e-2,
  lossSteps: 100,
  /** Largest allowed |test accuracy difference|, as a fraction (0.01 = one percentage point). */
  testAccuracyDiff: 0.01,
} as const;

export interface ParityInput {
  /** The run's name in messages, e.g. `tfjs webgl (browser)`. */
  readonly runtime: string;
  /** Ran on a GPU (its loss is held to `gpuLossMaxAbsDiff`). */
  readonly gpu?: boolean;
  readonly learningRates: readonly number[];
  readonly losses: readonly number[];
  readonly testAccuracy: number | null;
  readonly completed: boolean;
}

export interface Parity {
  /** Largest |difference| between runtimes, and between each runtime and float32(schedule(step)), over every step. */
  readonly learningRateMaxAbsDiff: number;
  /** Largest |loss difference| between CPU runs over the first `lossSteps` steps (null with one CPU run). */
  readonly lossMaxAbsDiff: number | null;
  /** Largest |loss difference| between a GPU run and the reference over the first `lossSteps` steps (null without a GPU run). */
  readonly gpuLossMaxAbsDiff: number | null;
  /** Each run compared with the reference (the first run): loss and test accuracy differences. */
  readonly perRun: readonly RunParity[];
  readonly lossSteps: number;
  /** Largest |test accuracy difference| between runtimes, as a fraction (null with one runtime). */
  readonly testAccuracyDiff: number | null;
  readonly pass: boolean;
  /** Why parity failed (empty when it holds). */
  readonly reasons: readonly string[];
  /** Runtimes compared with the first one. */
  readonly compared: readonly string[];
  readonly thresholds: typeof parityThresholds;
}

export interface RunParity {
  readonly runtime: string;
  readonly lossMaxAbsDiff: number;
  readonly lossAllowed: number;
  readonly testAccuracyDiff: number | null;
}

function maxAbsDiff(a: readonly number[], b: readonly number[], count: number): number {
  let max = 0;
  for (let i = 0; i < count; i++) {
    const diff = Math.abs(a[i]! - b[i]!);
    if (Number.isNaN(diff)) return Number.NaN; // a NaN anywhere is the worst difference
    if (diff > max) max = diff;
  }
  return max;
}

/** The larger of a running maximum and a new value; NaN wins (it is the worst difference). */
function larger(current: number | null, value: number): number {
  return current === null || !(value <= current) ? value : current;
}

/**
 * Compares every run with the first: learning rates identical in float32 at every step (and
 * equal to float32(schedule(step))), losses within 1e-3 over the first 100 steps, final test
 * accuracies within one percentage point.
 */
export function computeParity(runs: readonly ParityInput[], schedule: (step: number) => number): Parity {
  const reasons: string[] = [];
  let learningRateMaxAbsDiff = 0;
  for (const run of runs) {
    const expected = run.learningRates.map((_, step) => Math.fround(schedule(step)));
    const diff = maxAbsDiff(run.learningRates.map(Math.fround), expected, expected.length);
    if (!(diff <= learningRateMaxAbsDiff)) learningRateMaxAbsDiff = diff;
    if (diff !== 0) {
      reasons.push(
        `${run.runtime}: the learning rate differs from float32(schedule(step)) by up to ${diff}.`,
      );
    }
  }
  for (const run of runs) {
    if (!run.completed) reasons.push(`${run.runtime}: the run did not complete.`);
  }
  const [reference, ...others] = runs;
  // The window is the reference's; a shorter run (one that failed) is compared over what it has.
  const lossSteps = Math.min(parityThresholds.lossSteps, runs[0]?.losses.length ?? 0);
  let lossMaxAbsDiff: number | null = null;
  let gpuLossMaxAbsDiff: number | null = null;
  let testAccuracyDiff: number | null = null;
  const perRun: RunParity[] = [];
  if (reference) {
    for (const other of others) {
      if (other.learningRates.length !== reference.learningRates.length) {
        reasons.push(
          `${other.runtime} ran ${other.learningRates.length} steps, ${reference.runtime} ${reference.learningRates.length}.`,
        );
      }
      const steps = Math.min(other.learningRates.length, reference.learningRates.length);
      const lr = maxAbsDiff(
        other.learningRates.map(Math.fround),
        reference.learningRates.map(Math.fround),
        steps,
      );
      if (!(lr <= learningRateMaxAbsDiff)) learningRateMaxAbsDiff = lr;
      if (lr !== 0)
        reasons.push(`learning rates of ${other.runtime} and ${reference.runtime} differ by up to ${lr}.`);

      const loss = maxAbsDiff(other.losses, reference.losses, Math.min(lossSteps, other.losses.length));
      const gpu = Boolean(other.gpu || reference.gpu);
      const allowed = gpu ? parityThresholds.gpuLossMaxAbsDiff : parityThresholds.lossMaxAbsDiff;
      if (gpu) gpuLossMaxAbsDiff = larger(gpuLossMaxAbsDiff, loss);
      else lossMaxAbsDiff = larger(lossMaxAbsDiff, loss);
      if (!(loss <= allowed)) {
        reasons.push(
          `losses of ${other.runtime} and ${reference.runtime} differ by ${loss.toExponential(2)} over the first ${lossSteps} steps (allowed ${allowed}${gpu ? ' with a GPU run' : ''}).`,
        );
      }
      let runAccuracy: number | null = null;
      if (other.testAccuracy === null || reference.testAccuracy === null) {
        reasons.push(
          `no test accuracy to compare for ${other.testAccuracy === null ? other.runtime : reference.runtime}.`,
        );
      } else {
        const accuracy = Math.abs(other.testAccuracy - reference.testAccuracy);
        runAccuracy = accuracy;
        testAccuracyDiff =
          testAccuracyDiff === null || !(accuracy <= testAccuracyDiff) ? accuracy : testAccuracyDiff;
        if (!(accuracy <= parityThresholds.testAccuracyDiff)) {
          reasons.push(
            `test accuracies of ${other.runtime} and ${reference.runtime} differ by ${(accuracy * 100).toFixed(2)} percentage points (allowed 1).`,
          );
        }
      }
      perRun.push({
        runtime: other.runtime,
        lossMaxAbsDiff: loss,
        lossAllowed: allowed,
        testAccuracyDiff: runAccuracy,
      });
    }
  }
  if (runs.length === 0) reasons.push('no run finished.');
  return {
    learningRateMaxAbsDiff,
    lossMaxAbsDiff,
    gpuLossMaxAbsDiff,
    perRun,
    lossSteps,
    testAccuracyDiff,
    pass: reasons.length === 0,
    reasons,
    compared: runs.map((run) => run.runtime),
    thresholds: parityThresholds,
  };
}

/** Parity of the demo's runs: named by `name`, held to the GPU tolerance where `device` is `gpu`. */
export function parityOfRuns(
  runs: readonly (Omit<ParityInput, 'runtime' | 'gpu'> & {
    readonly name: string;
    readonly device: string;
  })[],
  schedule: (step: number) => number,
): Parity {
  return computeParity(
    runs.map((run) => ({ ...run, runtime: run.name, gpu: run.device === 'gpu' })),
    schedule,
  );
}
