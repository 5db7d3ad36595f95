/** Test helpers shared by the family tests (not part of the package API). */
import { expect } from 'vitest';
import { fromConfig, toConfig } from '../config';
import { ScheduleConfigError, type ValidationIssue } from '../errors';
import type { Schedule } from '../schedule';

/** Relative tolerance for closed forms restated in float64. */
export const RELATIVE_TOLERANCE = 1e-12;

/** |actual − expected| <= 1e-12 · |expected| (so an expected 0 must be exactly 0). */
export function expectClose(actual: number, expected: number, context = ''): void {
  const error = Math.abs(actual - expected);
  if (!(error <= RELATIVE_TOLERANCE * Math.abs(expected))) {
    expect.fail(
      `${context} expected ${expected}, received ${actual} (relative error ${error / Math.abs(expected)})`,
    );
  }
}

/** Compares a schedule with an independent closed form at every listed step. */
export function expectClosedForm(
  schedule: Schedule,
  closedForm: (t: number) => number,
  steps: readonly number[],
): void {
  for (const t of steps) expectClose(schedule(t), closedForm(t), `step ${t}:`);
}

/** Integer steps from..to plus a few fractional ones in between. */
export function stepsUpTo(end: number, stride = 1): number[] {
  const steps: number[] = [];
  for (let t = 0; t <= end; t += stride) steps.push(t, t + 0.25, t + 0.5);
  return steps;
}

/** Runs `build` and returns the issues of the `ScheduleConfigError` it must throw. */
export function issuesOf(build: () => unknown): readonly ValidationIssue[] {
  try {
    build();
  } catch (error) {
    if (ScheduleConfigError.isInstance(error)) return error.issues;
    throw error;
  }
  return expect.fail('expected a ScheduleConfigError, but the builder accepted the options');
}

/** Asserts the exact list of messages the builder reports. */
export function expectMessages(build: () => unknown, messages: readonly string[]): void {
  expect(issuesOf(build).map((issue) => issue.message)).toEqual(messages);
}

/** JSON round trip: the rebuilt schedule gives bit-identical values at every listed step. */
export function expectRoundTrip(schedule: Schedule, steps: readonly number[]): void {
  const json = JSON.parse(JSON.stringify(toConfig(schedule)));
  const back = fromConfig(json);
  expect(toConfig(back)).toEqual(toConfig(schedule));
  for (const t of steps) expect(back(t)).toBe(schedule(t));
}
