import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScheduleConfigError } from '../errors';
import { constant, cosineDecay, linear } from '../families/index';
import { log, numpyCosFloat32 } from '../families/python-math';
import { cycleRestarts, float32, float32WarmupCosineDecay, offset } from '../index';

function expectClose(actual: number, expected: number, context = ''): void {
  const error = Math.abs(actual - expected);
  if (!(error <= Math.max(1e-12 * Math.abs(expected), 1e-15))) {
    expect.fail(`${context} expected ${expected}, received ${actual}`);
  }
}

function messagesOf(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    if (ScheduleConfigError.isInstance(error)) return error.issues.map((issue) => issue.message);
    throw error;
  }
  return expect.fail('expected a ScheduleConfigError');
}

describe('python-math', () => {
  it('log is correctly rounded where V8 Math.log is not (values from CPython math.log)', () => {
    const cases: [number, number][] = [
      [3, 1.0986122886681098],
      [243, 5.493061443340548],
      [10, Math.LN10],
      [1.5, 0.4054651081081644],
      [7.25, 1.9810014688665833],
      [1e-5, -11.512925464970229],
      [123456.789, 11.723646487185881],
    ];
    for (const [x, expected] of cases) expect(log(x)).toBe(expected);
    // math.log(243, 3) and math.log(1000, 10) round below the integer in CPython.
    expect(log(243) / log(3)).toBe(4.999999999999999);
    expect(log(1000) / log(10)).toBe(2.9999999999999996);
  });

  it('log agrees with Math.log to within one ulp and follows it at the edges', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), (x) => {
        const a = log(x);
        const b = Math.log(x);
        return Math.abs(a - b) <= 2 * Number.EPSILON * Math.max(Math.abs(b), Number.MIN_VALUE);
      }),
    );
    expect(log(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(log(-1))).toBe(true);
    expect(log(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });

  it('numpyCosFloat32 reproduces NumPy float32 cos, including where it is not correctly rounded', () => {
    const cases: [number, number][] = [
      [0, 1],
      [0.10000000149011612, 0.9950041770935059],
      [1.5707963705062866, -4.371138828673793e-8],
      [3.1415927410125732, -1],
      [0.7853981852531433, 0.7071067690849304],
      // NumPy's kernel is one ulp off the correctly rounded float32 cosine at these inputs.
      [2.000305414199829, -0.4164245128631592],
      [2.5506222248077393, -0.8304003477096558],
      [0.8909619450569153, 0.6286641955375671],
      [1.9601267576217651, -0.37956902384757996],
      [1.6313306093215942, -0.06049732118844986],
    ];
    for (const [x, expected] of cases) expect(numpyCosFloat32(x)).toBe(expected);
  });

  it('numpyCosFloat32 stays within 2 float32 ulps of the true cosine', () => {
    fc.assert(
      fc.property(fc.float({ min: 0, max: 100, noNaN: true }), (x) => {
        const exact = Math.cos(x);
        return Math.abs(numpyCosFloat32(x) - exact) <= 2 * 2 ** -24 * Math.max(Math.abs(exact), 2 ** -24);
      }),
    );
  });
});

describe('offset', () => {
  it('reads the schedule ahead', () => {
    const inner = linear({ initialValue: 1, finalValue: 0, transitionSteps: 10 });
    const s = offset({ schedule: inner, offsetSteps: 5 });
    for (let t = 0; t < 20; t += 0.5) expect(s(t)).toBe(inner(t + 5));
    expect(s.phases.map((phase) => phase.name)).toEqual(['transition', 'final']);
  });

  it('rejects a negative offset', () => {
    expect(messagesOf(() => offset({ schedule: constant({ value: 1 }), offsetSteps: -1 }))).toEqual([
      'offset: offsetSteps must be a finite number >= 0; received -1.',
    ]);
  });
});

