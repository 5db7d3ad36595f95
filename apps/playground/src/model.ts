import {
  AnnealError,
  fromConfig,
  isPlateauController,
  type Phase,
  type Schedule,
  type ScheduleConfig,
  ScheduleConfigError,
  toConfig,
} from '@anneal/core';
import { fromReference } from '@anneal/core/reference';
import type { SeriesState } from './state';

/** One problem with a series' input, shown inline. */
export interface InputIssue {
  /** Field path inside the config (`''` for the whole input). */
  readonly path: string;
  readonly message: string;
}

/** One drawn line. A reference config gives two: the reference curve and its native equivalent. */
export interface Curve {
  readonly label: string;
  readonly color: string;
  readonly dashed: boolean;
  /** Drawn wide and pale under the curve it is compared with (a reference curve). */
  readonly wide: boolean;
  readonly schedule: Schedule;
}

export type SeriesResult =
  | {
      readonly ok: true;
      readonly kind: 'native' | 'reference';
      readonly curves: readonly Curve[];
      readonly phases: readonly Phase[];
      /** The native config (`toConfig`): for a reference config, its anneal equivalent. */
      readonly nativeConfig: ScheduleConfig;
      /** The parsed input. */
      readonly input: Record<string, unknown>;
    }
  | { readonly ok: false; readonly kind: 'native' | 'reference'; readonly issues: readonly InputIssue[] };

/** Where a JSON syntax error is, as "line L, column C" when the engine reports a position. */
function jsonIssue(text: string, error: unknown): InputIssue {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message);
  if (position) {
    const offset = Number(position[1]);
    const before = text.slice(0, offset).split('\n');
    return {
      path: '',
      message: `The JSON does not parse (line ${before.length}, column ${before.at(-1)!.length + 1}): ${message}`,
    };
  }
  return { path: '', message: `The JSON does not parse: ${message}` };
}

function issuesOf(error: unknown): InputIssue[] {
  if (ScheduleConfigError.isInstance(error))
    return error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
  if (AnnealError.isInstance(error)) return [{ path: '', message: error.message }];
  return [
    { path: '', message: `Unexpected error: ${error instanceof Error ? error.message : String(error)}` },
  ];
}

/** Parses and builds one series: never throws; bad input becomes a list of issues. */
export function buildSeries(series: SeriesState): SeriesResult {
  let input: unknown;
  try {
    input = JSON.parse(series.text);
  } catch (error) {
    return {
      ok: false,
      kind: /"api"\s*:/.test(series.text) ? 'reference' : 'native',
      issues: [jsonIssue(series.text, error)],
    };
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      kind: 'native',
      issues: [
        {
          path: '',
          message: `Expected a config object: native { "type": ... } or reference { "api": ..., "params": ... }; received ${Array.isArray(input) ? 'an array' : JSON.stringify(input)}.`,
        },
      ],
    };
  }
  const object = input as Record<string, unknown>;
  if ('api' in object && !('type' in object)) {
    try {
      const built = fromReference(object);
      if (isPlateauController(built)) {
        return {
          ok: false,
          kind: 'reference',
          issues: [
            {
              path: 'api',
              message: `${String(object.api)} is driven by a metric (a plateau controller), so it has no curve to draw before training.`,
            },
          ],
        };
      }
      const nativeConfig = toConfig(built);
      const native = fromConfig(nativeConfig);
      return {
        ok: true,
        kind: 'reference',
        curves: [
          {
            label: `${series.name} (reference)`,
            color: series.color,
            dashed: false,
            wide: true,
            schedule: built,
          },
          {
            label: `${series.name} (native)`,
            color: series.color,
            dashed: true,
            wide: false,
            schedule: native,
          },
        ],
        phases: native.phases,
        nativeConfig,
        input: object,
      };
    } catch (error) {
      return { ok: false, kind: 'reference', issues: issuesOf(error) };
    }
  }
  try {
    const schedule = fromConfig(object);
    return {
      ok: true,
      kind: 'native',
      curves: [{ label: series.name, color: series.color, dashed: false, wide: false, schedule }],
      phases: schedule.phases,
      nativeConfig: toConfig(schedule),
      input: object,
    };
  } catch (error) {
    return { ok: false, kind: 'native', issues: issuesOf(error) };
  }
}

/**
 * `buildSeries` with memory: a series object is built once, so a commit builds only the series it
 * changed (the state's other series keep their objects).
 */
export function seriesBuilder(): (series: SeriesState) => SeriesResult {
  const built = new WeakMap<SeriesState, SeriesResult>();
  return (series) => {
    let result = built.get(series);
    if (result === undefined) {
      result = buildSeries(series);
      built.set(series, result);
    }
    return result;
  };
}

/** Exact value of a curve at a step, as a string that parses back to the same double. */
export function formatExact(value: number): string {
  return String(value);
}

/** The last finite phase boundary over all results, for "fit to schedule". */
export function naturalEnd(results: readonly SeriesResult[]): number | undefined {
  let end = 0;
  for (const result of results) {
    if (!result.ok) continue;
    for (const phase of result.phases) {
      if (Number.isFinite(phase.end)) end = Math.max(end, phase.end);
      else end = Math.max(end, phase.start);
    }
  }
  return end > 0 ? end : undefined;
}
