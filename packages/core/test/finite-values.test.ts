/**
 * The promise every native schedule keeps (issue 13): for every config its builder accepts, every
 * step in [0, 2^53] gives a finite value >= 0. Random valid configs of every native family, drawn
 * with extreme options (learning rates from 0 through subnormals up to Number.MAX_VALUE, durations
 * from Number.MIN_VALUE up to Number.MAX_VALUE), and of every composite, nested up to three levels,
 * are evaluated at random steps (0, 2^53, huge, fractional and subnormal ones) and at the edges of
 * their phases.
 *
 * A composite may refuse a combination of children it cannot keep finite (a `ScheduleConfigError`
 * naming the rule); the nested property counts those and requires most configs to be accepted, so
 * that it cannot pass by refusing everything. Seeded and bounded: it runs in a few seconds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { supremumOf } from '../src/compose/supremum';
import { makeFamilyCases } from '../src/families/arbitraries.test-utils';
import {
  type FamilyCase,
  ordinaryScalars,
  type ScalarArbitraries,
} from '../src/families/family-case.test-utils';
import { fromConfig, listFamilies, type Schedule, ScheduleConfigError } from '../src/index';
import { nextUp } from '../src/reference/registry';

const SEED = 13;
/** Runs per native family (leaves) and for nested composites. */
const LEAF_RUNS = 1000;
const NESTED_RUNS = 10_000;
/** The nested property fails when fewer than this share of its configs is accepted. */
const MIN_ACCEPTED_SHARE = 0.6;
const TOP_STEP = 2 ** 53;

const extremeValues = fc.constantFrom(0, Number.MIN_VALUE, 1e-310, 1e-300, 1e200, 1e300, Number.MAX_VALUE);
const extremeDurations = fc.constantFrom(Number.MIN_VALUE, 1e-310, 1e-300, 2 ** 53, 1e300, Number.MAX_VALUE);
const anyDouble = fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true });

/** Ordinary options half the time; extremes (subnormal, huge, any double) the other half. */
const extremeScalars: ScalarArbitraries = {
  value: fc.oneof(ordinaryScalars.value, extremeValues, anyDouble),
  duration: fc.oneof(ordinaryScalars.duration, fc.constant(0), extremeDurations, anyDouble),
  positiveDuration: fc.oneof(
    ordinaryScalars.positiveDuration,
    extremeDurations,
    anyDouble.filter((x) => x > 0),
  ),
};

/** Steps in [0, 2^53]: the ends, subnormal and fractional ones, ordinary and huge ones. */
const stepArb = fc.oneof(
  fc.constantFrom(0, Number.MIN_VALUE, 1e-310, 0.5, 1, 2 ** 52 + 0.5, TOP_STEP - 1, TOP_STEP),
  fc.integer({ min: 0, max: 1000 }),
  fc.double({ min: 0, max: 2e4, noNaN: true }),
  fc.double({ min: 0, max: TOP_STEP, noNaN: true }),
);

/** The edges of a schedule's phases within [0, 2^53] and the doubles either side of them. */
function phaseEdges(schedule: Schedule): number[] {
  const edges = schedule.phases.flatMap((phase) => [phase.start, phase.end]);
  return edges
    .flatMap((edge) => [-nextUp(-edge), edge, nextUp(edge)])
    .filter((step) => step >= 0 && step <= TOP_STEP);
}

/**
 * Throws, naming the config, the step and the value, unless every value is finite, >= 0 and at most
 * the bound the composites read from the config (`supremumOf`), which every native config has.
 */
function expectFiniteNonNegative(config: unknown, schedule: Schedule, randomSteps: readonly number[]): void {
  const bound = supremumOf(schedule);
  if (bound === undefined) throw new Error(`no known bound for ${JSON.stringify(config)}`);
  for (const step of [...randomSteps, ...phaseEdges(schedule)]) {
    const value = schedule(step);
    if (!(Number.isFinite(value) && value >= 0 && value <= bound)) {
      throw new Error(`${JSON.stringify(config)} gave ${value} at step ${step} (bound ${bound})`);
    }
  }
}

const leafCases = makeFamilyCases(extremeScalars);
/** A native family's config: { type, ...options } with options valid by construction. */
const leafConfig = (family: FamilyCase) =>
  family.options.map((options) => ({ type: family.type, ...(options as object) }));

/**
 * Configs that only the overflow rules refuse (the leaf arbitraries never draw them): a peak that
 * grows every cycle, with or without a cycle limit, and float32 arithmetic at any scale.
 */