describe('cycleRestarts', () => {
  it('cosine cycles with growing length and decaying peak (timm CosineLRScheduler form)', () => {
    const s = cycleRestarts({
      peakValue: 0.1,
      minValue: 0.001,
      firstCycleSteps: 10,
      cycleLengthFactor: 2,
      peakDecayFactor: 0.5,
    });
    const closed = (t: number) => {
      let start = 0;
      let length = 10;
      let i = 0;
      while (t >= start + length) {
        start += length;
        length *= 2;
        i += 1;
      }
      const peak = 0.1 * 0.5 ** i;
      return 0.001 + 0.5 * (peak - 0.001) * (1 + Math.cos((Math.PI * (t - start)) / length));
    };
    for (let t = 0; t <= 150; t += 1) expectClose(s(t), closed(t), `step ${t}`);
    expect(s(10)).toBe(0.05);
  });

  it('decayTarget height keeps the floor unscaled (Keras CosineDecayRestarts)', () => {
    const s = cycleRestarts({
      peakValue: 1,
      minValue: 0.1,
      firstCycleSteps: 4,
      peakDecayFactor: 0.5,
      decayTarget: 'height',
    });
    expectClose(s(4), 0.1 + 0.9 * 0.5);
    expectClose(s(8), 0.1 + 0.9 * 0.25);
  });

  it('tanh and polynomial shapes, positionExponent and cycleLimit', () => {
    const tanh = cycleRestarts({ peakValue: 1, firstCycleSteps: 10, shape: 'tanh', cycleLimit: 1 });
    for (let t = 0; t < 10; t += 1) {
      const r = t / 10;
      expectClose(tanh(t), 0.5 * (1 - Math.tanh(-7 * (1 - r) + 3 * r)), `tanh ${t}`);
    }
    expect(tanh(10)).toBe(0);
    const poly = cycleRestarts({
      peakValue: 2,
      minValue: 0.5,
      firstCycleSteps: 8,
      shape: 'polynomial',
      power: 2,
      positionExponent: 0.5,
    });
    for (let t = 0; t < 16; t += 1) {
      const s = t % 8;
      expectClose(poly(t), 0.5 + 1.5 * (1 - s ** 0.5 / 8 ** 0.5) ** 2, `poly ${t}`);
    }
  });

  it('cycleIndex logarithm reproduces the rounding of ⌊log(x) / log(f)⌋ that exact placement avoids', () => {
    const options = { peakValue: 0.1, firstCycleSteps: 1, cycleLengthFactor: 3 };
    const exact = cycleRestarts({ ...options, cycleIndex: 'exact' });
    const logarithm = cycleRestarts({ ...options, cycleIndex: 'logarithm' });
    // Restart at 1 + 3 + 9 + 27 + 81 = 121: log(243) / log(3) = 4.999... puts step 121 at the end of cycle 4.
    expect(exact(121)).toBe(0.1);
    expect(logarithm(121)).toBe(0);
    for (const t of [0, 1, 4, 13, 40, 100, 122]) expect(logarithm(t)).toBe(exact(t));
  });

  it('finds the same cycles past the first 4096, where its table of cycle starts ends', () => {
    const [P, b, L, f, d] = [0.1, 0.001, 1, 1.001, 0.9999];
    const start = (i: number) => (L * (f ** i - 1)) / (f - 1);
    const expected = (t: number) => {
      let i = 0;
      while (start(i + 1) <= t) i += 1;
      const length = f ** i * L;
      const r = (t - ((1 - f ** i) / (1 - f)) * L) / length;
      return b + 0.5 * (P * d ** i - b) * (1 + Math.cos(Math.PI * r));
    };
    const s = cycleRestarts({
      peakValue: P,
      minValue: b,
      firstCycleSteps: L,
      cycleLengthFactor: f,
      peakDecayFactor: d,
    });
    for (const i of [4000, 4095, 4096, 4097, 5000]) {
      for (const offset of [0, 0.3, 0.9]) {
        const t = start(i) + offset * f ** i * L;
        expectClose(s(t), expected(t), `cycle ${i}, step ${t}`);
      }
    }
  });

  it('is bounded by the floor and the first peak', () => {
    const s = cycleRestarts({
      peakValue: 0.3,
      minValue: 0.01,
      firstCycleSteps: 7,
      cycleLengthFactor: 1.5,
      peakDecayFactor: 0.9,
    });
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (t) => {
        const v = s(t);
        return v >= 0.01 && v <= 0.3;
      }),
    );
  });

  it('rejects invalid options, listing every issue', () => {
    expect(
      messagesOf(() =>
        cycleRestarts({
          peakValue: 0.1,
          minValue: 0.2,
          firstCycleSteps: 0,
          cycleLengthFactor: 0.5,
          tanhLowerBound: 3,
        }),
      ),
    ).toEqual([
      'cycleRestarts: firstCycleSteps must be a finite number > 0; received 0.',
      'cycleRestarts: cycleLengthFactor must be a finite number >= 1; received 0.5.',
    ]);
    expect(
      messagesOf(() =>
        cycleRestarts({ peakValue: 0.1, minValue: 0.2, firstCycleSteps: 5, tanhLowerBound: 3 }),
      ),
    ).toEqual([
      'cycleRestarts: minValue must not exceed peakValue (0.1); received 0.2.',
      'cycleRestarts: tanhUpperBound must be greater than tanhLowerBound (3); received 3.',
    ]);
  });
});

