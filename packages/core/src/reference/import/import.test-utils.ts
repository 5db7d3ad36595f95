/** Shared by the importer's tests: the fixtures (parsed as the CLI parses them), golden cases, comparison. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { ScheduleConfigError } from '../../errors';
import { readGolden } from '../golden.test-utils';
import { type ImportOptions, type ImportResult, importSchedule, type ScheduleImport } from './index';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', '..', '..', 'test', 'fixtures', 'import');

/** A fixture of test/fixtures/import, parsed (YAML 1.2 core schema reads JSON too). */
export function fixture(name: string): Record<string, unknown> {
  return parse(readFileSync(join(fixtures, name), 'utf8')) as Record<string, unknown>;
}

export interface GoldenCase {
  readonly id: string;
  readonly steps: readonly (number | null)[];
  readonly lr: readonly number[];
  readonly metrics?: readonly number[];
  readonly get_cycle_length?: number;
}

/** A case of ../shared/golden/<library>.json by id. */
export function golden(library: string, id: string): GoldenCase {
  const file = readGolden<{ cases: GoldenCase[] }>(`${library}.json`);
  const found = file.cases.find((entry) => entry.id === id);
  if (!found) throw new Error(`golden case ${library}/${id} not found`);
  return found;
}

/** Each value within 1e-12 relative (1e-15 absolute near zero) of the library's. */
export function expectValues(actual: readonly number[], expected: readonly number[], label: string): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, index) => {
    const want = expected[index] as number;
    const error = Math.abs(value - want);
    if (!(error <= Math.max(1e-12 * Math.abs(want), 1e-15))) {
      expect.fail(`${label} at index ${index}: expected ${want}, received ${value}`);
    }
  });
}

/** The `ScheduleConfigError` that `importSchedule` throws for this input. */
export function importFailure(input: unknown, options?: unknown): ScheduleConfigError {
  try {
    importSchedule(input, options as ImportOptions);
  } catch (error) {
    if (ScheduleConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected importSchedule to throw');
}

/** The schedule of a result that must be one. */
export function scheduleOf(result: ImportResult): ScheduleImport {
  if (result.kind !== 'schedule') throw new Error(`expected a schedule; received a ${result.kind}`);
  return result;
}

/** The controller of a result that must be a plateau, with its values: the initial one, then after each metric. */
export function plateauValues(result: ImportResult, metrics: readonly number[] = []): number[] {
  if (result.kind !== 'plateau') throw new Error(`expected a plateau controller; received a ${result.kind}`);
  return [result.controller.value, ...metrics.map((metric) => result.controller.report(metric))];
}

/** Values of the schedule at the golden case's steps, compared with the library's. */
export function expectGolden(
  schedule: (step: number) => number,
  expected: GoldenCase,
  label = expected.id,
): void {
  expectValues(
    expected.steps.map((step) => schedule(step ?? 0)),
    expected.lr,
    label,
  );
}
