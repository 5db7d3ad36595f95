/**
 * Progressive sampling, so that a million points per curve never freezes the page. The curves are
 * sampled one after the other in slices of about `sliceMs` on the main thread, the event loop
 * free between slices (input, rendering). When the first slice does not finish them, each curve
 * is drawn from a preview of at most `previewPoints` samples until its own samples are all in. A
 * newer sampling cancels the running one. The final samples are exactly those of `sampleCurves`:
 * the schedule at start + i · stride, clamped to end, as core's `sample` computes them.
 */

import type { SeriesResult } from './model';
import type { AppState } from './state';
import { type SampledCurve, sampleCurves, stride } from './view';

export interface SamplingOptions {
  /** Most samples per curve of the preview shown while refining. */
  readonly previewPoints: number;
  /** Longest time one slice samples before it yields, in milliseconds. */
  readonly sliceMs: number;
  /** Samples evaluated between two looks at the clock. */
  readonly batch: number;
  /** A clock in milliseconds. */
  readonly now: () => number;
  /** Runs `task` in a later task, after the event loop has had its turn (input, rendering). */
  readonly defer: (task: () => void) => void;
}

/** How far the sampling of every point got. */
export interface Refining {
  /** Samples evaluated so far, and in all (points × curves). */
  readonly done: number;
  readonly total: number;
  /** Samples per curve the chart shows meanwhile. */
  readonly previewPoints: number;
}

/** The curves to draw now. */
export interface SamplingSnapshot {
  /** Each curve's samples: all of them, or its preview (with the preview's `stride`) while refining. */
  readonly sampled: readonly SampledCurve[];
  /** One sentence per curve that could not be sampled (left out of `sampled`). */
  readonly failures: readonly string[];
  /** Curves with every sample (the first ones of `sampled`); a change means a redraw. */
  readonly finished: number;
  /** Present while the full sampling goes on. */
  readonly refining?: Refining;
}

export interface SamplingJob {
  /** What to draw right after the start: every sample, or the preview while refining. */
  readonly first: SamplingSnapshot;
  /** Stops the sampling: no more slices, no more snapshots. */
  cancel(): void;
}

/** Runs `task` after the event loop's turn: `scheduler.postTask` where the browser has it. */
function deferTask(task: () => void): void {
  const scheduler = (globalThis as { scheduler?: { postTask(task: () => void): Promise<unknown> } })
    .scheduler;
  if (scheduler) void scheduler.postTask(task);
  else setTimeout(task, 0);
}

export const defaultSamplingOptions: SamplingOptions = {
  previewPoints: 2001,
  sliceMs: 12,
  batch: 256,
  now: () => performance.now(),
  defer: deferTask,
};

/**
 * Samples every curve of the series that built over the state's range, in slices. Returns what to
 * draw at once; `onSnapshot` receives the progress after each further slice (with `refining`) and
 * the complete samples after the last one (without).
 */
export function startSampling(
  results: readonly SeriesResult[],
  state: AppState,
  onSnapshot: (snapshot: SamplingSnapshot) => void,
  options: SamplingOptions = defaultSamplingOptions,
): SamplingJob {
  const { start, end, points } = state;
  const step = stride(state);
  const curves = results.flatMap((result) => (result.ok ? result.curves : []));
  const values = curves.map(() => new Float64Array(points));
  const failures: string[] = [];
  const failed = new Set<number>();
  let cancelled = false;
  // The next sample to evaluate: curve `curveIndex`, index `index`.
  let curveIndex = 0;
  let index = 0;

  /**
   * Samples until the slice's time is up (or, with `stopAtCurve`, a curve is done, so that its
   * redraw gets a task of its own); true once every curve has every sample.
   */
  const runSlice = (stopAtCurve: boolean): boolean => {
    const deadline = options.now() + options.sliceMs;
    while (curveIndex < curves.length) {
      const curve = curves[curveIndex]!;
      const out = values[curveIndex]!;
      try {
        while (index < points) {
          const stop = Math.min(points, index + options.batch);
          for (; index < stop; index++) out[index] = curve.schedule(Math.min(start + index * step, end));
          if (index < points && options.now() >= deadline) return false;
        }
      } catch (error) {
        failures.push(`Could not sample ${curve.label}: ${(error as Error).message}`);
        failed.add(curveIndex);
      }
      curveIndex++;
      index = 0;
      if (curveIndex < curves.length && (stopAtCurve || options.now() >= deadline)) return false;
    }
    return true;
  };
  const full = (): SampledCurve[] =>
    curves.slice(0, curveIndex).flatMap((curve, i) => (failed.has(i) ? [] : [{ curve, values: values[i]! }]));
  const complete = (): SamplingSnapshot => ({ sampled: full(), failures, finished: curves.length });

  if (runSlice(false)) return { first: complete(), cancel: () => {} };
  // A preview coarser than what is left to do: at most previewPoints, at most half the points.
  const previewState = { ...state, points: Math.max(2, Math.min(options.previewPoints, points >> 1)) };
  const preview = sampleCurves(results, previewState);
  const previewStride = stride(previewState);
  const previews = new Map(preview.sampled.map((sampled) => [sampled.curve, sampled.values]));
  const snapshot = (): SamplingSnapshot => ({
    sampled: [
      ...full(),
      ...curves.slice(curveIndex).flatMap((curve) => {
        const previewValues = previews.get(curve);
        return previewValues ? [{ curve, values: previewValues, stride: previewStride }] : [];
      }),
    ],
    failures: [...failures, ...preview.failures],
    finished: curveIndex,
    refining: {
      done: curveIndex * points + index,
      total: curves.length * points,
      previewPoints: previewState.points,
    },
  });
  const next = () => {
    if (cancelled) return;
    const before = curveIndex;
    const done = runSlice(true);
    if (curveIndex === before) {
      onSnapshot(snapshot());
      options.defer(next);
      return;
    }
    // A curve is in: its redraw runs in a task of its own, then the sampling goes on.
    options.defer(() => {
      if (cancelled) return;
      onSnapshot(done ? complete() : snapshot());
      if (!done) options.defer(next);
    });
  };
  options.defer(next);
  return {
    first: snapshot(),
    cancel: () => {
      cancelled = true;
    },
  };
}

/** The note shown while refining: how far the full sampling got and what the chart shows meanwhile. */
export function refiningNote({ done, total, previewPoints }: Refining): string {
  const count = (n: number) => n.toLocaleString('en-US');
  const percent = Math.floor((100 * done) / Math.max(total, 1));
  return `Refining the curves: ${percent}% of ${count(total)} samples. Until then the chart shows ${count(previewPoints)} samples per curve.`;
}
