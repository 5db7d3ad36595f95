import { fromConfig } from '../config';
import { defineFamily } from '../family';
import { evaluatorOf, type Schedule, type ScheduleLike } from '../schedule';
import { guardFinite, supremumOf } from './supremum';

export interface NoiseOptions {
  /** Schedule to perturb. */
  readonly schedule: ScheduleLike;
  /** Integer seed (0 to 2^53 − 1); the same seed and step always give the same value. Default 0. */
  readonly seed?: number;
  /** Distribution of the relative noise n: truncated normal or uniform. Default `'normal'`. */
  readonly kind?: 'normal' | 'uniform';
  /**
   * Standard deviation of n before truncation, as a fraction of the learning rate (normal only; timm
   * noise_std). Default 1.
   */
  readonly stdFraction?: number;
  /** Bound on |n|, as a fraction of the learning rate (timm noise_pct). Default 0.67. */
  readonly rangeFraction?: number;
  /** First step that gets noise. Default 0. */
  readonly startStep?: number;
  /** First step without noise, after startStep (absent: noise forever). */
  readonly endStep?: number;
}

interface NoiseResolved {
  readonly schedule: Schedule;
  readonly seed: number;
  readonly kind: 'normal' | 'uniform';
  readonly stdFraction: number;
  readonly rangeFraction: number;
  readonly startStep: number;
  readonly endStep?: number;
}

const twoToMinus32 = 2 ** -32;
const twoTo32 = 2 ** 32;

/** lowbias32 (Chris Wellons' integer hash): a bijective 32-bit mixer with low bias. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A uniform number in the open interval (0, 1) from a seed key and an integer step, without any
 * state: both 32-bit halves of the step are mixed in, so every step up to 2^53 has its own draw.
 */
export function hashUniform(seedLow: number, seedHigh: number, step: number): number {
  const low = step >>> 0;
  const high = (step / twoTo32) >>> 0;
  const h = mix32((mix32((low ^ seedLow) >>> 0) ^ high ^ seedHigh) >>> 0);
  return (h + 0.5) * twoToMinus32;
}

// Acklam's rational approximation of the inverse standard normal CDF (relative error < 1.2e-9).
const c0 = -7.784894002430293e-3;
const c1 = -3.223964580411365e-1;
const c2 = -2.400758277161838;
const c3 = -2.549732539343734;
const c4 = 4.374664141464968;
const c5 = 2.938163982698783;
const d0 = 7.784695709041462e-3;
const d1 = 3.224671290700398e-1;
const d2 = 2.445134137142996;
const d3 = 3.754408661907416;
const pLow = 0.02425;
const pHigh = 1 - pLow;

/**
 * The central branch of Acklam's approximation (pLow <= p <= 1 − pLow): the coefficients a0…a5 and
 * b0…b4 written as literals, which keeps the function's bytecode small enough for engines to inline
 * it inside deep composites (an out-of-line call would box its double result).
 */
function centralQuantile(p: number): number {
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((-3.969683028665376e1 * r + 2.209460984245205e2) * r - 2.759285104469687e2) * r +
      1.38357751867269e2) *
      r -
      3.066479806614716e1) *
      r +
      2.506628277459239) *
      q) /
    (((((-5.447609879822406e1 * r + 1.615858368580409e2) * r - 1.556989798598866e2) * r +
      6.680131188771972e1) *
      r -
      1.328068155288572e1) *
      r +
      1)
  );
}

/** Inverse of the standard normal CDF for p in (0, 1). */
export function inverseNormalCdf(p: number): number {
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  if (p > pHigh) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  return centralQuantile(p);
}

/**
 * erf(x) and erfc(x) for x >= 0, each without cancellation where it is small: the Maclaurin series
 * of erf up to x = 3, a continued fraction for erfc above (both accurate to ~1e-13 or better).
 */
export function errorFunctions(x: number): { erf: number; erfc: number } {
  if (x <= 3) {
    // erf(x) = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1))
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const next = term / (2 * n + 1);
      sum += next;
      if (Math.abs(next) <= 1e-17 * Math.abs(sum)) break;
    }
    const erf = (2 / Math.sqrt(Math.PI)) * sum;
    return { erf, erfc: 1 - erf };
  }
  // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))
  let f = x;
  for (let k = 80; k >= 1; k--) f = x + k / 2 / f;
  const erfc = Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
  return { erf: 1 - erfc, erfc };
}

