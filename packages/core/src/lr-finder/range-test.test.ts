import { describe, expect, it } from 'vitest';
import { toConfig } from '../config';
import { RangeTestConfigError, RangeTestStateError } from './errors';
import { createRangeTest, type RangeTestOptions, type RangeTestResult } from './range-test';
import { smoothLosses, suggestMinimum, suggestSteepest, suggestValley } from './suggestions';

/**
 * Linear regression whose stable learning rates are known exactly. Each batch holds the 8 rows
 * ±cⱼ·eⱼ (j = 0…3, c = 1, 2, 3, 4); the model is ŷ = x·w + b with loss mean((ŷ − y)²). Every
 * batch has the same Hessian H = 2·diag(c² / 4, 1) = diag(0.5, 2, 4.5, 8, 2), so SGD is stable
 * exactly for learning rates below 2 / λmax = 2 / 8 = 0.25. The targets of batch k come from
 * w* + δₖ (a different δₖ per batch), so the iterate is kicked every step, as in real SGD.
 */
const c = [1, 2, 3, 4];
const stableBound = 2 / 8;
function batch(index: number): { x: number[][]; y: number[] } {
  const x: number[][] = [];
  for (let j = 0; j < 4; j++)
    for (const sign of [1, -1]) x.push([0, 1, 2, 3].map((i) => (i === j ? sign * (c[j] as number) : 0)));
  const target = [0, 1, 2, 3, 4].map((i) => -1 + i / 2 + 0.3 * Math.sin(1.3 * i + 2.1 * (index % 16)));
  const y = x.map((row) =>
    row.reduce((sum, value, i) => sum + value * (target[i] as number), target[4] as number),
  );
  return { x, y };
}

/** Drives a range test with plain SGD on the problem above (float64). */
function sweepRegression(options: RangeTestOptions): RangeTestResult {
  const test = createRangeTest(options);
  const w = [0, 0, 0, 0];
  let b = 0;
  for (let step = 0; ; step++) {
    const learningRate = test.learningRate(step);
    const { x, y } = batch(step);
    const residuals = x.map(
      (row, r) => row.reduce((s, v, i) => s + v * (w[i] as number), b) - (y[r] as number),
    );
    const loss = residuals.reduce((s, r) => s + r * r, 0) / x.length;
    for (let i = 0; i < 4; i++) {
      const gradient = (2 / x.length) * residuals.reduce((s, r, n) => s + r * (x[n]![i] as number), 0);
      w[i] = (w[i] as number) - learningRate * gradient;
    }
    b -= learningRate * (2 / x.length) * residuals.reduce((s, r) => s + r, 0);
    if (test.record(step, loss) === 'stop') return test.result();
  }
}

function configMessages(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (RangeTestConfigError.isInstance(error)) return error.issues.map((issue) => issue.message);
    throw error;
  }
  return expect.fail('expected a RangeTestConfigError');
}