const unconstrainedConfigs = fc.oneof(
  fc.record(
    {
      type: fc.constant('cycleRestarts'),
      peakValue: extremeScalars.value,
      firstCycleSteps: extremeScalars.positiveDuration,
      cycleLengthFactor: fc.constantFrom(1, 1.5, 2),
      peakDecayFactor: fc.double({ min: 1, max: 1e3, noNaN: true }),
      decayTarget: fc.constantFrom('peak', 'height'),
      cycleLimit: fc.integer({ min: 1, max: 5000 }),
    },
    { requiredKeys: ['type', 'peakValue', 'firstCycleSteps', 'peakDecayFactor'] },
  ),
  fc
    .record({
      type: fc.constant('float32WarmupCosineDecay'),
      peakValue: extremeScalars.value,
      initialValue: extremeScalars.value,
      totalSteps: extremeScalars.positiveDuration,
      warmupShare: fc.double({ min: 0, max: 1, noNaN: true }),
      holdShare: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ warmupShare, holdShare, ...o }) => {
      const warmupSteps = o.totalSteps * warmupShare;
      return { ...o, warmupSteps, holdSteps: (o.totalSteps - warmupSteps) * holdShare };
    }),
);
const anyLeafConfig = fc.oneof(...leafCases.map(leafConfig), unconstrainedConfigs);

type Config = Record<string, unknown>;
const compositeTypes = ['clamp', 'epochSchedule', 'join', 'noise', 'scale', 'warmup', 'offset', 'float32'];

/** Configs of every composite around children drawn from `child`. */
function compositeConfig(child: fc.Arbitrary<Config>): fc.Arbitrary<Config> {
  const { value, duration, positiveDuration } = extremeScalars;
  return fc.oneof(
    fc.record({ schedule: child, a: fc.option(value), b: fc.option(value) }).map(({ schedule, a, b }) => {
      const bounds = [a, b].filter((x): x is number => x !== null).sort((x, y) => x - y);
      if (bounds.length === 0) return { type: 'clamp', schedule, minValue: 0 };
      return { type: 'clamp', schedule, minValue: bounds[0], maxValue: bounds[bounds.length - 1] };
    }),
    fc.record({ type: fc.constant('epochSchedule'), schedule: child, stepsPerEpoch: positiveDuration }),
    fc
      .array(fc.record({ schedule: child, steps: positiveDuration }), { minLength: 1, maxLength: 4 })
      .map((segments) => ({
        type: 'join',
        segments: segments.map((segment, index) =>
          index === segments.length - 1 ? { schedule: segment.schedule } : segment,
        ),
      })),
    fc
      .record({
        schedule: child,
        seed: fc.integer({ min: 0, max: 2 ** 32 }),
        kind: fc.constantFrom('normal', 'uniform'),
        stdFraction: fc.double({ min: 1e-3, max: 10, noNaN: true }),
        rangeFraction: fc.double({ min: 1e-3, max: 1, noNaN: true }),
        startStep: duration,
      })
      .map((o) => ({ type: 'noise', ...o })),
    fc.record({ type: fc.constant('scale'), schedule: child, factor: fc.oneof(value, child) }),
    fc.record({
      type: fc.constant('warmup'),
      schedule: child,
      warmupSteps: duration,
      initialValue: value,
      shape: fc.constantFrom('linear', 'cosine', 'exponential'),
    }),
    fc.record({ type: fc.constant('offset'), schedule: child, offsetSteps: duration }),
    fc.record({ type: fc.constant('float32'), schedule: child }),
  );
}

/** A native family or a composite, nested up to `depth` composites deep. */
function configArb(depth: number): fc.Arbitrary<Config> {
  if (depth === 0) return anyLeafConfig;
  return fc.oneof(
    { weight: 1, arbitrary: anyLeafConfig },
    { weight: 3, arbitrary: compositeConfig(configArb(depth - 1)) },
  );
}

describe('every valid config gives a finite value >= 0 at every step in [0, 2^53]', () => {
  it('covers every native family', () => {
    const covered = new Set([...leafCases.map((family) => family.type), ...compositeTypes]);
    expect([...covered].sort()).toEqual(
      listFamilies()
        .map((family) => family.type)
        .sort(),
    );
  });

  describe.each(leafCases)('$type', (family) => {
    it(`with extreme options (${LEAF_RUNS} runs)`, () => {
      fc.assert(
        fc.property(
          leafConfig(family),
          fc.array(stepArb, { minLength: 1, maxLength: 8 }),
          (config, steps) => {
            expectFiniteNonNegative(config, fromConfig(config), steps);
          },
        ),
        { seed: SEED, numRuns: LEAF_RUNS },
      );
    });
  });

  it(`composites nested up to three levels (${NESTED_RUNS} runs)`, () => {
    let accepted = 0;
    fc.assert(
      fc.property(configArb(3), fc.array(stepArb, { minLength: 1, maxLength: 8 }), (config, steps) => {
        let schedule: Schedule;
        try {
          schedule = fromConfig(config);
        } catch (error) {
          if (ScheduleConfigError.isInstance(error)) return;
          throw error;
        }
        accepted += 1;
        expectFiniteNonNegative(config, schedule, steps);
      }),
      { seed: SEED, numRuns: NESTED_RUNS },
    );
    expect(accepted).toBeGreaterThanOrEqual(MIN_ACCEPTED_SHARE * NESTED_RUNS);
  });
});
