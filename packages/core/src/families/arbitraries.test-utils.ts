/**
 * fast-check arbitraries of valid options for every family, with what each family promises:
 * the interval its values stay in, where it is monotone, and its period when it is periodic.
 * Not part of the package API.
 */
import fc from 'fast-check';
import type { Schedule } from '../schedule';
import {
  constant,
  cosineDecay,
  cosineRestarts,
  cyclic,
  type ExponentialDecayOptions,
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
} from './index';

/** A learning rate: 0, subnormals, ordinary values up to 10. */
export const valueArb = fc.double({ min: 0, max: 10, noNaN: true });
/** A duration in steps, 0 included. */
export const durationArb = fc.oneof(
  fc.double({ min: 0, max: 1e4, noNaN: true }),
  fc.integer({ min: 0, max: 200 }),
);
/** A strictly positive duration in steps (down to the smallest subnormal). */
export const positiveDurationArb = fc.oneof(
  fc.double({ min: Number.MIN_VALUE, max: 1e4, noNaN: true }),
  fc.integer({ min: 1, max: 200 }),
);
/** A factor in [0, 1]. */
export const unitArb = fc.double({ min: 0, max: 1, noNaN: true });

/** Steps: ordinary, integer, fractional, huge (up to Number.MAX_VALUE). */
export const stepArb = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: 0, max: 2e4, noNaN: true }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 400 }) },
  { weight: 1, arbitrary: fc.constantFrom(1e9, 1e15, 1e100, 1e300, Number.MAX_VALUE) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true }) },
);

export type Direction = 'up' | 'down';
/** On [from, to) the schedule never moves against `direction` (beyond rounding). */
export interface MonotoneRange {
  readonly from: number;
  readonly to: number;
  readonly direction: Direction;
}

export interface FamilyCase<Options = unknown> {
  readonly type: string;
  readonly options: fc.Arbitrary<Options>;
  readonly build: (options: Options) => Schedule;
  /** [lowest, highest] value the family may take for these options. */
  readonly bounds: (options: Options) => readonly [number, number];
  /** Ranges where the family promises monotonicity. */
  readonly monotone?: (options: Options) => readonly MonotoneRange[];
  /** Steps worth checking exactly (phase boundaries). */
  readonly keySteps?: (options: Options) => readonly number[];
}

function family<Options>(definition: FamilyCase<Options>): FamilyCase<unknown> {
  return definition as unknown as FamilyCase<unknown>;
}

const everywhere = (direction: Direction): MonotoneRange[] => [
  { from: 0, to: Number.POSITIVE_INFINITY, direction },
];
const sortedArray = (arb: fc.Arbitrary<number>, minLength: number, maxLength: number) =>
  fc.array(arb, { minLength, maxLength }).map((values) => [...values].sort((a, b) => a - b));

export const familyCases: readonly FamilyCase[] = [
  family({
    type: 'constant',
    options: fc.record({ value: valueArb }),
    build: constant,
    bounds: (o) => [o.value, o.value],
    monotone: () => [...everywhere('up'), ...everywhere('down')],
  }),
  family({
    type: 'linear',
    options: fc.record({
      initialValue: valueArb,
      finalValue: valueArb,
      transitionSteps: durationArb,
      transitionBeginSteps: durationArb,
    }),
    build: linear,
    bounds: (o) => [Math.min(o.initialValue, o.finalValue), Math.max(o.initialValue, o.finalValue)],
    monotone: (o) => everywhere(o.initialValue >= o.finalValue ? 'down' : 'up'),
    keySteps: (o) => [o.transitionBeginSteps, o.transitionBeginSteps + o.transitionSteps],
  }),
  family({
    type: 'polynomial',
    options: fc.record({
      initialValue: valueArb,
      finalValue: valueArb,
      decaySteps: positiveDurationArb,
      power: fc.double({ min: 1e-3, max: 10, noNaN: true }),
      cycle: fc.boolean(),
      transitionBeginSteps: durationArb,
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
        initialValue: valueArb,
        decaySteps: positiveDurationArb,
        decayFactor: fc.oneof(
          fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }),
          fc.double({ min: 1, max: 100, noNaN: true }),
        ),
        staircase: fc.boolean(),
        transitionBeginSteps: durationArb,
        bound: unitArb,
        useBound: fc.boolean(),
      })
      .map(({ bound, useBound, ...o }): ExponentialDecayOptions => {
        // A floor in [0, a] when decaying; a ceiling in [a, 10a] when growing (required then).
        if (o.decayFactor > 1) return { ...o, endValue: o.initialValue * (1 + 9 * bound) };
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
      initialValue: valueArb,
      decaySteps: positiveDurationArb,
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
        peakValue: valueArb,
        warmupSteps: durationArb,
        timescaleSteps: positiveDurationArb,
        initialValue: valueArb,
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
    options: fc.record({ initialValue: valueArb, intervalSteps: positiveDurationArb, decayFactor: unitArb }),
    build: stepDecay,
    bounds: (o) => [0, o.initialValue],
    monotone: () => everywhere('down'),
    keySteps: (o) => [o.intervalSteps, 2 * o.intervalSteps],
  }),
  family({
    type: 'multiStepDecay',
    options: fc.record({
      initialValue: valueArb,
      milestones: sortedArray(durationArb, 0, 8),
      decayFactor: unitArb,
    }),
    build: multiStepDecay,
    bounds: (o) => [0, o.initialValue],
    monotone: () => everywhere('down'),
    keySteps: (o) => o.milestones,
  }),
  family({
    type: 'piecewiseConstant',
    options: fc.uniqueArray(durationArb, { maxLength: 8 }).chain((boundaries) =>
      fc.record({
        boundaries: fc.constant([...boundaries].sort((a, b) => a - b)),
        values: fc.array(valueArb, { minLength: boundaries.length + 1, maxLength: boundaries.length + 1 }),
      }),
    ),
    build: piecewiseConstant,
    bounds: (o) => [Math.min(...o.values), Math.max(...o.values)],
    keySteps: (o) => o.boundaries,
  }),
  family({
    type: 'piecewiseInterpolate',
    options: sortedArray(durationArb, 1, 8).chain((boundaries) =>
      fc.record({
        boundaries: fc.constant(boundaries),
        values: fc.array(valueArb, { minLength: boundaries.length, maxLength: boundaries.length }),
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
        initialValue: valueArb,
        decaySteps: positiveDurationArb,
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
        initialValue: valueArb,
        decaySteps: positiveDurationArb,
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
        peakValue: valueArb,
        totalSteps: positiveDurationArb,
        warmupShare: unitArb,
        decayShare: unitArb,
        initialValue: valueArb,
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
        peakValue: valueArb,
        totalSteps: positiveDurationArb,
        warmupShare: unitArb,
        holdShare: unitArb,
        initialValue: valueArb,
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
        peakValue: valueArb,
        firstCycleSteps: positiveDurationArb,
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
        minValue: valueArb,
        maxValue: valueArb,
        stepUpSteps: positiveDurationArb,
        stepDownSteps: fc.option(durationArb, { nil: undefined }),
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
        maxValue: valueArb,
        totalSteps: positiveDurationArb,
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
];
