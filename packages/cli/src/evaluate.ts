import { formatValue } from '@anneal/core';
import { inputError } from './errors';
import { CHUNK_ROWS, type ValueBlock } from './output';
import { type StepSelection, stepAt, stepCount } from './steps';

/**
 * The values of `schedule` at the steps of `selection`, in order, one block of at most `size`
 * steps at a time. The blocks' buffers are reused: read each block before asking for the next.
 * Memory stays at two buffers whatever the range.
 */
export function* evaluateBlocks(
  schedule: (step: number) => number,
  selection: StepSelection,
  size = CHUNK_ROWS,
): Generator<ValueBlock> {
  const total = stepCount(selection);
  const steps = new Float64Array(Math.min(size, total));
  const values = new Float64Array(steps.length);
  for (let offset = 0; offset < total; offset += size) {
    const length = Math.min(size, total - offset);
    for (let index = 0; index < length; index += 1) {
      const step = stepAt(selection, offset + index);
      steps[index] = step;
      values[index] = schedule(step);
    }
    yield { steps, values, length };
  }
}

/** How many invalid values a message lists before it only counts. */
const LISTED_VALUES = 3;

/**
 * Finds the values that are not a learning rate (NaN, ±Infinity, negative): keeps the first few
 * with their steps and counts them all. A valid config never gives one; a CLI that printed them
 * would print `null` in JSON or hide them in a min/max.
 */
export class InvalidValues {
  readonly first: { readonly step: number; readonly value: number }[] = [];
  count = 0;
  evaluated = 0;

  /** Checks `values[0..length)`, evaluated at `steps[0..length)`. */
  check(steps: ArrayLike<number>, values: ArrayLike<number>, length = values.length): void {
    this.evaluated += length;
    for (let index = 0; index < length; index += 1) {
      const value = values[index]!;
      if (value >= 0 && value < Number.POSITIVE_INFINITY) continue;
      this.count += 1;
      if (this.first.length < LISTED_VALUES) this.first.push({ step: steps[index]!, value });
    }
  }

  /**
   * `<name>: the learning rate must be a finite number >= 0 at every step; received NaN at step 3,
   * ... (5 of 1001 steps)`, or undefined when every value was valid.
   */
  describe(name: string): string | undefined {
    if (this.count === 0) return undefined;
    const listed = this.first.map(({ step, value }) => `${formatValue(value)} at step ${formatValue(step)}`);
    const more = this.count > this.first.length ? ', ...' : '';
    return `${name}: the learning rate must be a finite number >= 0 at every step; received ${listed.join(', ')}${more} (${this.count} of ${this.evaluated} steps)`;
  }

  /** Throws an input error (exit code 1), `<label>: ` and the description, when a value was invalid. */
  throwIfAny(label: string, name: string): void {
    const problem = this.describe(name);
    if (problem !== undefined) throw inputError(`${label}: ${problem}`);
  }
}

/** Checks every value of `schedule` at `selection` without keeping them; throws on the first invalid ones. */
export function checkValues(
  schedule: (step: number) => number,
  selection: StepSelection,
  label: string,
  name: string,
): void {
  const invalid = new InvalidValues();
  for (const block of evaluateBlocks(schedule, selection))
    invalid.check(block.steps, block.values, block.length);
  invalid.throwIfAny(label, name);
}

/** Checks a sampled curve (`y[i]` at step `x[i]`, as plotted); throws on the first invalid values. */
export function checkSampled(
  series: { readonly x: ArrayLike<number>; readonly y: ArrayLike<number> },
  label: string,
  name: string,
): void {
  const invalid = new InvalidValues();
  invalid.check(series.x, series.y);
  invalid.throwIfAny(label, name);
}
