/**
 * The page of browser.test.ts: `@anneal/core` and `@anneal/core/reference` bundled for the
 * browser. The test hands it configs and parsed files (read in Node) and compares the values it
 * returns with the reference libraries' golden values.
 */
import { fromConfig, ScheduleConfigError } from '@anneal/core';
import {
  evaluateReferenceCase,
  type ImportOptions,
  importSchedule,
  type ReferenceCase,
} from '@anneal/core/reference';

/** What `importSchedule` made of a parsed file, with the schedule's values at `steps`. */
export interface ImportedValues {
  readonly format: string;
  readonly kind: string;
  readonly stepUnit: string;
  readonly values: number[];
}

export interface CorePage {
  /** `fromConfig(config)` at each step. */
  nativeValues(config: unknown, steps: readonly number[]): number[];
  /** `evaluateReferenceCase(input)`: the values at the case's steps (or after each metric, for a plateau). */
  referenceValues(input: ReferenceCase): number[];
  /** `importSchedule(input, options)`, with the schedule at each step. */
  importValues(input: unknown, options: ImportOptions, steps: readonly number[]): ImportedValues;
  /** What `importSchedule(input)` threw: its name, message, and whether it is a `ScheduleConfigError`. */
  importFailure(input: unknown): { name: string; message: string; typed: boolean } | null;
}

declare global {
  var annealCorePage: CorePage;
}

globalThis.annealCorePage = {
  nativeValues: (config, steps) => {
    const schedule = fromConfig(config);
    return steps.map((step) => schedule(step));
  },
  referenceValues: (input) => evaluateReferenceCase(input),
  importValues: (input, options, steps) => {
    const result = importSchedule(input, options);
    if (result.kind !== 'schedule') throw new Error(`expected a schedule; received a ${result.kind}`);
    return {
      format: result.format,
      kind: result.kind,
      stepUnit: result.report.stepUnit,
      values: steps.map((step) => result.schedule(step)),
    };
  },
  importFailure: (input) => {
    try {
      importSchedule(input);
      return null;
    } catch (error) {
      const { name, message } = error as Error;
      return { name, message, typed: ScheduleConfigError.isInstance(error) };
    }
  },
};
