/**
 * Helpers shared by the built-in families (not exported from the package).
 *
 * Numerical conventions used by every family:
 * - Interpolations are written `anchor + (other − anchor) · w` with a weight `w ∈ [0, 1]`. With
 *   both endpoints >= 0 this can never round below 0: |fl(other − anchor) · w| <= |fl(other − anchor)|
 *   <= anchor whenever other < anchor (rounding is monotone and −anchor is representable), so no
 *   clamp is needed. It is also monotone in `w`, because each IEEE operation is.
 * - Cosine weights are `(1 + cos(π p)) / 2` with `p ∈ [0, 1]`; `Math.cos` never leaves [−1, 1], and
 *   `Math.cos(Math.PI) === -1`, so the weight is exactly 0 at p = 1 and exactly 1 at p = 0.
 */
import type { IssueCollector } from '../validate';

/** `(1 + cos(π p)) / 2`: 1 at p = 0, 0 at p = 1, in [0, 1] for every p. */
export function cosineWeight(p: number): number {
  return 0.5 * (1 + Math.cos(Math.PI * p));
}

/**
 * Index of the first element of the sorted array `sorted` that is greater than `t`, i.e. the
 * number of elements <= t (Python's `bisect_right`). Binary search; allocates nothing.
 */
export function countAtOrBelow(sorted: readonly number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Records `<field> must not exceed <boundName> (<bound>)` when value > bound. */
export function requireAtMost(
  issues: IssueCollector,
  field: string,
  value: number,
  boundName: string,
  bound: number,
): void {
  if (value > bound)
    issues.addRule(field, `${field} must not exceed ${boundName} (${bound})`, `<= ${bound}`, value);
}

/** Records `<field> must be at least <boundName> (<bound>)` when value < bound. */
export function requireAtLeast(
  issues: IssueCollector,
  field: string,
  value: number,
  boundName: string,
  bound: number,
): void {
  if (value < bound)
    issues.addRule(field, `${field} must be at least ${boundName} (${bound})`, `>= ${bound}`, value);
}

/**
 * Records one issue per element that breaks the order: with `strict`, each element must be greater
 * than the one before it; otherwise greater than or equal.
 */
export function requireSorted(
  issues: IssueCollector,
  field: string,
  values: readonly number[],
  strict: boolean,
): void {
  for (let index = 1; index < values.length; index++) {
    const previous = values[index - 1] as number;
    const current = values[index] as number;
    if (strict ? !(current > previous) : !(current >= previous)) {
      const op = strict ? '>' : '>=';
      issues.addRule(
        `${field}[${index}]`,
        `${field} must be sorted in ${strict ? 'strictly increasing' : 'non-decreasing'} order: ${field}[${index}] must be ${op} ${field}[${index - 1}] (${previous})`,
        `${op} ${previous}`,
        current,
      );
    }
  }
}
