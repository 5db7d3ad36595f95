/**
 * Learning-rate suggestions from a range test's (learning rate, smoothed loss) series, restated
 * from fastai (`fastai/callback/schedule.py`: `steep`, `valley`, `minimum`), and the loss
 * smoothing of fastai's `Recorder` (`AvgSmoothLoss`). Pure functions of arrays.
 */
import { formatValue } from '../errors';
import { IssueCollector } from '../validate';
import { RangeTestConfigError } from './errors';

/** One suggested learning rate and the point of the series it was read from. */
export interface Suggestion {
  /** The suggested learning rate. */
  readonly value: number;
  /** Index of the point the suggestion comes from, in the series passed in. */
  readonly index: number;
  /** The (smoothed) loss at `index`. */
  readonly loss: number;
}

/**
 * Exponential moving average with bias correction (fastai `AvgSmoothLoss`, Adam's debiasing):
 * with β = smoothingFactor, m₋₁ = 0 and ℓₖ the k-th loss (0-based),
 *
 *   mₖ = β · mₖ₋₁ + (1 − β) · ℓₖ        sₖ = mₖ / (1 − β^(k+1))
 *
 * so s₀ = ℓ₀ and a constant loss stays constant. β = 0 returns the losses unchanged.
 * Throws `RangeTestConfigError` for β outside [0, 1) or a non-finite loss.
 */
export function smoothLosses(losses: readonly number[], smoothingFactor = 0.98): number[] {
  const issues = new IssueCollector('smoothLosses');
  if (!(typeof smoothingFactor === 'number' && smoothingFactor >= 0 && smoothingFactor < 1))
    issues.add('smoothingFactor', 'a number in [0, 1)', smoothingFactor);
  if (!Array.isArray(losses)) issues.add('losses', 'an array of finite numbers', losses);
  else {
    const bad = losses.findIndex((loss) => typeof loss !== 'number' || !Number.isFinite(loss));
    if (bad !== -1) issues.add(`losses[${bad}]`, 'a finite number', losses[bad]);
  }
  if (!issues.ok) throw new RangeTestConfigError('smoothLosses', issues.issues);
  const smoothed: number[] = [];
  let average = 0;
  let decay = 1;
  for (const loss of losses) {
    average = smoothingFactor * average + (1 - smoothingFactor) * loss;
    decay *= smoothingFactor;
    smoothed.push(average / (1 - decay));
  }
  return smoothed;
}

/** Checks a series; `minimum` is the number of points the suggestion needs. */
function checkSeries(
  caller: string,
  learningRates: readonly number[],
  losses: readonly number[],
  minimum: number,
): void {
  const issues = new IssueCollector(caller);
  if (!Array.isArray(learningRates))
    issues.add('learningRates', 'an array of finite numbers > 0', learningRates);
  if (!Array.isArray(losses)) issues.add('losses', 'an array of finite numbers', losses);
  if (issues.ok) {
    if (learningRates.length !== losses.length)
      issues.addRule(
        'losses',
        `learningRates and losses must have the same length (${learningRates.length})`,
        `${learningRates.length} values`,
        losses.length,
      );
    if (learningRates.length < minimum)
      issues.add('learningRates', `an array of at least ${minimum} points`, learningRates.length);
    learningRates.forEach((value, index) => {
      if (!(typeof value === 'number' && value > 0 && value < Number.POSITIVE_INFINITY))
        issues.add(`learningRates[${index}]`, 'a finite number > 0', value);
      else if (index > 0 && !(value > (learningRates[index - 1] as number)))
        issues.addRule(
          `learningRates[${index}]`,
          `learningRates must increase strictly: learningRates[${index}] must be > learningRates[${index - 1}] (${formatValue(learningRates[index - 1])})`,
          `> ${formatValue(learningRates[index - 1])}`,
          value,
        );
    });
    losses.forEach((value, index) => {
      if (!(typeof value === 'number' && Number.isFinite(value)))
        issues.add(`losses[${index}]`, 'a finite number', value);
    });
  }
  if (!issues.ok) throw new RangeTestConfigError(caller, issues.issues);
}

