import type { Phase } from '@anneal/core';
import type { ChartSeries } from '@anneal/plot';

/** Steps evaluated at most per plotted curve; longer ranges use a stride (the end is always included). */
export const MAX_PLOT_EVALUATIONS = 1_000_000;

/**
 * The default plot range: step 0 to the end of the last finite phase plus 10% (rounded up to an
 * integer), or 0 to 1000 when the phases give no finite end.
 */
export function defaultStepRange(phases: readonly Phase[]): { start: number; end: number } {
  const last = lastFiniteStep(phases);
  return { start: 0, end: last > 0 ? Math.ceil(last * 1.1) : 1000 };
}

/** The largest finite start or end of the phases, or 0 (a loop: a join can have 10,000s of phases). */
export function lastFiniteStep(phases: readonly Phase[]): number {
  let last = 0;
  for (const phase of phases) {
    if (Number.isFinite(phase.end) && phase.end > last) last = phase.end;
    if (Number.isFinite(phase.start) && phase.start > last) last = phase.start;
  }
  return last;
}

/**
 * Evaluates a schedule at the integer steps start..end (inclusive) for plotting, with a stride
 * when the range has more than `maxEvaluations` steps.
 */
export function sampleSchedule(
  schedule: (step: number) => number,
  range: { start: number; end: number },
  label?: string,
  maxEvaluations = MAX_PLOT_EVALUATIONS,
): ChartSeries & { x: Float64Array; y: Float64Array } {
  const span = range.end - range.start;
  const stride = Math.max(1, Math.ceil((span + 1) / maxEvaluations));
  const count = Math.floor(span / stride) + 1;
  const needsEnd = (count - 1) * stride !== span;
  const total = count + (needsEnd ? 1 : 0);
  const x = new Float64Array(total);
  const y = new Float64Array(total);
  for (let index = 0; index < count; index += 1) {
    const step = range.start + index * stride;
    x[index] = step;
    y[index] = schedule(step);
  }
  if (needsEnd) {
    x[total - 1] = range.end;
    y[total - 1] = schedule(range.end);
  }
  return label === undefined ? { x, y } : { label, x, y };
}

/** Lowest and highest value of a sampled curve. */
export function valueRange(values: ArrayLike<number>): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index]!;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}