describe('float32', () => {
  it('rounds every value to float32', () => {
    const s = float32({ schedule: linear({ initialValue: 0.1, finalValue: 0.3, transitionSteps: 10 }) });
    for (let t = 0; t <= 12; t += 0.5) {
      const v = s(t);
      expect(v).toBe(Math.fround(v));
      expect(Math.abs(v - (0.1 + 0.02 * Math.min(t, 10)))).toBeLessThanOrEqual(2 ** -24 * 0.3 + 1e-16);
    }
    expect(float32({ schedule: constant({ value: 0.1 }) })(0)).toBe(0.10000000149011612);
  });
});

describe('float32WarmupCosineDecay', () => {
  it('computes in float32 step by step (values from the TensorFlow object-detection function)', () => {
    const s = float32WarmupCosineDecay({
      peakValue: 0.1,
      totalSteps: 100,
      warmupSteps: 10,
      holdSteps: 20,
      initialValue: 0.01,
    });
    expect(s(0)).toBe(0.009999999776482582);
    expect(s(1)).toBe(0.01899999938905239);
    expect(s(10)).toBe(0.10000000149011612);
    expect(s(30)).toBe(0.10000000149011612);
    expect(s(31)).toBe(0.09994965046644211);
    expect(s(101)).toBe(0);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), (t) => {
        const v = s(t);
        return v === Math.fround(v) && v >= 0 && v <= Math.fround(0.1);
      }),
    );
  });

  it('rejects a hold that reaches totalSteps', () => {
    expect(
      messagesOf(() =>
        float32WarmupCosineDecay({ peakValue: 0.1, totalSteps: 10, warmupSteps: 5, holdSteps: 5 }),
      ),
    ).toEqual([
      'float32WarmupCosineDecay: warmupSteps + holdSteps must be less than totalSteps (10); received 10.',
    ]);
  });
});

describe('the compatibility families under random options', () => {
  /** Arithmetic on subnormal learning rates rounds to multiples of Number.MIN_VALUE. */
  const subnormalSlack = 4 * Number.MIN_VALUE;
  const value = fc.double({ min: 0, max: 10, noNaN: true });
  const length = fc.double({ min: Number.MIN_VALUE, max: 1e6, noNaN: true });
  const step = fc.oneof(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 1000 }));

  // A peak decayed below minValue (decayTarget 'peak', as timm) takes the cycle below minValue: the
  // values stay between 0 and the first peak.
  it('cycleRestarts is finite and within [0, peakValue] for every shape and index rule', () => {
    fc.assert(
      fc.property(
        value,
        value,
        length,
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.constantFrom('cosine', 'tanh', 'polynomial'),
        fc.constantFrom('exact', 'logarithm'),
        fc.double({ min: 0.1, max: 4, noNaN: true }),
        step,
        (a, b, first, factor, decay, shape, cycleIndex, k, t) => {
          const [lo, hi] = a < b ? [a, b] : [b, a];
          const v = cycleRestarts({
            peakValue: hi,
            minValue: lo,
            firstCycleSteps: first,
            cycleLengthFactor: factor,
            peakDecayFactor: decay,
            shape: shape as 'cosine' | 'tanh' | 'polynomial',
            cycleIndex: cycleIndex as 'exact' | 'logarithm',
            positionExponent: k,
            power: k,
          })(t);
          return Number.isFinite(v) && v >= -subnormalSlack && v <= hi + 1e-12 * hi + subnormalSlack;
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("offset never leaves the inner schedule's range", () => {
    fc.assert(
      fc.property(length, step, (shift, t) => {
        const v = offset({
          schedule: cosineDecay({ initialValue: 1, decaySteps: 3, periodic: true }),
          offsetSteps: shift,
        })(t);
        return Number.isFinite(v) && v >= 0 && v <= 1;
      }),
      { numRuns: 1000 },
    );
  });
});