/**
 * Deterministic, seeded multiplicative noise: lr(t) = s(t) · (1 + n(seed, ⌊t⌋)) for startStep ≤ t < endStep,
 * and s(t) elsewhere. n depends only on the seed and the integer part of the step (a stateless
 * hash, no global random state, no allocation), so the same (seed, step) always gives the same value
 * and fractional steps within one integer step share their noise.
 *
 * - kind `'uniform'`: n is uniform on (−r, r), r = rangeFraction.
 * - kind `'normal'`:  n is normal with standard deviation σ = stdFraction, truncated to (−r, r). This
 *   is the distribution timm's noise produces by re-sampling until |n| < noise_pct; here it is drawn
 *   in one go by the inverse CDF: n = σ · Φ⁻¹(Φ(−r/σ) + u · (Φ(r/σ) − Φ(−r/σ))) with u the hashed uniform,
 *   then kept within [−r, r] against rounding.
 *
 * Since r ≤ 1, 1 + n ≥ 0: the learning rate is never negative (it can reach 0 only when r = 1).
 * It can exceed s(t) by the factor 1 + r, so the largest value of s, read from its config
 * (`supremum.ts`), times 1 + r must not exceed Number.MAX_VALUE; a custom function has no config,
 * so with one a value that overflows throws `AnnealError` at that step instead.
 *
 * @example noise({ schedule: constant({ value: 0.1 }), seed: 42, kind: 'uniform', rangeFraction: 0.1 })
 *
 * Throws `ScheduleConfigError` for an invalid schedule, `rangeFraction` outside (0, 1], `stdFraction`
 * <= 0, a `seed` that is not an integer >= 0, `endStep` <= `startStep`, or a schedule whose largest
 * value times 1 + rangeFraction exceeds Number.MAX_VALUE.
 */
export const noise = defineFamily<NoiseOptions, NoiseResolved>({
  type: 'noise',
  readConfig: (json) => fromConfig(json),
  summary:
    'Deterministic seeded multiplicative noise: s(t)·(1 + n), n a stateless hash of (seed, ⌊t⌋), |n| ≤ rangeFraction.',
  options: {
    schedule: { kind: 'schedule', description: 'Schedule to perturb.' },
    seed: {
      kind: 'number',
      integer: true,
      min: 0,
      default: 0,
      description: 'Integer seed (0 to 2^53 − 1); the same seed and step always give the same value.',
    },
    kind: {
      kind: 'enum',
      values: ['normal', 'uniform'],
      default: 'normal',
      description: 'Distribution of the relative noise n: truncated normal or uniform.',
    },
    stdFraction: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      default: 1,
      description:
        'Standard deviation of n before truncation, as a fraction of the learning rate (normal only; timm noise_std).',
    },
    rangeFraction: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      max: 1,
      default: 0.67,
      description: 'Bound on |n|, as a fraction of the learning rate (timm noise_pct).',
    },
    startStep: { kind: 'number', min: 0, default: 0, description: 'First step that gets noise.' },
    endStep: {
      kind: 'number',
      min: 0,
      optional: true,
      description: 'First step without noise, after startStep (absent: noise forever).',
    },
  },
  check: ({ schedule, rangeFraction, startStep, endStep }, issues) => {
    if (endStep !== undefined && endStep <= startStep) {
      issues.addRule(
        'endStep',
        `endStep must be greater than startStep (${startStep})`,
        `> ${startStep}`,
        endStep,
      );
    }
    const bound = supremumOf(schedule);
    if (bound !== undefined && !(bound * (1 + rangeFraction) <= Number.MAX_VALUE)) {
      issues.addRule(
        'schedule',
        `the largest value of schedule × (1 + rangeFraction) must not exceed Number.MAX_VALUE (${Number.MAX_VALUE}): the noise would overflow to Infinity`,
        `a schedule whose values stay <= ${Number.MAX_VALUE / (1 + rangeFraction)}`,
        bound,
      );
    }
  },
  build: (options) => {
    const noisy = noisyEvaluator(options);
    return supremumOf(options.schedule) === undefined
      ? guardFinite('noise', 'schedule(t) · (1 + n)', noisy)
      : noisy;
  },
  phases: ({ schedule }) => [...schedule.phases],
});

/** s(t) · (1 + n) for the resolved options (the noise drawn per kind). */
function noisyEvaluator(options: NoiseResolved): (step: number) => number {
  const { schedule, seed, kind, stdFraction, rangeFraction, startStep, endStep } = options;
  const inner = evaluatorOf(schedule);
  const seedLow = mix32((seed >>> 0) ^ 0x9e3779b9);
  const seedHigh = mix32(((seed / twoTo32) >>> 0) ^ 0x85ebca6b);
  const end = endStep ?? Number.POSITIVE_INFINITY;
  const r = rangeFraction;
  if (kind === 'uniform') {
    const width = 2 * r;
    return (t) => {
      const value = inner(t);
      if (t < startStep || t >= end) return value;
      return value * (1 + width * (hashUniform(seedLow, seedHigh, Math.floor(t)) - 0.5));
    };
  }
  const sigma = stdFraction;
  const { erf, erfc } = errorFunctions(r / sigma / Math.SQRT2);
  const lowP = erfc / 2; // Φ(−r/σ)
  const spanP = erf; // Φ(r/σ) − Φ(−r/σ)
  return (t) => {
    const value = inner(t);
    if (t < startStep || t >= end) return value;
    const p = lowP + hashUniform(seedLow, seedHigh, Math.floor(t)) * spanP;
    const n = sigma * (p >= pLow && p <= pHigh ? centralQuantile(p) : inverseNormalCdf(p));
    return value * (1 + Math.max(-r, Math.min(n, r)));
  };
}
