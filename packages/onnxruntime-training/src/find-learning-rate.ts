/**
 * The learning-rate range test (@anneal/core `createRangeTest`) driven by the trainer: one
 * update per batch at the sweep's learning rate. `trainer.findLearningRate` wraps this with a
 * snapshot and restore of the parameters, optimizer state and step.
 */
import {
  createRangeTest,
  type RangeTest,
  RangeTestConfigError,
  type RangeTestOptions,
  type RangeTestResult,
} from '@anneal/core';
import { formatValue } from './errors';
import type { TensorLike } from './feeds';

/** One batch: inputs `x` and targets `y`, as `trainer.step(x, y)` takes them. */
export interface Batch {
  readonly x: TensorLike;
  readonly y: TensorLike;
}

/**
 * The batches of a range test: an array (or any iterable, sync or async) of `{ x, y }`. It is
 * iterated again from the start while the sweep needs more batches; a pass that yields none
 * (an exhausted generator) ends the test with `stopReason: 'dataExhausted'`.
 */
export type RangeTestBatches = Iterable<Batch> | AsyncIterable<Batch>;

/** The range test's options (@anneal/core `RangeTestOptions`): minValue, maxValue, steps, mode, ... */
export type FindLearningRateOptions = RangeTestOptions;

/**
 * One update on (`x`, `y`) at the learning rate of sweep step `step` (the range test's
 * `schedule(step)`, fed through `learningRateFeed`); resolves to the batch loss.
 */
export type RangeTestUpdate = (x: TensorLike, y: TensorLike, step: number) => Promise<number>;

const caller = 'trainer.findLearningRate';

function isIterable(value: unknown): value is RangeTestBatches {
  return (
    typeof value === 'object' &&
    value !== null &&
    (typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function' ||
      typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function')
  );
}

/** Validates the batches and options; throws one `RangeTestConfigError` listing every problem. */
export function prepareRangeTest(batches: unknown, options: unknown): RangeTest {
  const issues: RangeTestConfigError['issues'][number][] = [];
  if (!isIterable(batches))
    issues.push({
      path: 'batches',
      expected: 'an array or iterable of { x, y } batches',
      received: batches,
      message: `${caller}: batches must be an array or iterable of { x, y } batches; received ${formatValue(batches)}.`,
    });
  let test: RangeTest | undefined;
  try {
    test = createRangeTest(options as RangeTestOptions | undefined);
  } catch (error) {
    if (!RangeTestConfigError.isInstance(error)) throw error;
    for (const issue of error.issues)
      issues.push({ ...issue, message: issue.message.replace(/^createRangeTest: /, `${caller}: `) });
  }
  if (issues.length > 0) throw new RangeTestConfigError(caller, issues);
  return test!;
}

/**
 * Runs the sweep: for step k = 0, 1, … takes the next batch, calls `update` for sweep step k,
 * and records the loss until the test stops. Returns the core result.
 */
export async function runRangeTest(
  test: RangeTest,
  batches: RangeTestBatches,
  update: RangeTestUpdate,
): Promise<RangeTestResult> {
  let step = 0;
  while (test.stopReason === undefined) {
    let yielded = false;
    for await (const batch of batches as AsyncIterable<Batch>) {
      yielded = true;
      if (typeof batch !== 'object' || batch === null || batch.x == null || batch.y == null)
        throw new RangeTestConfigError(caller, [
          {
            path: `batches[${step}]`,
            expected: 'an object { x, y }',
            received: batch,
            message: `${caller}: each batch must be an object { x, y }; received ${formatValue(batch)} at sweep step ${step}.`,
          },
        ]);
      const loss = await update(batch.x, batch.y, step);
      const verdict = test.record(step, loss);
      step += 1;
      if (verdict === 'stop') break;
    }
    if (!yielded) test.stop('dataExhausted');
  }
  return test.result();
}