describe('createRangeTest on linear regression with a known stability bound (2 / λmax = 0.25)', () => {
  const result = sweepRegression({ minValue: 1e-3, maxValue: 1, steps: 200 });

  it('diverges, and the divergence point lies within a factor of 1.5 of the bound', () => {
    expect(result.stopReason).toBe('diverged');
    const divergence = result.divergenceValue as number;
    expect(divergence / stableBound).toBeGreaterThan(1 / 1.5);
    expect(divergence / stableBound).toBeLessThan(1.5);
    // the stop itself fires later (the smoothed loss lags), still past the bound
    expect(result.stopValue as number).toBeGreaterThanOrEqual(divergence);
    expect(result.stopValue as number).toBeGreaterThan(stableBound);
  });

  it('suggests learning rates below the bound', () => {
    const { steepest, valley, minimum } = result.suggestions!;
    for (const suggestion of [steepest, valley, minimum]) expect(suggestion.value).toBeLessThan(stableBound);
    expect(result.unavailableReason).toBeUndefined();
  });

  it('reports the series the suggestions were computed from', () => {
    const n = result.learningRates.length;
    expect(result.losses).toHaveLength(n);
    expect(result.smoothedLosses).toEqual(smoothLosses(result.losses as number[], 0.98));
    const sweep = createRangeTest({ minValue: 1e-3, maxValue: 1, steps: 200 }).schedule;
    for (const [k, value] of result.learningRates.entries()) expect(value).toBe(sweep(k));
    // fastai's window: without the first ⌊200 / 10⌋ and the last 5 points
    const rates = result.learningRates.slice(20, n - 5) as number[];
    const losses = result.smoothedLosses.slice(20, n - 5) as number[];
    const shift = <T extends { index: number }>(s: T) => ({ ...s, index: s.index + 20 });
    expect(result.suggestions).toEqual({
      steepest: shift(suggestSteepest(rates, losses)),
      valley: shift(suggestValley(rates, losses)),
      minimum: shift(suggestMinimum(rates, losses)),
    });
    const best = result.smoothedLosses.indexOf(Math.min(...result.smoothedLosses));
    expect(result.best).toEqual({
      value: result.learningRates[best],
      loss: result.smoothedLosses[best],
      index: best,
    });
  });

  it('stops on the first smoothed loss above divergenceFactor × best, and not before', () => {
    const smoothed = result.smoothedLosses;
    const last = smoothed.length - 1;
    const bestBefore = (k: number) => Math.min(...smoothed.slice(0, k + 1));
    for (let k = 0; k < last; k++) expect(smoothed[k] as number).toBeLessThanOrEqual(4 * bestBefore(k));
    expect(smoothed[last] as number).toBeGreaterThan(4 * bestBefore(last));
    // the divergence point starts the unbroken run of raw losses above that line
    const line = 4 * bestBefore(last);
    const onset = result.learningRates.indexOf(result.divergenceValue as number);
    for (let k = onset; k < last; k++) expect(result.losses[k] as number).toBeGreaterThan(line);
    expect(result.losses[onset - 1] as number).toBeLessThanOrEqual(line);
  });

  it('runs to the end without a divergence stop when asked', () => {
    const full = sweepRegression({ minValue: 1e-3, maxValue: 0.1, steps: 60, stopOnDivergence: false });
    expect(full.stopReason).toBe('completed');
    expect(full.learningRates).toHaveLength(60);
    expect(full.divergenceValue).toBeUndefined();
    expect(full.stopValue).toBe(0.1);
  });
});

