import { fromConfig } from '../config';
import { defineFamily } from '../family';
import { evaluatorOf, type Phase, type Schedule, type ScheduleLike } from '../schedule';
import { shiftPhases } from './phases';

/** Up to this many segments a linear scan beats a binary search (docs/benchmarks/core.md). */
const LINEAR_SEARCH_MAX = 16;

export interface JoinSegment {
  /** Schedule of this segment; it sees a local step that starts at 0 where the segment starts. */
  readonly schedule: ScheduleLike;
  /** Length of the segment, in steps; required on every segment but the last, which runs forever. */
  readonly steps?: number;
}

export interface JoinOptions {
  /** Segments in order: [{ schedule, steps }, ..., { schedule }]. */
  readonly segments: readonly JoinSegment[];
}

interface JoinResolved {
  readonly segments: readonly { readonly schedule: Schedule; readonly steps?: number }[];
}

/**
 * Runs schedules one after the other. Each segment sees a local step: with boundaries
 * b₀ = 0 and bᵢ₊₁ = bᵢ + stepsᵢ, step t in [bᵢ, bᵢ₊₁) gives segment i's schedule at t − bᵢ
 * (optax `join_schedules` semantics: at a boundary the next segment starts at its step 0).
 * The last segment runs forever (its local step keeps growing past its `steps`, which then only
 * marks the end of its phase in plots). Children's phases are offset to global steps and merged.
 *
 * @example join({ segments: [{ schedule: linear(...), steps: 100 }, { schedule: cosineDecay(...) }] })
 */
export const join = defineFamily<JoinOptions, JoinResolved>({
  type: 'join',
  readConfig: (json) => fromConfig(json),
  summary: 'Runs schedules one after another; each segment sees a local step starting at 0.',
  options: {
    segments: {
      kind: 'objectArray',
      minLength: 1,
      description: 'Segments in order: [{ schedule, steps }, ..., { schedule }].',
      items: {
        schedule: {
          kind: 'schedule',
          description:
            'Schedule of this segment; it sees a local step that starts at 0 where the segment starts.',
        },
        steps: {
          kind: 'number',
          min: 0,
          minExclusive: true,
          optional: true,
          description:
            'Length of the segment, in steps; required on every segment but the last, which runs forever.',
        },
      },
    },
  },
  check: ({ segments }, issues) => {
    segments.forEach((segment, index) => {
      if (index < segments.length - 1 && segment.steps === undefined) {
        issues.addRule(
          `segments[${index}].steps`,
          `segments[${index}].steps is required on every segment but the last (a finite number > 0)`,
          'a finite number > 0',
          undefined,
        );
      }
    });
  },
  build: ({ segments }) => {
    const count = segments.length;
    const evaluators = segments.map((segment) => evaluatorOf(segment.schedule));
    // starts[i] is where segment i begins; segment i covers [starts[i], starts[i + 1]).
    const starts = new Float64Array(count);
    for (let i = 1; i < count; i++) starts[i] = starts[i - 1]! + segments[i - 1]!.steps!;
    if (count === 1) return evaluators[0]!;
    if (count === 2) {
      const [first, second] = evaluators as [(t: number) => number, (t: number) => number];
      const boundary = starts[1]!;
      return (t) => (t < boundary ? first(t) : second(t - boundary));
    }
    if (count === 3) {
      const [first, second, third] = evaluators as [
        (t: number) => number,
        (t: number) => number,
        (t: number) => number,
      ];
      const b1 = starts[1]!;
      const b2 = starts[2]!;
      return (t) => (t < b1 ? first(t) : t < b2 ? second(t - b1) : third(t - b2));
    }
    const last = count - 1;
    if (count <= LINEAR_SEARCH_MAX) {
      return (t) => {
        let i = 0;
        while (i < last && t >= starts[i + 1]!) i++;
        return evaluators[i]!(t - starts[i]!);
      };
    }
    // Many segments: the last segment that starts at or before t, by binary search (O(log n)).
    const startList = Array.from(starts);
    return (t) => {
      // Branch-free halving (the comparison picks an index, it does not jump), so the unpredictable
      // comparisons of a binary search cost no mispredictions; ends on the last start <= t.
      let i = 0;
      let size = count;
      while (size > 1) {
        const half = size >>> 1;
        i = startList[i + half]! <= t ? i + half : i;
        size -= half;
      }
      return evaluators[i]!(t - starts[i]!);
    };
  },
  phases: ({ segments }) => {
    const phases: Phase[] = [];
    let start = 0;
    segments.forEach((segment, index) => {
      const isLast = index === segments.length - 1;
      const end = isLast ? Number.POSITIVE_INFINITY : start + segment.steps!;
      const fallback = segment.schedule.config?.type ?? `segment ${index}`;
      phases.push(...shiftPhases(segment.schedule.phases, start, end, fallback));
      start = end;
    });
    return phases;
  },
});
