/**
 * The native families `fromConfig` reads, listed once, in the order of `listFamilies()`, the JSON
 * Schema, the CLI and the playground menu. A new family is one line here (see docs/architecture.md).
 * Nothing registers itself on import: a bundle that imports one builder does not contain this list.
 */
import { clamp } from './compose/clamp';
import { epochSchedule } from './compose/epochs';
import { float32 } from './compose/float32';
import { join } from './compose/join';
import { noise } from './compose/noise';
import { offset } from './compose/offset';
import { scale } from './compose/scale';
import { warmup } from './compose/warmup';
import { constant } from './families/constant';
import { cosineDecay } from './families/cosine-decay';
import { cosineRestarts } from './families/cosine-restarts';
import { cycleRestarts } from './families/cycle-restarts';
import { cyclic } from './families/cyclic';
import { exponentialDecay } from './families/exponential-decay';
import { float32WarmupCosineDecay } from './families/float32-warmup-cosine-decay';
import { inverseSqrt } from './families/inverse-sqrt';
import { inverseTimeDecay } from './families/inverse-time-decay';
import { linear } from './families/linear';
import { multiStepDecay } from './families/multi-step-decay';
import { oneCycle } from './families/one-cycle';
import { piecewiseConstant } from './families/piecewise-constant';
import { piecewiseInterpolate } from './families/piecewise-interpolate';
import { polynomial } from './families/polynomial';
import { stepDecay } from './families/step-decay';
import { tanhDecay } from './families/tanh-decay';
import { warmupCosineDecay } from './families/warmup-cosine-decay';
import { warmupStableDecay } from './families/warmup-stable-decay';
import type { Builder, FamilyDefinition } from './family';
import { learningRateSweep } from './lr-finder/sweep';

// A function, not a constant: composites import `fromConfig`, which imports this module, so the
// builders may not be initialized yet when this module is evaluated.
function nativeBuilders(): readonly Builder<never>[] {
  return [
    constant,
    cosineDecay,
    cosineRestarts,
    cyclic,
    exponentialDecay,
    inverseSqrt,
    inverseTimeDecay,
    linear,
    multiStepDecay,
    oneCycle,
    piecewiseConstant,
    piecewiseInterpolate,
    polynomial,
    stepDecay,
    tanhDecay,
    warmupCosineDecay,
    warmupStableDecay,
    clamp,
    epochSchedule,
    join,
    noise,
    scale,
    warmup,
    offset,
    cycleRestarts,
    float32,
    float32WarmupCosineDecay,
    learningRateSweep,
  ] as readonly Builder<never>[];
}

/** Every native family `fromConfig` reads, in a fixed order (for the JSON Schema, the CLI and docs). */
export function listFamilies(): readonly FamilyDefinition<unknown>[] {
  return nativeBuilders().map((builder) => builder.family);
}

/** The native family whose config type is `type`, if any. */
export function getFamily(type: string): FamilyDefinition<unknown> | undefined {
  return listFamilies().find((family) => family.type === type);
}
