/**
 * What the page shows for a state: each series built (`buildSeries`), every curve of the series
 * that built sampled over the range, and the chart layout of those curves at a given size.
 */
import { sample } from '@anneal/core';
import { type ChartLayout, layoutChart } from './chart';
import type { Curve, SeriesResult } from './model';
import type { Refining } from './sampling';
import type { AppState } from './state';

export interface SampledCurve {
  readonly curve: Curve;
  readonly values: Float64Array;
  /** Steps between the values when they are not `stride(state)` apart (a coarser preview). */
  readonly stride?: number;
}

export interface View {
  readonly state: AppState;
  /** One result per series, in order. */
  readonly results: readonly SeriesResult[];
  /** Every curve of the series that built, sampled over [state.start, state.end]. */
  readonly sampled: readonly SampledCurve[];
  /** Present while some curves of `sampled` are previews, still being sampled in full. */
  readonly refining?: Refining;
}

/** Steps between samples: `points` samples span [start, end]. */
export function stride(state: AppState): number {
  return (state.end - state.start) / (state.points - 1);
}

/**
 * Samples every curve of the series that built. A curve that cannot be sampled is left out, with a
 * sentence in `failures` saying why.
 */
export function sampleCurves(
  results: readonly SeriesResult[],
  state: AppState,
): { sampled: SampledCurve[]; failures: string[] } {
  const sampled: SampledCurve[] = [];
  const failures: string[] = [];
  const step = stride(state);
  for (const result of results) {
    if (!result.ok) continue;
    for (const curve of result.curves) {
      try {
        sampled.push({
          curve,
          values: sample(curve.schedule, { start: state.start, end: state.end, stride: step }),
        });
      } catch (error) {
        failures.push(`Could not sample ${curve.label}: ${(error as Error).message}`);
      }
    }
  }
  return { sampled, failures };
}

/** Where each series' phases start, drawn as dashed lines in the series' colour. */
function phaseMarks({ state, results }: View) {
  return results.flatMap((result, index) =>
    result.ok
      ? result.phases.map((phase) => ({
          step: phase.start,
          name: phase.name,
          color: state.series[index]!.color,
        }))
      : [],
  );
}

/** The chart layout of a view, `width` × `height` px; `legendRows` > 0 draws the legend inside (exports). */
export function layoutView(view: View, width: number, height: number, legendRows = 0): ChartLayout {
  const { state } = view;
  return layoutChart({
    width,
    height,
    start: state.start,
    end: state.end,
    stride: stride(state),
    scale: state.scale,
    curves: view.sampled.map(({ curve, values, stride: curveStride }) => ({
      label: curve.label,
      color: curve.color,
      dashed: curve.dashed,
      wide: curve.wide,
      values,
      stride: curveStride,
    })),
    phases: phaseMarks(view),
    legendRows,
  });
}

/** The labels of the drawn curves, in drawing order. */
export function curveLabels(view: View): string[] {
  return view.sampled.map(({ curve }) => curve.label);
}
