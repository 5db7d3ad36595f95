/**
 * The heavy workload of the responsiveness test and the redraw benchmark: four schedules, each a
 * `join` of 3,000 linear segments of 333 steps, drawn over 999,000 steps with 1,000,000 points.
 */
import { type AppState, formatConfig, palette } from '../../src/state';

export const heavySegments = 3000;
export const heavySegmentSteps = 333;

/** Series `index`'s config: a join of `segments` linear segments following a slow sine. */
export function heavyJoin(index: number, segments = heavySegments): Record<string, unknown> {
  const value = (k: number) => 1e-3 * (1.2 + Math.sin(k / 50 + index));
  return {
    type: 'join',
    segments: Array.from({ length: segments }, (_, k) => ({
      schedule: {
        type: 'linear',
        initialValue: value(k),
        finalValue: value(k + 1),
        transitionSteps: heavySegmentSteps,
      },
      ...(k < segments - 1 ? { steps: heavySegmentSteps } : {}),
    })),
  };
}

export function heavyState(points = 1_000_000): AppState {
  return {
    series: palette.map((color, index) => ({
      name: `join ${index + 1}`,
      color,
      text: formatConfig(heavyJoin(index)),
    })),
    active: 0,
    start: 0,
    end: heavySegments * heavySegmentSteps,
    points,
    scale: 'linear',
    probe: 0,
  };
}
