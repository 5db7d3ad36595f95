import { custom } from '@anneal/core';
import { describe, expect, it } from 'vitest';
import type { SeriesResult } from '../src/model';
import { refiningNote, type SamplingOptions, type SamplingSnapshot, startSampling } from '../src/sampling';
import { type AppState, defaultState } from '../src/state';
import { sampleCurves } from '../src/view';
import { seriesOf, viewOf } from './helpers/view';

const warm = { type: 'warmupCosineDecay', peakValue: 1e-3, totalSteps: 1000, warmupSteps: 100 };
const restarts = { type: 'cosineRestarts', peakValue: 1e-3, firstCycleSteps: 90, finalValue: 1e-5 };
const torch = {
  api: 'torch.optim.lr_scheduler.CosineAnnealingLR',
  params: { T_max: 800 },
  base_lr: 0.1,
};
const state: AppState = {
  ...defaultState(),
  series: [
    seriesOf('warm', '#2563eb', warm),
    { name: 'broken', color: '#dc2626', text: '{ "type": ' },
    seriesOf('torch', '#059669', torch),
    seriesOf('restarts', '#d97706', restarts),
  ],
  start: 7.5,
  end: 1200.25,
  points: 30_001,
};

/**
 * Deterministic slices: the clock advances one millisecond per look, so a slice of `sliceMs`
 * evaluates `sliceMs` batches; deferred tasks wait in a queue the test runs.
 */
function manual(changes: Partial<SamplingOptions> = {}) {
  let time = 0;
  const queue: (() => void)[] = [];
  const options: SamplingOptions = {
    previewPoints: 2001,
    sliceMs: 4,
    batch: 500,
    now: () => time++,
    defer: (task) => queue.push(task),
    ...changes,
  };
  const snapshots: SamplingSnapshot[] = [];
  const runAll = () => {
    for (let tasks = 0; queue.length > 0; tasks++) {
      if (tasks > 100_000) throw new Error('the sampling never ends');
      queue.shift()!();
    }
  };
  return { options, queue, snapshots, runAll, onSnapshot: (s: SamplingSnapshot) => snapshots.push(s) };
}

/** The values of every sampled curve, by label. */
const byLabel = (sampled: SamplingSnapshot['sampled']) =>
  Object.fromEntries(sampled.map(({ curve, values }) => [curve.label, Array.from(values)]));

describe('progressive sampling', () => {
  const results = viewOf(state).results;

  it('ends on exactly the samples of sampleCurves (start > 0, fractional stride, a reference series)', () => {
    const run = manual();
    const job = startSampling(results, state, run.onSnapshot, run.options);
    expect(job.first.refining).toBeDefined();
    run.runAll();
    const last = run.snapshots.at(-1)!;
    expect(last.refining).toBeUndefined();
    expect(last.finished).toBe(4);
    const all = sampleCurves(results, state);
    expect(last.failures).toEqual(all.failures);
    expect(last.sampled.map(({ curve }) => curve.label)).toEqual([
      'warm',
      'torch (reference)',
      'torch (native)',
      'restarts',
    ]);
    expect(byLabel(last.sampled)).toEqual(byLabel(all.sampled));
    expect(last.sampled.every((curve) => curve.stride === undefined)).toBe(true);
  });

  it('draws previews meanwhile, replaced curve by curve, and says how far it got', () => {
    const run = manual();
    const job = startSampling(results, state, run.onSnapshot, run.options);
    const preview = sampleCurves(results, { ...state, points: 2001 });
    // At first: every curve from its preview, at the preview's stride.
    expect(job.first.finished).toBe(0);
    expect(byLabel(job.first.sampled)).toEqual(byLabel(preview.sampled));
    expect(job.first.sampled[0]!.stride).toBe((state.end - state.start) / 2000);
    expect(job.first.refining).toEqual({
      done: 2000,
      total: 4 * 30_001,
      previewPoints: 2001,
    });
    run.runAll();
    const snapshots = [job.first, ...run.snapshots];
    // Progress only grows; curves finish one after the other, each then drawn from all its samples.
    for (let i = 1; i < snapshots.length; i++) {
      const [before, after] = [snapshots[i - 1]!, snapshots[i]!];
      expect(after.finished).toBeGreaterThanOrEqual(before.finished);
      if (before.refining && after.refining)
        expect(after.refining.done).toBeGreaterThan(before.refining.done);
    }
    const halfway = snapshots.find((snapshot) => snapshot.finished === 2)!;
    expect(halfway.refining).toBeDefined();
    expect(halfway.sampled.map((curve) => curve.values.length)).toEqual([30_001, 30_001, 2001, 2001]);
  });

  it('finishes at once, without a preview, when the first slice samples everything', () => {
    const run = manual({ sliceMs: 1_000 });
    const job = startSampling(results, state, run.onSnapshot, run.options);
    expect(job.first.refining).toBeUndefined();
    expect(byLabel(job.first.sampled)).toEqual(byLabel(sampleCurves(results, state).sampled));
    expect(run.queue).toHaveLength(0);
  });

  it('stops when cancelled: no later slice, no snapshot', () => {
    const run = manual();
    const job = startSampling(results, state, run.onSnapshot, run.options);
    run.queue.shift()!();
    const seen = run.snapshots.length;
    job.cancel();
    run.runAll();
    expect(run.snapshots).toHaveLength(seen);
  });

  it('leaves out a curve that throws part-way, with the message sampleCurves gives', () => {
    // A schedule whose values turn invalid past step 600: core's custom() refuses NaN.
    const failing = custom((step) => (step > 600 ? Number.NaN : 0.1), 'late');
    const curve = { label: 'late', color: '#000000', dashed: false, wide: false, schedule: failing };
    const withFailure: SeriesResult[] = [
      ...results,
      { ok: true, kind: 'native', curves: [curve], phases: [], nativeConfig: warm, input: {} },
    ];
    const run = manual();
    startSampling(withFailure, state, run.onSnapshot, run.options);
    run.runAll();
    const last = run.snapshots.at(-1)!;
    const all = sampleCurves(withFailure, state);
    expect(all.failures).toHaveLength(1);
    expect(last.failures).toEqual(all.failures);
    expect(last.sampled.map(({ curve: { label } }) => label)).toEqual(
      all.sampled.map(({ curve: { label } }) => label),
    );
  });

  it('previews a slow small range at half its points', () => {
    const run = manual({ sliceMs: 1, batch: 10 });
    const small = { ...state, points: 1001 };
    const job = startSampling(results, small, run.onSnapshot, run.options);
    expect(job.first.refining?.previewPoints).toBe(500);
    run.runAll();
    expect(byLabel(run.snapshots.at(-1)!.sampled)).toEqual(byLabel(sampleCurves(results, small).sampled));
  });

  it('says how far it got and what the chart shows meanwhile', () => {
    expect(refiningNote({ done: 1_234_567, total: 4_000_000, previewPoints: 2001 })).toBe(
      'Refining the curves: 30% of 4,000,000 samples. Until then the chart shows 2,001 samples per curve.',
    );
  });
});
