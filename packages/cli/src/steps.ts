import { usageError } from './errors';

/** At most this many values per `anneal values` call (use a stride, `A:B:S`, for longer runs). */
export const MAX_STEP_COUNT = 10_000_000;

/** A parsed `--steps`: an inclusive integer range with a stride, or an explicit list. */
export type StepSelection =
  | { readonly kind: 'range'; readonly start: number; readonly end: number; readonly stride: number }
  | { readonly kind: 'list'; readonly steps: readonly number[] };

const integerPattern = /^\d+$/;
const numberPattern = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function bad(raw: string, reason: string): Error {
  return usageError(`bad --steps ${JSON.stringify(raw)}: ${reason}`);
}

function parseBound(raw: string, part: string, what: string): number {
  const trimmed = part.trim();
  if (!integerPattern.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
    throw bad(
      raw,
      `${what} ${JSON.stringify(trimmed)} is not an integer >= 0 (ranges take integer steps; use a comma-separated list for fractional steps)`,
    );
  }
  return Number(trimmed);
}

/**
 * Parses `A:B` (integers A..B inclusive), `A:B:S` (every S-th step from A, B included when
 * reached) or `x,y,z` (numbers >= 0, fractional allowed, in the given order).
 */
export function parseSteps(raw: string): StepSelection {
  if (raw.trim() === '') throw bad(raw, 'expected A:B, A:B:S or a comma-separated list of steps');
  if (raw.includes(':')) {
    const parts = raw.split(':');
    if (parts.length > 3) throw bad(raw, 'expected A:B or A:B:S');
    const start = parseBound(raw, parts[0]!, 'start');
    const end = parseBound(raw, parts[1]!, 'end');
    const stride = parts[2] === undefined ? 1 : parseBound(raw, parts[2], 'stride');
    if (start > end) throw bad(raw, `start ${start} is greater than end ${end}`);
    if (stride < 1) throw bad(raw, 'stride must be an integer >= 1');
    const count = Math.floor((end - start) / stride) + 1;
    if (count > MAX_STEP_COUNT) {
      throw bad(raw, `${count} steps; at most ${MAX_STEP_COUNT} per call (add a stride, A:B:S)`);
    }
    return { kind: 'range', start, end, stride };
  }
  const steps = raw.split(',').map((part) => {
    const trimmed = part.trim();
    const value = numberPattern.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (!Number.isFinite(value)) throw bad(raw, `${JSON.stringify(trimmed)} is not a number >= 0`);
    return value;
  });
  if (steps.length > MAX_STEP_COUNT) throw bad(raw, `more than ${MAX_STEP_COUNT} steps`);
  return { kind: 'list', steps };
}

/** Parses a plot range `A:B` with integers 0 <= A < B. */
export function parsePlotRange(raw: string): { start: number; end: number } {
  const match = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(raw);
  const start = match ? Number(match[1]) : Number.NaN;
  const end = match ? Number(match[2]) : Number.NaN;
  if (!match || !Number.isSafeInteger(start) || !Number.isSafeInteger(end)) {
    throw bad(raw, 'expected A:B with integers 0 <= A < B');
  }
  if (start >= end) throw bad(raw, `start ${start} must be less than end ${end}`);
  return { start, end };
}

/** The steps of a selection as an array (ranges expanded). */
export function expandSteps(selection: StepSelection): Float64Array {
  if (selection.kind === 'list') return Float64Array.from(selection.steps);
  const count = Math.floor((selection.end - selection.start) / selection.stride) + 1;
  const steps = new Float64Array(count);
  for (let index = 0; index < count; index += 1) steps[index] = selection.start + index * selection.stride;
  return steps;
}