/**
 * Steepest descent (fastai `steep`): the learning rate where the loss falls fastest per unit of
 * log learning rate. With forward differences
 *
 *   gₖ = (Lₖ₊₁ − Lₖ) / (ln ηₖ₊₁ − ln ηₖ),   k = 0 … n − 2,
 *
 * the suggestion is η_i at i = argminₖ gₖ (the first one on ties).
 * Throws `RangeTestConfigError` for fewer than 2 points, unequal lengths, learning rates that
 * are not positive and strictly increasing, or non-finite losses.
 */
export function suggestSteepest(learningRates: readonly number[], losses: readonly number[]): Suggestion {
  checkSeries('suggestSteepest', learningRates, losses, 2);
  let best = 0;
  let bestGradient = Number.POSITIVE_INFINITY;
  for (let k = 0; k + 1 < losses.length; k++) {
    const gradient =
      ((losses[k + 1] as number) - (losses[k] as number)) /
      // ln ηₖ₊₁ − ln ηₖ as ln(1 + (ηₖ₊₁ − ηₖ) / ηₖ): positive for every strictly increasing
      // pair, where two rounded logarithms of neighbouring floats can be equal.
      Math.log1p(
        ((learningRates[k + 1] as number) - (learningRates[k] as number)) / (learningRates[k] as number),
      );
    if (gradient < bestGradient) {
      bestGradient = gradient;
      best = k;
    }
  }
  return { value: learningRates[best] as number, index: best, loss: losses[best] as number };
}

/**
 * Valley (fastai `valley`, by ESRI): the middle of the longest run of decreasing losses. For
 * each point i, lds[i] is the length of the longest strictly decreasing subsequence ending at i
 * (lds[i] = 1 + max lds[j] over j < i with Lᵢ < Lⱼ). fastai updates the best end inside the
 * inner loop,
 *
 *   for i in 1 … n − 1, for j in 0 … i − 1:
 *     if Lᵢ < Lⱼ and lds[i] < lds[j] + 1:  lds[i] = lds[j] + 1
 *     if lds[end] < lds[i]:                end = i,  start = end − lds[end]
 *
 * then takes s = (end − start) / 3 and idx = start + ⌊s⌋ + ⌊s / 2⌋: about half-way along the
 * run, counted from start = end − lds[end], one before its first point. Restated exactly: with
 * no decrease at all idx = 0, and a negative idx (a two-point run at the very start, as in
 * L = [2, 1]) indexes from the end as Python does. O(n²) comparisons.
 *
 * Throws `RangeTestConfigError` like `suggestSteepest` (at least 1 point).
 */
export function suggestValley(learningRates: readonly number[], losses: readonly number[]): Suggestion {
  checkSeries('suggestValley', learningRates, losses, 1);
  const n = losses.length;
  const lds = new Array<number>(n).fill(1);
  let start = 0;
  let end = 0;
  for (let i = 1; i < n; i++) {
    const loss = losses[i] as number;
    for (let j = 0; j < i; j++) {
      if (loss < (losses[j] as number) && (lds[i] as number) < (lds[j] as number) + 1)
        lds[i] = (lds[j] as number) + 1;
      if ((lds[end] as number) < (lds[i] as number)) {
        end = i;
        start = end - (lds[end] as number);
      }
    }
  }
  const sections = (end - start) / 3;
  let index = start + Math.trunc(sections) + Math.trunc(sections / 2);
  if (index < 0) index += n;
  return { value: learningRates[index] as number, index, loss: losses[index] as number };
}

/**
 * Minimum / 10 (fastai `minimum`): one tenth of the learning rate at the lowest loss (the first
 * one on ties). `index` and `loss` describe that lowest point.
 * Throws `RangeTestConfigError` like `suggestSteepest` (at least 1 point).
 */
export function suggestMinimum(learningRates: readonly number[], losses: readonly number[]): Suggestion {
  checkSeries('suggestMinimum', learningRates, losses, 1);
  let best = 0;
  for (let k = 1; k < losses.length; k++) if ((losses[k] as number) < (losses[best] as number)) best = k;
  return { value: (learningRates[best] as number) / 10, index: best, loss: losses[best] as number };
}
