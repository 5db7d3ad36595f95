/**
 * An upper bound of a native schedule's values, read from its config: what lets a composite that
 * multiplies (`scale`, `noise`) or narrows (`float32`) its child's values refuse, when it is built,
 * a child whose values it would take past the largest double (or float32), instead of returning
 * Infinity at some step. A custom function has no config, hence no known bound (`undefined`).
 *
 * Each bound is sound, not tight: every value of the schedule at every finite step is at most it. A
 * curve written anchor + (other − anchor) · w (shared.ts) can round an ulp or two past its larger end,
 * so the ends of those curves are given a relative allowance of 1e-12; products and float32 rounding
 * are monotone, so a product of bounds bounds the product.
 */

import { AnnealError } from '../errors';
import { cycleRestartsSupremum, type PeakGrowth } from '../families/cycle-restarts';
import {
  type Float32WarmupCosineDecayOptions,
  float32WarmupCosineDecaySupremum,
} from '../families/float32-warmup-cosine-decay';
import type { Schedule, ScheduleConfig } from '../schedule';

/** Relative allowance for a curve's rounding past its larger end. */
const ROUNDING = 1 + 1e-12;
/**
 * x with the rounding allowance, at most Number.MAX_VALUE: no curve rounds past it
 * (`interpolationSpan`), so every value is at most that.
 */
const allow = (x: number) => Math.min(x * ROUNDING, Number.MAX_VALUE);

type Config = Readonly<Record<string, unknown>>;
const num = (config: Config, key: string) => config[key] as number;
const largest = (values: unknown) => Math.max(...(values as number[]));
/** The larger of two of a config's values, with the rounding allowance. */
const ends = (config: Config, a: string, b: string) => allow(Math.max(num(config, a), num(config, b)));

/** Bound of a child given as a config (a number for `scale`'s factor). */
function childBound(value: unknown): number | undefined {
  return typeof value === 'number' ? value : supremumOfConfig(value as ScheduleConfig);
}

/** The larger of two bounds; unknown when either is. */
function maximum(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : Math.max(a, b);
}

/** Product of two bounds; unknown when either is. A zero bound stays 0 (0 · Infinity is NaN). */
function product(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  return a === 0 || b === 0 ? 0 : a * b;
}

/** Per native type, the bound of its values from its config (defaults applied). */
const bounds: Readonly<Record<string, (config: Config) => number | undefined>> = {
  constant: (c) => num(c, 'value'),
  cosineDecay: (c) => allow(num(c, 'initialValue')),
  cosineRestarts: (c) => allow(num(c, 'peakValue')),
  cycleRestarts: (c) => allow(cycleRestartsSupremum(c as unknown as PeakGrowth)),
  cyclic: (c) => allow(num(c, 'maxValue')),
  exponentialDecay: (c) => (num(c, 'decayFactor') > 1 ? num(c, 'endValue') : num(c, 'initialValue')),
  inverseSqrt: (c) => ends(c, 'peakValue', 'initialValue'),
  inverseTimeDecay: (c) => num(c, 'initialValue'),
  linear: (c) => ends(c, 'initialValue', 'finalValue'),
  multiStepDecay: (c) => num(c, 'initialValue'),
  oneCycle: (c) => allow(num(c, 'maxValue')),
  piecewiseConstant: (c) => largest(c.values),
  piecewiseInterpolate: (c) => allow(largest(c.values)),
  polynomial: (c) => ends(c, 'initialValue', 'finalValue'),
  stepDecay: (c) => num(c, 'initialValue'),
  tanhDecay: (c) => allow(num(c, 'initialValue')),
  warmupCosineDecay: (c) => ends(c, 'peakValue', 'initialValue'),
  warmupStableDecay: (c) => ends(c, 'peakValue', 'initialValue'),
  float32WarmupCosineDecay: (c) =>
    float32WarmupCosineDecaySupremum(c as unknown as Required<Float32WarmupCosineDecayOptions>),
  // Interpolated in log space: within about |ln v| ulps (1.6e-13 relative) of the exact value.
  learningRateSweep: (c) => allow(num(c, 'maxValue')),
  clamp: (c) =>
    c.maxValue !== undefined
      ? num(c, 'maxValue')
      : maximum(childBound(c.schedule), (c.minValue as number | undefined) ?? 0),
  epochSchedule: (c) => childBound(c.schedule),
  join: (c) =>
    (c.segments as readonly Config[]).reduce<number | undefined>(
      (bound, segment) => maximum(bound, childBound(segment.schedule)),
      0,
    ),
  noise: (c) => product(childBound(c.schedule), 1 + num(c, 'rangeFraction')),
  scale: (c) => product(childBound(c.schedule), childBound(c.factor)),
  warmup: (c) => {
    const bound = maximum(childBound(c.schedule), num(c, 'initialValue'));
    return bound === undefined ? undefined : allow(bound);
  },
  offset: (c) => childBound(c.schedule),
  float32: (c) => {
    const bound = childBound(c.schedule);
    return bound === undefined ? undefined : Math.fround(bound);
  },
};

/**
 * An upper bound of the values of the schedule a native config builds (Infinity when the bound
 * itself exceeds the largest double), or `undefined` when it is not known: a type without an entry.
 */
export function supremumOfConfig(config: ScheduleConfig): number | undefined {
  return bounds[config.type]?.(config);
}

/** An upper bound of a schedule's values, or `undefined` for a custom function (or one with a custom child). */
export function supremumOf(schedule: Schedule): number | undefined {
  return schedule.config === undefined ? undefined : supremumOfConfig(schedule.config);
}

/**
 * `evaluate` checked on every call: for a composite whose child has no known bound (a custom
 * function), a value that is not finite throws `AnnealError` at that step, as `custom` does for its
 * own values, instead of being returned.
 */
export function guardFinite(builder: string, what: string, evaluate: (step: number) => number) {
  return (step: number): number => {
    const value = evaluate(step);
    if (value < Number.POSITIVE_INFINITY) return value;
    throw new AnnealError(
      `${builder}: ${what} is ${value} at step ${step}; it holds a custom function, whose values ${builder} could not bound when it was built.`,
    );
  };
}