describe('createRangeTest stop reasons and refusals', () => {
  it('a NaN at the first step: nonFiniteLoss, an empty series and no suggestion', () => {
    const test = createRangeTest({ steps: 20 });
    expect(test.record(0, Number.NaN)).toBe('stop');
    const result = test.result();
    expect(result.stopReason).toBe('nonFiniteLoss');
    expect(result.learningRates).toEqual([]);
    expect(result.suggestions).toBeUndefined();
    expect(result.divergenceValue).toBeUndefined();
    expect(result.nonFinite).toEqual({ step: 0, value: 1e-7, loss: Number.NaN });
    expect(result.unavailableReason).toBe(
      'the loss was NaN at the first step (learning rate 1e-7): the model cannot train as set up',
    );
  });

  it('an infinite loss after finite ones: nonFiniteLoss with a divergence point', () => {
    const test = createRangeTest({
      minValue: 0.01,
      maxValue: 100,
      steps: 20,
      skipStartSteps: 0,
      skipEndSteps: 0,
    });
    const losses = [1, 0.9, 0.8, 0.7, 0.65, 0.6, 5, 9, Number.POSITIVE_INFINITY];
    for (const [step, loss] of losses.entries()) test.record(step, loss);
    const result = test.result();
    expect(result.stopReason).toBe('nonFiniteLoss');
    expect(result.learningRates).toHaveLength(8);
    // raw losses 5 and 9 exceed 4 × the best smoothed loss before the infinity: the run starts at step 6
    expect(result.divergenceValue).toBe(test.learningRate(6));
    expect(result.stopValue).toBe(test.learningRate(8));
    expect(result.suggestions?.minimum.index).toBeDefined();
  });

  it('too short a series for suggestions says why instead of suggesting', () => {
    const test = createRangeTest({ steps: 100 });
    for (const [step, loss] of [1, 1, 50].entries()) test.record(step, loss);
    const result = test.result();
    expect(result.stopReason).toBe('diverged');
    expect(result.suggestions).toBeUndefined();
    expect(result.unavailableReason).toBe(
      'only 3 of 100 steps ran before the sweep stopped (diverged); leaving out the first 10 and the last 5 leaves 0 point(s), fewer than 2',
    );
  });

  it('a loss that never falls: no suggestion (the model did not train)', () => {
    const test = createRangeTest({ steps: 30, stopOnDivergence: false });
    for (let step = 0; step < 30; step++) test.record(step, 1 + step / 100);
    const result = test.result();
    expect(result.stopReason).toBe('completed');
    expect(result.suggestions).toBeUndefined();
    expect(result.unavailableReason).toMatch(
      /^the smoothed loss never fell below its value at the start of the window/,
    );
  });

  it('an adapter out of data or a caller giving up ends the test with that reason', () => {
    const test = createRangeTest({ steps: 10 });
    test.record(0, 1);
    test.stop('dataExhausted');
    test.stop('interrupted');
    expect(test.result().stopReason).toBe('dataExhausted');
    expect(test.result()).toBe(test.result());
  });

  it('drives strictly in order and refuses misuse with RangeTestStateError', () => {
    const test = createRangeTest({ steps: 10 });
    const stateMessage = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(RangeTestStateError.isInstance(error)).toBe(true);
        return (error as Error).message;
      }
      return expect.fail('expected a RangeTestStateError');
    };
    expect(stateMessage(() => test.result())).toBe(
      "rangeTest.result: the test is still running (0 of 10 steps recorded); record until it returns 'stop' or call stop().",
    );
    expect(stateMessage(() => test.record(1, 1))).toBe(
      'rangeTest.record: steps must be recorded in order; expected step 0, received 1.',
    );
    expect(stateMessage(() => test.learningRate(10))).toBe(
      'rangeTest.learningRate: step must be an integer in [0, 9]; received 10.',
    );
    for (let step = 0; step < 9; step++) expect(test.record(step, 1 - step / 100)).toBe('continue');
    expect(test.record(9, 0.9)).toBe('stop');
    expect(test.stopReason).toBe('completed');
    expect(stateMessage(() => test.record(10, 1))).toBe(
      'rangeTest.record: the test already stopped (completed) after 10 steps; received step 10.',
    );
    expect(stateMessage(() => test.stop('later' as never))).toBe(
      'rangeTest.stop: reason must be "dataExhausted" or "interrupted"; received "later".',
    );
  });

  it('exposes the sweep as a serializable schedule and the resolved options', () => {
    const test = createRangeTest({ minValue: 1e-5, maxValue: 1, steps: 40, mode: 'linear' });
    expect(toConfig(test.schedule)).toEqual({
      type: 'learningRateSweep',
      minValue: 1e-5,
      maxValue: 1,
      steps: 40,
      mode: 'linear',
    });
    expect(test.options).toEqual({
      minValue: 1e-5,
      maxValue: 1,
      steps: 40,
      mode: 'linear',
      smoothingFactor: 0.98,
      divergenceFactor: 4,
      stopOnDivergence: true,
      skipStartSteps: 4,
      skipEndSteps: 5,
    });
    expect(createRangeTest().options).toMatchObject({
      minValue: 1e-7,
      maxValue: 10,
      steps: 100,
      skipStartSteps: 10,
    });
  });

  it.each([
    [
      'non-positive bounds',
      { minValue: 0, maxValue: -2 },
      [
        'createRangeTest: minValue must be a finite number > 0; received 0.',
        'createRangeTest: maxValue must be a finite number > 0; received -2.',
      ],
    ],
    [
      'inverted bounds',
      { minValue: 1, maxValue: 1e-3 },
      ['createRangeTest: maxValue must be greater than minValue (1); received 0.001.'],
    ],
    ['too few steps', { steps: 9 }, ['createRangeTest: steps must be an integer >= 10; received 9.']],
    [
      'skips that leave nothing to suggest from',
      { steps: 20, skipStartSteps: 10, skipEndSteps: 9 },
      [
        'createRangeTest: skipStartSteps + skipEndSteps must leave at least 2 of the 20 steps to suggest from (at most 18); received 19.',
      ],
    ],
    [
      'bad smoothing, divergence and flags',
      { smoothingFactor: 1, divergenceFactor: 1, stopOnDivergence: 'yes', mode: 'cubic', skipEndSteps: -1 },
      [
        'createRangeTest: mode must be one of "exponential", "linear"; received "cubic".',
        'createRangeTest: smoothingFactor must be a finite number in [0, 1); received 1.',
        'createRangeTest: divergenceFactor must be a finite number > 1; received 1.',
        'createRangeTest: stopOnDivergence must be a boolean; received "yes".',
        'createRangeTest: skipEndSteps must be an integer >= 0; received -1.',
      ],
    ],
    [
      'an unknown option',
      { stepCount: 100 },
      [
        'createRangeTest: unknown option "stepCount" (expected one of minValue, maxValue, steps, mode, smoothingFactor, divergenceFactor, stopOnDivergence, skipStartSteps, skipEndSteps); received 100.',
      ],
    ],
    ['a non-object', 7, ['createRangeTest: options must be an options object; received 7.']],
  ])('rejects %s with every problem named', (_name, options, messages) => {
    expect(configMessages(() => createRangeTest(options as never))).toEqual(messages);
  });
});
