/**
 * The assertions of the exact learning-rate replay, shared by the Node tests and the Chromium test:
 * the rates announced, held, kept (SGD, Momentum) and logged are the schedule's float32 values at
 * every step, and a float64 replay of the parameters with exactly those rates matches while a
 * replay shifted by one step does not.
 */
import { expect } from 'vitest';
import { batchRows, optimizerCases, replayErrors } from './support';

export interface ObservedRun {
  readonly iterations: number;
  readonly announced: readonly (readonly [number, number])[];
  readonly held: readonly number[];
  readonly kept: readonly number[];
  readonly observed: readonly { before: readonly number[]; after: readonly number[] }[];
}

/** Largest replay error of `run` with the rate `rateAt(k)` at batch k (relative to the largest change). */
export function replayError(
  name: string,
  epochs: number,
  epsilon: number,
  run: ObservedRun,
  rateAt: (k: number) => number,
): number {
  const replay = optimizerCases[name]!.replay(epsilon);
  return Math.max(...replayErrors(replay, batchRows(epochs), run.observed, rateAt));
}

/**
 * Asserts that update k of `run` used `Math.fround(schedule(k))`, bit for bit where the rate is
 * readable (announced, SGD/Momentum's kept scalar) and through the replay (within `tolerance`;
 * shifted by one step, above 0.5). Returns the replay error.
 */
export function expectExactRates(
  name: string,
  schedule: (k: number) => number,
  epochs: number,
  epsilon: number,
  run: ObservedRun,
  tolerance: number,
): number {
  const steps = run.observed.length;
  const expected = Array.from({ length: steps }, (_, k) => Math.fround(schedule(k)));
  expect(run.iterations).toBe(steps);
  expect(run.announced).toEqual(expected.map((lr, k) => [lr, k]));
  expect(run.held).toEqual(Array.from({ length: steps }, (_, k) => schedule(k)));
  expect(run.held.map(Math.fround)).toEqual(expected);
  if (name === 'sgd' || name === 'momentum') expect(run.kept).toEqual(expected);
  const exact = replayError(name, epochs, epsilon, run, (k) => expected[k]!);
  expect(exact).toBeLessThan(tolerance);
  // Off by one in either direction: the replay must not match.
  expect(
    replayError(name, epochs, epsilon, run, (k) => Math.fround(schedule(Math.max(0, k - 1)))),
  ).toBeGreaterThan(0.5);
  expect(replayError(name, epochs, epsilon, run, (k) => Math.fround(schedule(k + 1)))).toBeGreaterThan(0.5);
  return exact;
}
