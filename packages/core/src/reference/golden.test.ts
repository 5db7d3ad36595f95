import { afterAll, describe, expect, it } from 'vitest';
import { isPlateauController } from '../compose/plateau';
import { fromConfig, toConfig } from '../config';
import type { Schedule } from '../schedule';
import { goldenFileNames, readGolden } from './golden.test-utils';
import { evaluateReferenceCase, fromReference, type ReferenceCase } from './index';

interface GoldenCase extends ReferenceCase {
  readonly id: string;
  readonly lr: readonly number[];
  readonly lr_float32?: readonly number[];
}
interface GoldenFile {
  readonly library: string;
  readonly cases: readonly GoldenCase[];
}

const files = goldenFileNames().map((name) => ({ name, data: readGolden<GoldenFile>(name) }));

/** Relative error, with an absolute floor of 1e-15 for values near zero. */
function withinTolerance(actual: number, expected: number): boolean {
  const error = Math.abs(actual - expected);
  return error <= Math.max(1e-12 * Math.abs(expected), 1e-15);
}

const worst: { library: string; id: string; relative: number; absoluteNearZero: number }[] = [];
const float32Rows: { library: string; id: string; exact: number; total: number; maxUlpRelative: number }[] =
  [];

describe.each(files)('golden $name', ({ data }) => {
  it.each(data.cases.map((goldenCase) => [goldenCase.id, goldenCase] as const))('%s', (_id, goldenCase) => {
    // Drop the expected values so the evaluation cannot read them.
    const { lr, lr_float32, ...input } = goldenCase;
    const values = evaluateReferenceCase(input);
    expect(values).toHaveLength(lr.length);
    let relative = 0;
    let absoluteNearZero = 0;
    values.forEach((value, index) => {
      const expected = lr[index] as number;
      if (!withinTolerance(value, expected)) {
        expect.fail(
          `${goldenCase.id} at steps[${index}] = ${goldenCase.steps?.[index]}: expected ${expected}, received ${value}`,
        );
      }
      // Relative error where the relative criterion governs (|expected| >= 1e-3); absolute below.
      const error = Math.abs(value - expected);
      if (Math.abs(expected) >= 1e-3) relative = Math.max(relative, error / Math.abs(expected));
      else absoluteNearZero = Math.max(absoluteNearZero, error);
    });
    worst.push({ library: data.library, id: goldenCase.id, relative, absoluteNearZero });
    if (lr_float32) {
      // float32 evaluation: the float64 value rounded once to float32 (Math.fround), as a float32
      // learning-rate variable stores it; compared with lr_float32 (itself rounded to float32, since
      // a constant stays a Python float there) exactly and by relative error.
      let exact = 0;
      let maxRelative = 0;
      values.forEach((value, index) => {
        const rounded = Math.fround(value);
        const expected = Math.fround(lr_float32[index] as number);
        if (rounded === expected) exact += 1;
        const relative =
          expected === 0 ? Math.abs(rounded) : Math.abs(rounded - expected) / Math.abs(expected);
        maxRelative = Math.max(maxRelative, relative);
      });
      float32Rows.push({
        library: data.library,
        id: goldenCase.id,
        exact,
        total: values.length,
        maxUlpRelative: maxRelative,
      });
    }
  });

  it.each(data.cases.map((goldenCase) => [goldenCase.id, goldenCase] as const))(
    '%s round-trips through toConfig',
    (_id, goldenCase) => {
      const { lr, lr_float32, ...input } = goldenCase;
      const built = fromReference(input);
      if (isPlateauController(built)) {
        // A controller's config is its normalized options; a fresh controller from them behaves the same.
        expect(built.config.type).toBe('reduceOnPlateau');
        return;
      }
      const schedule = built as Schedule;
      const config = JSON.parse(JSON.stringify(toConfig(schedule)));
      const again = fromConfig(config);
      for (const step of goldenCase.steps ?? []) {
        const t = step === null ? 0 : step;
        expect(again(t)).toBe(schedule(t));
      }
    },
  );
});

afterAll(() => {
  const byLibrary = new Map<string, { cases: number; worst: number; id: string; nearZero: number }>();
  for (const row of worst) {
    const entry = byLibrary.get(row.library) ?? { cases: 0, worst: 0, id: '', nearZero: 0 };
    entry.cases += 1;
    entry.nearZero = Math.max(entry.nearZero, row.absoluteNearZero);
    if (row.relative >= entry.worst) {
      entry.worst = row.relative;
      entry.id = row.id;
    }
    byLibrary.set(row.library, entry);
  }
  console.table(
    [...byLibrary.entries()].map(([library, entry]) => ({
      library,
      'cases passed': entry.cases,
      'worst relative error (|lr| >= 1e-3)': entry.worst,
      'worst case': entry.id,
      'worst absolute error (|lr| < 1e-3)': entry.nearZero,
    })),
  );
  if (float32Rows.length > 0) {
    console.table(
      float32Rows.map((row) => ({
        case: row.id,
        'fround(float64) === lr_float32': `${row.exact}/${row.total}`,
        'max relative difference': row.maxUlpRelative,
      })),
    );
  }
});
