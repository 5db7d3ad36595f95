import { usageError } from './errors';

/** At most this many values per `anneal values` call (use a stride, `A:B:S`, for longer runs). */
export const MAX_STEP_COUNT = 10_000_000;

/** A parsed `--steps`: an inclusive integer range with a stride, or an explicit list. */
export type StepSelection =
  | { readonly kind: 'range'; readonly start: number; readonly end: number; readonly stride: number }
  | { readonly kind: 'list'; readonly steps: readonly number[] };

/** The largest step anneal reads: 2^53 - 1 (float64 holds every integer up to it exactly). */
export const MAX_STEP = Number.MAX_SAFE_INTEGER;

const integerPattern = /^\d+$/;
const numberPattern = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** A zero written with a minus sign (`-0`, `-0.0`, `-0e3`): read as 0. */
const negativeZeroPattern = /^-(?:0+(?:\.0*)?|\.0+)(?:[eE][+-]?\d+)?$/;

function bad(raw: string, reason: string): Error {
  return usageError(`bad --steps ${JSON.stringify(raw)}: ${reason}`);
}

function aboveMaxStep(text: string): string {
  return `${text} is above ${MAX_STEP} (2^53 - 1), the largest step anneal reads (a float64 holds every integer up to it exactly)`;
}

/** An integer range bound: digits, or `-0` (read as 0); undefined for anything else. */
function readInteger(text: string): number | undefined {
  if (/^-0+$/.test(text)) return 0;
  return integerPattern.test(text) ? Number(text) : undefined;
}

function parseBound(raw: string, part: string, what: string): number {
  const trimmed = part.trim();
  const value = readInteger(trimmed);
  if (value === undefined) {
    throw bad(
      raw,
      `${what} ${JSON.stringify(trimmed)} is not an integer >= 0 (ranges take integer steps; use a comma-separated list for fractional steps)`,
    );
  }
  if (value > MAX_STEP) throw bad(raw, aboveMaxStep(`${what} ${JSON.stringify(trimmed)}`));
  return value;
}

/** One step of a list: a decimal number >= 0 (`-0` reads as 0) up to `MAX_STEP`. */
function parseListStep(raw: string, part: string): number {
  const trimmed = part.trim();
  if (negativeZeroPattern.test(trimmed)) return 0;
  const value = numberPattern.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isFinite(value)) throw bad(raw, `${JSON.stringify(trimmed)} is not a number >= 0`);
  if (value > MAX_STEP) throw bad(raw, aboveMaxStep(JSON.stringify(trimmed)));
  return value;
}

/**
 * Parses `A:B` (integers A..B inclusive), `A:B:S` (every S-th step from A, B included when
 * reached) or `x,y,z` (numbers >= 0, fractional allowed, in the given order). Every step is at
 * most `MAX_STEP` (2^53 - 1); `-0` reads as 0.
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
  const steps = raw.split(',').map((part) => parseListStep(raw, part));
  if (steps.length > MAX_STEP_COUNT) throw bad(raw, `more than ${MAX_STEP_COUNT} steps`);
  return { kind: 'list', steps };
}

/** Parses a plot range `A:B` with integers 0 <= A < B <= `MAX_STEP` (`-0` reads as 0). */
export function parsePlotRange(raw: string): { start: number; end: number } {
  const parts = raw.split(':').map((part) => part.trim());
  const [start, end] = parts.map(readInteger);
  if (parts.length !== 2 || start === undefined || end === undefined) {
    throw bad(raw, 'expected A:B with integers 0 <= A < B');
  }
  if (start > MAX_STEP) throw bad(raw, aboveMaxStep(`start ${JSON.stringify(parts[0])}`));
  if (end > MAX_STEP) throw bad(raw, aboveMaxStep(`end ${JSON.stringify(parts[1])}`));
  if (start >= end) throw bad(raw, `start ${start} must be less than end ${end}`);
  return { start, end };
}

/** How many steps a selection holds. */
export function stepCount(selection: StepSelection): number {
  if (selection.kind === 'list') return selection.steps.length;
  return Math.floor((selection.end - selection.start) / selection.stride) + 1;
}

/** The step at `position` (0-based) of a selection. */
export function stepAt(selection: StepSelection, position: number): number {
  return selection.kind === 'list'
    ? selection.steps[position]!
    : selection.start + position * selection.stride;
}

/** The steps of a selection as an array (ranges expanded). */
export function expandSteps(selection: StepSelection): Float64Array {
  const steps = new Float64Array(stepCount(selection));
  for (let index = 0; index < steps.length; index += 1) steps[index] = stepAt(selection, index);
  return steps;
}
