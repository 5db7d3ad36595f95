/**
 * The page's samples: the progressive sampling running for the current state (`sampling.ts`), the
 * snapshot the panels show, and the callers waiting for every sample (exports). A newer sampling
 * cancels the running one.
 */
import type { SeriesResult } from './model';
import { defaultSamplingOptions, type SamplingJob, type SamplingSnapshot, startSampling } from './sampling';
import type { AppState } from './state';
import { sampleCurves } from './view';

/** What the page does as samples come in. */
export interface SampleHooks {
  /** A curve could not be sampled: the sentence saying why. */
  failed(message: string): void;
  /** The running sampling got further (the note follows). */
  progressed(): void;
  /** A curve was sampled in full, or all were: lay out now; `redraw` follows in a task of its own. */
  prepare(): void;
  redraw(): void;
}

export class PageSamples {
  /** What the panels show. */
  snapshot: SamplingSnapshot = { sampled: [], failures: [], finished: 0 };
  /** Time the last sampling took in the task that started it, in milliseconds. */
  sampleMs = 0;
  private job: SamplingJob | undefined;
  private waiting: (() => void)[] = [];

  constructor(private readonly hooks: SampleHooks) {}

  /** Starts sampling `state` progressively; the first snapshot is shown at once. */
  start(results: readonly SeriesResult[], state: AppState): void {
    const begin = performance.now();
    this.job?.cancel();
    this.job = startSampling(results, state, (next) => this.next(next));
    this.show(this.job.first);
    this.sampleMs = performance.now() - begin;
  }

  /** Samples every point at once, in this task (the benchmark's and the tests' reference). */
  startAll(results: readonly SeriesResult[], state: AppState): void {
    const begin = performance.now();
    this.job?.cancel();
    const all = sampleCurves(results, state);
    this.show({ ...all, finished: all.sampled.length });
    this.sampleMs = performance.now() - begin;
  }

  /** Resolves once every sample is in (at once unless the curves are being refined). */
  complete(): Promise<void> {
    if (this.snapshot.refining === undefined) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private show(next: SamplingSnapshot): void {
    this.snapshot = next;
    for (const failure of next.failures) this.hooks.failed(failure);
    if (next.refining === undefined && this.waiting.length > 0) {
      const resolved = this.waiting;
      this.waiting = [];
      for (const resolve of resolved) resolve();
    }
  }

  /** A later slice's snapshot: progress, or a curve in full (laid out now, drawn in the next task). */
  private next(next: SamplingSnapshot): void {
    const redraw = next.finished !== this.snapshot.finished || next.refining === undefined;
    this.show(next);
    if (!redraw) {
      this.hooks.progressed();
      return;
    }
    this.hooks.prepare();
    defaultSamplingOptions.defer(() => {
      // Newer samples came meanwhile: their own redraw follows.
      if (this.snapshot === next) this.hooks.redraw();
    });
  }
}
