/**
 * The parts of the family arbitraries that are not about one family: scalar arbitraries (values,
 * durations, steps), what a family case declares (bounds, monotone ranges, key steps), and the
 * validity rule of float32WarmupCosineDecay that the extreme arbitraries filter with.
 * Not part of the package API.
 */
import fc from 'fast-check';
import type { Schedule } from '../schedule';
import { FLOAT32_MAX, FLOAT32_MIN } from './shared';

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

export function family<Options>(definition: FamilyCase<Options>): FamilyCase<unknown> {
  return definition as unknown as FamilyCase<unknown>;
}

export const everywhere = (direction: Direction): MonotoneRange[] => [
  { from: 0, to: Number.POSITIVE_INFINITY, direction },
];
export const sortedArray = (arb: fc.Arbitrary<number>, minLength: number, maxLength: number) =>
  fc.array(arb, { minLength, maxLength }).map((values) => [...values].sort((a, b) => a - b));

/** The scalar arbitraries the family arbitraries are made of: ordinary ones, or wider ones (extremes). */
export interface ScalarArbitraries {
  /** A learning rate (>= 0). */
  readonly value: fc.Arbitrary<number>;
  /** A duration in steps, 0 included. */
  readonly duration: fc.Arbitrary<number>;
  /** A strictly positive duration in steps. */
  readonly positiveDuration: fc.Arbitrary<number>;
}

/** Learning rates up to 10 and durations up to 1e4 (subnormals included): what `familyCases` draws from. */
export const ordinaryScalars: ScalarArbitraries = {
  value: valueArb,
  duration: durationArb,
  positiveDuration: positiveDurationArb,
};

/**
 * The rules of `float32WarmupCosineDecay` restated: the hold ends before totalSteps; peakValue at
 * most 2^127 and totalSteps at most 2^126; the decay at least the smallest float32 long; with a
 * warm-up, initialValue at most peakValue and a slope (peakValue − initialValue) / warmupSteps that
 * is a float32.
 */
export function isValidFloat32WarmupCosineDecay(o: {
  readonly peakValue: number;
  readonly totalSteps: number;
  readonly warmupSteps: number;
  readonly holdSteps: number;
  readonly initialValue: number;
}): boolean {
  const { peakValue, totalSteps, warmupSteps, holdSteps, initialValue } = o;
  const warmupOk =
    warmupSteps === 0 ||
    (initialValue <= peakValue && (peakValue - initialValue) / warmupSteps <= FLOAT32_MAX);
  return (
    warmupSteps + holdSteps < totalSteps &&
    peakValue <= 2 ** 127 &&
    totalSteps <= 2 ** 126 &&
    totalSteps - warmupSteps - holdSteps >= FLOAT32_MIN &&
    warmupOk
  );
}
