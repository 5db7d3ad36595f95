/**
 * fast-check arbitraries of valid options for every family, with what each family promises:
 * the interval its values stay in, where it is monotone, and its period when it is periodic.
 * Not part of the package API.
 */
import fc from 'fast-check';
import { learningRateSweep } from '../lr-finder/sweep';
import {
  everywhere,
  type FamilyCase,
  family,
  isValidFloat32WarmupCosineDecay,
  ordinaryScalars,
  type ScalarArbitraries,
  sortedArray,
  unitArb,
} from './family-case.test-utils';
import { float32WarmupCosineDecaySupremum } from './float32-warmup-cosine-decay';
import {
  constant,
  cosineDecay,
  cosineRestarts,
  cycleRestarts,
  cyclic,
  type ExponentialDecayOptions,
  exponentialDecay,
  float32WarmupCosineDecay,
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
} from './index';

/** Every family's case, its options drawn from `scalars`. */
export function makeFamilyCases(scalars: ScalarArbitraries): readonly FamilyCase[] {
  return [
    family({
      type: 'constant',
      options: fc.record({ value: scalars.value }),
      build: constant,
      bounds: (o) => [o.value, o.value],
      monotone: () => [...everywhere('up'), ...everywhere('down')],
    }),
    family({
      type: 'linear',
      options: fc.record({
        initialValue: scalars.value,
        finalValue: scalars.value,
        transitionSteps: scalars.duration,
        transitionBeginSteps: scalars.duration,
      }),
      build: linear,
      bounds: (o) => [Math.min(o.initialValue, o.finalValue), Math.max(o.initialValue, o.finalValue)],
      monotone: (o) => everywhere(o.initialValue >= o.finalValue ? 'down' : 'up'),
      keySteps: (o) => [o.transitionBeginSteps, o.transitionBeginSteps + o.transitionSteps],
    }),
    family({
      type: 'polynomial',
      options: fc.record({
        initialValue: scalars.value,
        finalValue: scalars.value,
        decaySteps: scalars.positiveDuration,
        power: fc.double({ min: 1e-3, max: 10, noNaN: true }),
        cycle: fc.boolean(),
        transitionBeginSteps: scalars.duration,
      }),
      build: polynomial,
      bounds: (o) => [Math.min(o.initialValue, o.finalValue), Math.max(o.initialValue, o.finalValue)],
      monotone: (o) => (o.cycle ? [] : everywhere(o.initialValue >= o.finalValue ? 'down' : 'up')),
      keySteps: (o) => [
        o.transitionBeginSteps,
        o.transitionBeginSteps + o.decaySteps,
        o.transitionBeginSteps + 2 * o.decaySteps,
      ],
    }),
    family({
      type: 'exponentialDecay',
      options: fc
        .record({
          initialValue: scalars.value,
          decaySteps: scalars.positiveDuration,
          decayFactor: fc.oneof(
            fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }),
            fc.double({ min: 1, max: 100, noNaN: true }),
          ),
          staircase: fc.boolean(),
          transitionBeginSteps: scalars.duration,
          bound: unitArb,
          useBound: fc.boolean(),
        })
        .map(({ bound, useBound, ...o }): ExponentialDecayOptions => {
          // A floor in [0, a] when decaying; a ceiling in [a, 10a] when growing (required then).
          if (o.decayFactor > 1)
            return { ...o, endValue: Math.min(o.initialValue * (1 + 9 * bound), Number.MAX_VALUE) };
          return useBound ? { ...o, endValue: o.initialValue * bound } : o;
        }),
      build: exponentialDecay,
      bounds: (o) =>
        o.decayFactor > 1
          ? [o.initialValue, o.endValue as number]
          : [o.decayFactor === 1 ? o.initialValue : (o.endValue ?? 0), o.initialValue],
      monotone: (o) => everywhere(o.decayFactor > 1 ? 'up' : 'down'),
      keySteps: (o) => [o.transitionBeginSteps ?? 0, (o.transitionBeginSteps ?? 0) + o.decaySteps],
    }),
    family({
      type: 'inverseTimeDecay',
      options: fc.record({
        initialValue: scalars.value,
        decaySteps: scalars.positiveDuration,
        decayRate: fc.double({ min: 0, max: 1e3, noNaN: true }),
        staircase: fc.boolean(),
      }),
      build: inverseTimeDecay,
      bounds: (o) => [0, o.initialValue],
      monotone: () => everywhere('down'),
    }),
    family({
      type: 'inverseSqrt',
      options: fc
        .record({
          peakValue: scalars.value,
          warmupSteps: scalars.duration,
          timescaleSteps: scalars.positiveDuration,
          initialValue: scalars.value,
          useTimescale: fc.boolean(),
        })
        .map(({ useTimescale, timescaleSteps, ...o }) =>
          useTimescale || o.warmupSteps === 0 ? { ...o, timescaleSteps } : o,
        ),
      build: inverseSqrt,
      bounds: (o) => [0, Math.max(o.peakValue, o.initialValue)],
      monotone: (o) => [
        { from: 0, to: o.warmupSteps, direction: o.initialValue <= o.peakValue ? 'up' : 'down' },
        { from: o.warmupSteps, to: Number.POSITIVE_INFINITY, direction: 'down' },
      ],
      keySteps: (o) => [o.warmupSteps],
    }),
    family({
      type: 'stepDecay',
      options: fc.record({
        initialValue: scalars.value,
        intervalSteps: scalars.positiveDuration,
        decayFactor: unitArb,
      }),
      build: stepDecay,
      bounds: (o) => [0, o.initialValue],
      monotone: () => everywhere('down'),
      keySteps: (o) => [o.intervalSteps, 2 * o.intervalSteps],
    }),
    family({
      type: 'multiStepDecay',
      options: fc.record({
        initialValue: scalars.value,
        milestones: sortedArray(scalars.duration, 0, 8),
        decayFactor: unitArb,
      }),
      build: multiStepDecay,
      bounds: (o) => [0, o.initialValue],
      monotone: () => everywhere('down'),
      keySteps: (o) => o.milestones,
    }),
    family({
      type: 'piecewiseConstant',
      options: fc.uniqueArray(scalars.duration, { maxLength: 8 }).chain((boundaries) =>
        fc.record({
          boundaries: fc.constant([...boundaries].sort((a, b) => a - b)),
          values: fc.array(scalars.value, {
            minLength: boundaries.length + 1,
            maxLength: boundaries.length + 1,
          }),
        }),
      ),
      build: piecewiseConstant,
      bounds: (o) => [Math.min(...o.values), Math.max(...o.values)],
      keySteps: (o) => o.boundaries,
    }),
    family({
      type: 'piecewiseInterpolate',
      options: sortedArray(scalars.duration, 1, 8).chain((boundaries) =>
        fc.record({
          boundaries: fc.constant(boundaries),
          values: fc.array(scalars.value, { minLength: boundaries.length, maxLength: boundaries.length }),
          interpolation: fc.constantFrom('linear' as const, 'cosine' as const),
        }),
      ),
      build: piecewiseInterpolate,
      bounds: (o) => [Math.min(...o.values), Math.max(...o.values)],
      keySteps: (o) => o.boundaries,
    }),
    family({
      type: 'cosineDecay',
      options: fc
        .record({
          initialValue: scalars.value,
          decaySteps: scalars.positiveDuration,
          floor: unitArb,
          exponent: fc.double({ min: 1e-3, max: 10, noNaN: true }),
          periodic: fc.boolean(),
        })
        .map(({ floor, ...o }) => ({ ...o, finalValue: o.initialValue * floor })),
      build: cosineDecay,
      bounds: (o) => [o.finalValue, o.initialValue],
      monotone: (o) => (o.periodic ? [{ from: 0, to: o.decaySteps, direction: 'down' }] : everywhere('down')),
      keySteps: (o) => [o.decaySteps],
    }),
    family({
      type: 'tanhDecay',
      options: fc
        .record({
          initialValue: scalars.value,
          decaySteps: scalars.positiveDuration,
          floor: unitArb,
          lowerBound: fc.double({ min: -20, max: 20, noNaN: true }),
          span: fc.double({ min: 1e-3, max: 30, noNaN: true }),
        })
        .map(({ floor, span, ...o }) => ({
          ...o,
          finalValue: o.initialValue * floor,
          upperBound: o.lowerBound + span,
        })),
      build: tanhDecay,
      bounds: (o) => [o.finalValue, o.initialValue],
      monotone: () => everywhere('down'),
      keySteps: (o) => [o.decaySteps],
    }),
    family({
      type: 'warmupStableDecay',
      options: fc
        .record({
          peakValue: scalars.value,
          totalSteps: scalars.positiveDuration,
          warmupShare: unitArb,
          decayShare: unitArb,
          initialValue: scalars.value,
          floor: unitArb,
          warmupShape: fc.constantFrom('linear' as const, 'cosine' as const, '1-sqrt' as const),
          decayShape: fc.constantFrom('linear' as const, 'cosine' as const, '1-sqrt' as const),
        })
        .map(({ warmupShare, decayShare, floor, ...o }) => {
          const warmupSteps = o.totalSteps * warmupShare;
          return {
            ...o,
            warmupSteps,
            decaySteps: (o.totalSteps - warmupSteps) * decayShare,
            finalValue: o.peakValue * floor,
          };
        }),
      build: warmupStableDecay,
      bounds: (o) => [Math.min(o.initialValue, o.finalValue), Math.max(o.initialValue, o.peakValue)],
      monotone: (o) => [
        { from: 0, to: o.warmupSteps, direction: o.initialValue <= o.peakValue ? 'up' : 'down' },
        { from: o.warmupSteps, to: Number.POSITIVE_INFINITY, direction: 'down' },
      ],
      keySteps: (o) => [o.warmupSteps, o.totalSteps - o.decaySteps, o.totalSteps],
    }),
    family({
      type: 'warmupCosineDecay',
      options: fc
        .record({
          peakValue: scalars.value,
          totalSteps: scalars.positiveDuration,
          warmupShare: unitArb,
          holdShare: unitArb,
          initialValue: scalars.value,
          floor: unitArb,
        })
        .map(({ warmupShare, holdShare, floor, ...o }) => {
          const warmupSteps = o.totalSteps * warmupShare;
          return {
            ...o,
            warmupSteps,
            holdSteps: (o.totalSteps - warmupSteps) * holdShare,
            finalValue: o.peakValue * floor,
          };
        }),
      build: warmupCosineDecay,
      bounds: (o) => [Math.min(o.initialValue, o.finalValue), Math.max(o.initialValue, o.peakValue)],
      monotone: (o) => [
        { from: 0, to: o.warmupSteps, direction: o.initialValue <= o.peakValue ? 'up' : 'down' },
        { from: o.warmupSteps, to: Number.POSITIVE_INFINITY, direction: 'down' },
      ],
      keySteps: (o) => [o.warmupSteps, o.warmupSteps + o.holdSteps, o.totalSteps],
    }),
    family({
      type: 'cosineRestarts',
      options: fc
        .record({
          peakValue: scalars.value,
          firstCycleSteps: scalars.positiveDuration,
          cycleLengthFactor: fc.oneof(
            fc.constant(1),
            fc.constant(2),
            fc.double({ min: 1, max: 1e3, noNaN: true }),
          ),
          peakDecayFactor: unitArb,
          floor: unitArb,
          cycleLimit: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
          warmupShare: fc.oneof(fc.constant(0), unitArb),
        })
        .map(({ floor, warmupShare, cycleLimit, ...o }) => ({
          ...o,
          ...(cycleLimit === undefined ? {} : { cycleLimit }),
          finalValue: o.peakValue * floor,
          warmupSteps: o.firstCycleSteps * warmupShare,
        })),
      build: cosineRestarts,
      bounds: (o) => [o.finalValue, o.peakValue],
      monotone: (o) => [
        { from: 0, to: o.warmupSteps, direction: 'up' },
        // Inside the first cycle's cosine (restarts jump up).
        { from: o.warmupSteps, to: o.firstCycleSteps * (1 - 1e-12), direction: 'down' },
      ],
      keySteps: (o) => [o.warmupSteps, o.firstCycleSteps, o.firstCycleSteps * (1 + o.cycleLengthFactor)],
    }),
    family({
      type: 'cyclic',
      options: fc
        .record({
          minValue: scalars.value,
          maxValue: scalars.value,
          stepUpSteps: scalars.positiveDuration,
          stepDownSteps: fc.option(scalars.duration, { nil: undefined }),
          mode: fc.constantFrom('triangular' as const, 'triangular2' as const, 'expRange' as const),
          decayFactor: fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }),
          scaleMode: fc.option(fc.constantFrom('cycle' as const, 'iterations' as const), { nil: undefined }),
        })
        .map(({ minValue, maxValue, stepDownSteps, decayFactor, scaleMode, ...o }) => ({
          ...o,
          minValue: Math.min(minValue, maxValue),
          maxValue: Math.max(minValue, maxValue),
          ...(stepDownSteps === undefined ? {} : { stepDownSteps }),
          ...(o.mode === 'expRange' ? { decayFactor } : {}),
          ...(scaleMode === undefined ? {} : { scaleMode }),
        })),
      build: cyclic,
      bounds: (o) => [o.minValue, o.maxValue],
      // Within the first cycle the amplitude scale is 1, except for a per-iteration expRange.
      monotone: (o) => {
        const perIteration =
          o.mode !== 'triangular' &&
          (o.scaleMode ?? (o.mode === 'expRange' ? 'iterations' : 'cycle')) === 'iterations';
        if (perIteration) return [];
        const top = o.stepUpSteps;
        return [
          { from: 0, to: top, direction: 'up' },
          { from: top, to: top + (o.stepDownSteps ?? o.stepUpSteps), direction: 'down' },
        ];
      },
      keySteps: (o) => [o.stepUpSteps, o.stepUpSteps + (o.stepDownSteps ?? o.stepUpSteps)],
    }),
    family({
      type: 'oneCycle',
      options: fc
        .record({
          maxValue: scalars.value,
          totalSteps: scalars.positiveDuration,
          warmupFraction: unitArb,
          initialDivFactor: fc.double({ min: 1, max: 1e4, noNaN: true }),
          finalDivFactor: fc.double({ min: 1, max: 1e6, noNaN: true }),
          threePhase: fc.boolean(),
          annealShape: fc.constantFrom('cosine' as const, 'linear' as const),
        })
        .map((o) => (o.threePhase ? { ...o, warmupFraction: o.warmupFraction / 2 } : o)),
      build: oneCycle,
      bounds: (o) => [o.maxValue / o.initialDivFactor / o.finalDivFactor, o.maxValue],
      monotone: (o) => [
        { from: 0, to: o.warmupFraction * o.totalSteps, direction: 'up' },
        { from: o.warmupFraction * o.totalSteps, to: Number.POSITIVE_INFINITY, direction: 'down' },
      ],
      keySteps: (o) => [o.warmupFraction * o.totalSteps, 2 * o.warmupFraction * o.totalSteps, o.totalSteps],
    }),
    family({
      type: 'cycleRestarts',
      options: fc
        .record({
          peakValue: scalars.value,
          floor: unitArb,
          firstCycleSteps: scalars.positiveDuration,
          cycleLengthFactor: fc.oneof(
            fc.constant(1),
            fc.constant(2),
            fc.double({ min: 1, max: 1e3, noNaN: true }),
          ),
          peakDecayFactor: fc.oneof(
            fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }),
            fc.double({ min: 1, max: 4, noNaN: true }),
          ),
          decayTarget: fc.constantFrom('peak' as const, 'height' as const),
          cycleLimit: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
          shape: fc.constantFrom('cosine' as const, 'tanh' as const, 'polynomial' as const),
          positionExponent: fc.double({ min: 0.1, max: 10, noNaN: true }),
          power: fc.double({ min: 1e-3, max: 10, noNaN: true }),
          tanhLowerBound: fc.double({ min: -20, max: 20, noNaN: true }),
          tanhSpan: fc.double({ min: 1e-3, max: 30, noNaN: true }),
          cycleIndex: fc.constantFrom('exact' as const, 'logarithm' as const),
        })
        .map(({ floor, tanhSpan, cycleLimit, peakValue, ...o }) => {
          // A growing peak needs a cycle limit, and the last peak must stay a double: the first
          // peak is kept at most half of Number.MAX_VALUE / d^(n − 1).
          const growing = o.peakDecayFactor > 1;
          const limit = growing ? (cycleLimit ?? 1) : cycleLimit;
          const growth = growing ? o.peakDecayFactor ** ((limit as number) - 1) : 1;
          const peak = Math.min(peakValue, Number.MAX_VALUE / growth / 2);
          return {
            ...o,
            peakValue: peak,
            minValue: peak * floor,
            tanhUpperBound: o.tanhLowerBound + tanhSpan,
            ...(limit === undefined ? {} : { cycleLimit: limit }),
          };
        }),
      build: cycleRestarts,
      // Within [0, the largest peak]: P, or P · d^(n − 1) when the peak grows (b + (P − b) · d^(n − 1)
      // is below it). With decayTarget 'peak' a peak decayed below the floor rises towards the floor.
      bounds: (o) => [
        0,
        o.peakDecayFactor > 1
          ? o.peakValue * o.peakDecayFactor ** ((o.cycleLimit as number) - 1)
          : o.peakValue,
      ],
      keySteps: (o) => [o.firstCycleSteps, o.firstCycleSteps * (1 + o.cycleLengthFactor)],
    }),
    family({
      type: 'float32WarmupCosineDecay',
      options: fc
        .record({
          peakValue: scalars.value,
          totalSteps: scalars.positiveDuration,
          warmupShare: unitArb,
          holdShare: unitArb,
          initialValue: scalars.value,
        })
        .map(({ warmupShare, holdShare, peakValue, initialValue, ...o }) => {
          // A rising warm-up, as TensorFlow requires.
          const warmupSteps = o.totalSteps * warmupShare;
          return {
            ...o,
            peakValue: Math.max(peakValue, initialValue),
            initialValue: Math.min(peakValue, initialValue),
            warmupSteps,
            holdSteps: (o.totalSteps - warmupSteps) * holdShare,
          };
        })
        .filter(isValidFloat32WarmupCosineDecay),
      build: float32WarmupCosineDecay,
      // Float32 rounding of the step and of a subnormal slope can take the warm-up up to twice the
      // peak in the subnormal range: the bound is the family's formula at its largest float32 step.
      bounds: (o) => [0, float32WarmupCosineDecaySupremum(o)],
      keySteps: (o) => [o.warmupSteps, o.warmupSteps + o.holdSteps, o.totalSteps],
    }),
    family({
      type: 'learningRateSweep',
      options: fc
        .record({
          minValue: scalars.value,
          maxValue: scalars.value,
          steps: fc.oneof(fc.integer({ min: 2, max: 1000 }), fc.constantFrom(2 ** 40, 2 ** 53 - 1)),
          mode: fc.constantFrom('exponential' as const, 'linear' as const),
        })
        .map(({ minValue, maxValue, ...o }) => ({
          ...o,
          minValue: Math.min(minValue, maxValue),
          maxValue: Math.max(minValue, maxValue),
        }))
        .filter((o) => o.minValue > 0 && o.maxValue > o.minValue),
      build: learningRateSweep,
      // Interpolated in log space: e^(ln a + (ln b − ln a) p) is within about |ln v| ulps of the
      // exact value (1.6e-13 relative near Number.MIN_VALUE), so it may step a hair outside [a, b];
      // for the same reason it is not monotone to this harness's 1e-14 (nor, with a subnormal a, to
      // its few subnormal ulps: 6.11934511470853e-310 at step 5e-324 after a = 6.11934511470883e-310).
      bounds: (o) => [o.minValue * (1 - 1e-12), o.maxValue * (1 + 1e-12)],
      keySteps: (o) => [o.steps - 1],
    }),
  ];
}

/** Every family's case with ordinary options (`ordinaryScalars`). */
export const familyCases: readonly FamilyCase[] = makeFamilyCases(ordinaryScalars);
