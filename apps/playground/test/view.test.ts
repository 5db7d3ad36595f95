import { warmupCosineDecay } from '@anneal/core';
import { describe, expect, it } from 'vitest';
import { buildSeries } from '../src/model';
import { type AppState, defaultState } from '../src/state';
import { curveLabels, layoutView, sampleCurves, stride } from '../src/view';
import { seriesOf, viewOf } from './helpers/view';

const warm = { type: 'warmupCosineDecay', peakValue: 1e-3, totalSteps: 1000, warmupSteps: 100 };
const state: AppState = {
  ...defaultState(),
  series: [
    seriesOf('warm', '#2563eb', warm),
    { name: 'broken', color: '#dc2626', text: '{ "type": ' },
    seriesOf('torch', '#059669', {
      api: 'torch.optim.lr_scheduler.CosineAnnealingLR',
      params: { T_max: 800 },
      base_lr: 0.1,
    }),
  ],
  start: 10,
  end: 1010,
  points: 501,
};

describe('the view of a state', () => {
  it('spaces the samples evenly over the range', () => {
    expect(stride(state)).toBe(2);
    expect(stride({ ...state, start: 0, end: 1, points: 2 })).toBe(1);
  });

  it('samples every curve of the series that built, at start + i * stride', () => {
    const { sampled, failures } = sampleCurves(state.series.map(buildSeries), state);
    expect(failures).toEqual([]);
    expect(sampled.map(({ curve }) => curve.label)).toEqual(['warm', 'torch (reference)', 'torch (native)']);
    const schedule = warmupCosineDecay({ peakValue: 1e-3, totalSteps: 1000, warmupSteps: 100 });
    const values = sampled[0]!.values;
    expect(values).toHaveLength(501);
    for (const index of [0, 45, 46, 250, 500]) {
      const expected = schedule(10 + index * 2);
      expect(Math.abs(values[index]! - expected)).toBeLessThanOrEqual(1e-12 * expected);
    }
  });

  it('lays the curves out with the phases of each series in its colour', () => {
    const view = viewOf(state);
    expect(curveLabels(view)).toEqual(['warm', 'torch (reference)', 'torch (native)']);
    const layout = layoutView(view, 800, 400);
    expect([layout.width, layout.height, layout.start, layout.end]).toEqual([800, 400, 10, 1010]);
    expect(layout.legendRows).toBe(0);
    // Each phase mark is drawn in the colour of the series whose phase it is.
    const phasesOf = new Map(
      view.results.map((result, index) => [
        state.series[index]!.color,
        result.ok ? result.phases.map((phase) => phase.name) : [],
      ]),
    );
    expect(layout.phases.length).toBeGreaterThan(0);
    for (const phase of layout.phases) expect(phasesOf.get(phase.color)).toContain(phase.name);
    expect(new Set(layout.phases.map((phase) => phase.color))).toEqual(new Set(['#2563eb', '#059669']));
    expect(layoutView(view, 960, 540, 2).legendRows).toBe(2);
  });
});
