import type { LoggedPoint, LogKind } from './logs';

/**
 * Step-by-step comparison of logged learning rates with a schedule. An alignment maps the log's
 * step to the schedule's step k (the rate used by the update that moves the count from k to k+1);
 * where a trainer's logging convention changed, several alignments are tried and the one that
 * matches is reported.
 */

export interface Alignment {
  /** In words, for the output: how a logged step maps to a schedule step. */
  readonly describe: string;
  /** Said when this alignment is the one that matched (a convention worth pointing out). */
  readonly note?: string;
  readonly toStep: (logStep: number) => number;
}

/**
 * The alignments to try for a log, the expected one first.
 *
 * - `huggingface`: `Trainer` logs at `step` = updates done. Since transformers PR #36973 (merged
 *   2025-03) the value is the rate of the update just done (schedule step `step − 1`); before, the
 *   scheduler had already stepped, so it was the next update's rate (schedule step `step`).
 * - `epoch-end`: Keras logs `epoch_learning_rate` after epoch e as the optimizer's rate after that
 *   epoch's updates (schedule step `(e + 1) · N`, N updates per epoch); a `LearningRateScheduler`
 *   sets the rate at the start of the epoch (schedule step `e · N`).
 * - `step`: the step is the update whose rate was logged (Lightning's `LearningRateMonitor`, CSV).
 */
export function alignmentsFor(kind: LogKind, updatesPerEpoch: number | undefined): readonly Alignment[] {
  switch (kind) {
    case 'huggingface':
      return [
        {
          describe:
            'logged step s = schedule step s - 1 (the rate of update s, as transformers logs it since PR #36973)',
          toStep: (step) => step - 1,
        },
        {
          describe: 'logged step s = schedule step s (the rate of the next update)',
          note: "one-step shift detected: this log holds the NEXT update's learning rate at each step, as transformers logged it before PR #36973 (it stepped the scheduler before logging); the schedule matches that convention",
          toStep: (step) => step,
        },
      ];
    case 'epoch-end': {
      const n = updatesPerEpoch!;
      return [
        {
          describe: `logged epoch e = schedule step (e + 1) * ${n} (the rate after the epoch's updates, as the Keras TensorBoard callback logs a LearningRateSchedule)`,
          toStep: (epoch) => (epoch + 1) * n,
        },
        {
          describe: `logged epoch e = schedule step e * ${n} (the rate set at the start of the epoch)`,
          note: "the log holds the rate at the start of each epoch (as a LearningRateScheduler callback sets it), not after the epoch's updates",
          toStep: (epoch) => epoch * n,
        },
      ];
    }
    case 'step':
      return [{ describe: 'logged step s = schedule step s', toStep: (step) => step }];
  }
}

/** |a − b| / max(|a|, |b|): 0 when both are 0; Infinity when the logged value is not finite. */
export function relativeDifference(logged: number, expected: number): number {
  if (!Number.isFinite(logged) || !Number.isFinite(expected)) return Number.POSITIVE_INFINITY;
  const scale = Math.max(Math.abs(logged), Math.abs(expected));
  return scale === 0 ? 0 : Math.abs(logged - expected) / scale;
}

export interface PointComparison {
  readonly logStep: number;
  readonly step: number;
  readonly logged: number;
  readonly expected: number;
  readonly relative: number;
}

export interface Comparison {
  readonly alignment: Alignment;
  /** Points compared (those mapping to a schedule step >= 0). */
  readonly compared: number;
  /** Logged points that map before schedule step 0 (not compared). */
  readonly skipped: number;
  readonly mismatches: number;
  readonly largest: PointComparison | undefined;
  readonly firstMismatch: PointComparison | undefined;
  /** Schedule steps covered: the first and last compared. */
  readonly firstStep: number;
  readonly lastStep: number;
}

export function compareWith(
  schedule: (step: number) => number,
  points: readonly LoggedPoint[],
  alignment: Alignment,
  tolerance: number,
): Comparison {
  let compared = 0;
  let skipped = 0;
  let mismatches = 0;
  let largest: PointComparison | undefined;
  let firstMismatch: PointComparison | undefined;
  let firstStep = Number.POSITIVE_INFINITY;
  let lastStep = Number.NEGATIVE_INFINITY;
  for (const point of points) {
    const step = alignment.toStep(point.step);
    if (step < 0) {
      skipped += 1;
      continue;
    }
    const expected = schedule(step);
    const relative = relativeDifference(point.value, expected);
    const item = { logStep: point.step, step, logged: point.value, expected, relative };
    compared += 1;
    firstStep = Math.min(firstStep, step);
    lastStep = Math.max(lastStep, step);
    if (largest === undefined || relative > largest.relative) largest = item;
    if (!(relative <= tolerance)) {
      mismatches += 1;
      firstMismatch ??= item;
    }
  }
  return { alignment, compared, skipped, mismatches, largest, firstMismatch, firstStep, lastStep };
}

/**
 * Compares under each alignment; returns the first within tolerance, else the one with the fewest
 * mismatches (the expected one on ties), and whether the logged steps could not tell them apart.
 */
export function bestComparison(
  schedule: (step: number) => number,
  points: readonly LoggedPoint[],
  alignments: readonly Alignment[],
  tolerance: number,
): { readonly best: Comparison; readonly ambiguous: boolean } {
  const results = alignments.map((alignment) => compareWith(schedule, points, alignment, tolerance));
  const passing = results.filter((result) => result.compared > 0 && result.mismatches === 0);
  if (passing.length > 0) return { best: passing[0]!, ambiguous: passing.length > 1 };
  let best = results[0]!;
  for (const result of results.slice(1)) {
    if (result.compared > 0 && result.mismatches < best.mismatches) best = result;
  }
  return { best, ambiguous: false };
}
