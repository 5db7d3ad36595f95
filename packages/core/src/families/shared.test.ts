import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  approximateLog2,
  CycleTable,
  exactQuotientLimit,
  interpolationSpan,
  Powers,
  remainder,
} from './shared';

const RUNS = Number(process.env.ANNEAL_PROPERTY_RUNS ?? 10_000);

/** |a − b| <= ulps · 2⁻⁵² · |b| (an ulp of b is at most 2⁻⁵² · |b|). */
function withinUlps(a: number, b: number, ulps: number): boolean {
  return Math.abs(a - b) <= ulps * Number.EPSILON * Math.abs(b);
}

const baseArb = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.double({ min: 1, max: 10, noNaN: true }),
  fc.constantFrom(0, 0.5, 0.96, 1, 2, Number.MIN_VALUE, 1 - Number.EPSILON / 2, 1 + Number.EPSILON),
);
const wholeArb = fc.oneof(
  fc.integer({ min: 0, max: 40 }),
  fc.integer({ min: 0, max: 5000 }),
  fc.constantFrom(4095, 4096, 1e9, 2 ** 53, 1e300, Number.POSITIVE_INFINITY),
);

describe('Powers', () => {
  it(`whole(n) is base ** n bit for bit, in any order of n, table or not (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(baseArb, fc.array(wholeArb, { minLength: 1, maxLength: 10 }), (base, exponents) => {
        const powers = new Powers(base);
        for (const n of exponents) {
          if (!Object.is(powers.whole(n), base ** n))
            throw new Error(`${base} ** ${n}: ${powers.whole(n)} vs ${base ** n}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it(`real(p) is base ** p exactly at whole p below 4096, and within 2 (2 + |ln base|) ulps elsewhere (${RUNS} runs)`, () => {
    const positiveBase = fc.oneof(
      fc.double({ min: 1e-300, max: 1, noNaN: true }),
      fc.double({ min: 1, max: 10, noNaN: true }),
      fc.constantFrom(0.5, 0.96, 0.9999, 1, 1.5),
    );
    const exponent = fc.oneof(
      fc.double({ min: 0, max: 40, noNaN: true }),
      fc.double({ min: 0, max: 4095, noNaN: true }),
      fc.integer({ min: 0, max: 4095 }),
    );
    fc.assert(
      fc.property(positiveBase, exponent, (base, p) => {
        const value = new Powers(base).real(p);
        const expected = base ** p;
        if (Number.isInteger(p)) return Object.is(value, expected);
        // Where base ** p underflows (subnormal or 0), both are within a few subnormal steps; where it
        // overflows, both are huge.
        if (expected < 2 ** -1022) return Math.abs(value - expected) <= 1e-300;
        if (expected === Number.POSITIVE_INFINITY) return value > 1e300;
        return withinUlps(value, expected, 2 * (2 + Math.abs(Math.log(base))));
      }),
      { numRuns: RUNS },
    );
  });

  it('real(p) past the table is e^(p ln base), within 2 (2 + |p ln base|) ulps of base ** p', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 1, noNaN: true }),
        fc.double({ min: 4096, max: 1e7, noNaN: true }),
        (base, p) => {
          const value = new Powers(base).real(p);
          const expected = base ** p;
          if (expected < 2 ** -1022) return Math.abs(value - expected) <= 1e-300;
          return withinUlps(value, expected, 2 * (2 + Math.abs(p * Math.log(base))));
        },
      ),
      { numRuns: 2000 },
    );
    expect(new Powers(0.5).real(Number.POSITIVE_INFINITY)).toBe(0);
    expect(new Powers(2).real(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(new Powers(0.5).real(1e6)).toBe(0);
    // A whole p is exact: every staircase value of exponentialDecay is what ** gives.
    expect(new Powers(0.96).real(37)).toBe(0.96 ** 37);
  });
});

describe('remainder', () => {
  const divisorArb = fc.oneof(
    fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true }),
    fc.double({ min: 1e-3, max: 1e4, noNaN: true }),
    fc.integer({ min: 1, max: 10_000 }),
    fc.constantFrom(1 / 3, 0.1, 3, 7, 1000, Number.MIN_VALUE, 2 ** 1000, Number.MAX_VALUE),
  );
  const stepArb = fc.oneof(
    fc.double({ min: 0, max: 1e9, noNaN: true }),
    fc.integer({ min: 0, max: 1_000_000 }),
    fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true }),
    fc.constantFrom(0, 2 ** 53, Number.MAX_VALUE),
  );

  it(`is t % c bit for bit, also just below and at multiples of c (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(divisorArb, stepArb, fc.integer({ min: 0, max: 2 ** 40 }), (c, t, k) => {
        const limit = exactQuotientLimit(c);
        // t itself, exact multiples of c, and the doubles either side of them (where t / c rounds
        // onto the next whole number and the subtraction goes negative).
        const multiple = k * c;
        const candidates = [
          t,
          multiple,
          multiple * (1 - Number.EPSILON / 2),
          multiple * (1 + Number.EPSILON),
        ];
        for (const step of candidates) {
          if (!(step >= 0 && step < Number.POSITIVE_INFINITY)) continue;
          const r = remainder(step, c, limit);
          if (!Object.is(r, step % c)) throw new Error(`${step} % ${c}: ${r} vs ${step % c}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('exactQuotientLimit is 2⁵³ over the odd part of the significand', () => {
    expect(exactQuotientLimit(1000)).toBe(Math.floor(2 ** 53 / 125));
    expect(exactQuotientLimit(0.5)).toBe(2 ** 53);
    expect(exactQuotientLimit(3)).toBe(Math.floor(2 ** 53 / 3));
    expect(exactQuotientLimit(0.75)).toBe(Math.floor(2 ** 53 / 3));
    expect(exactQuotientLimit(Number.MIN_VALUE)).toBe(2 ** 53);
    expect(exactQuotientLimit(2 ** 1000)).toBe(2 ** 53);
    // 0.1 = 3602879701896397 · 2⁻⁵⁵: only a quotient of 2 keeps q · 0.1 exact.
    expect(exactQuotientLimit(0.1)).toBe(2);
  });
});

describe('CycleTable', () => {
  const startOf = (i: number) => 10 * (2 ** i - 1); // cycles of 10, 20, 40, ...

  it('finds the cycle of a step from any guess, with every column computed once per cycle', () => {
    const calls: number[] = [];
    const table = new CycleTable(
      startOf,
      [
        (i) => {
          calls.push(i);
          return 10 * 2 ** i;
        },
      ],
      4,
    );
    expect(table.count).toBe(4);
    expect(table.end).toBe(150);
    expect([...table.starts]).toEqual([0, 10, 30, 70, 150]);
    expect([...table.data]).toEqual([10, 20, 40, 80]);
    for (const [t, cycle] of [
      [0, 0],
      [9.999, 0],
      [10, 1],
      [29.5, 1],
      [30, 2],
      [149.99, 3],
    ] as const) {
      for (const guess of [0, 1, 2, 3, 7, Number.POSITIVE_INFINITY]) expect(table.find(t, guess)).toBe(cycle);
    }
    expect(calls).toEqual([0, 1, 2, 3]);
  });

  it('grows on demand up to 4096 cycles, and stops where the starts stop increasing', () => {
    const table = new CycleTable(startOf, [], 2);
    expect(table.cover(1000)).toBe(true);
    expect(table.count).toBe(8);
    expect(table.find(1000, 0)).toBe(6);
    // 2^i overflows past i = 1023: the table ends at the last finite start.
    expect(table.cover(Number.MAX_VALUE)).toBe(false);
    expect(table.complete).toBe(true);
    expect(table.count).toBe(1020); // 10 · (2^1021 − 1) overflows
    expect(table.find(1e300, 0)).toBe(Math.floor(Math.log2(1e300 / 10 + 1)));

    const linearStarts = new CycleTable((i) => i, [], 16);
    expect(linearStarts.cover(1e9)).toBe(false);
    expect(linearStarts.count).toBe(4096);
    expect(linearStarts.find(4095.5, 0)).toBe(4095);

    // A start that rounds onto the previous one ends the table there.
    const flat = new CycleTable((i) => Math.min(i, 3), [], 16);
    expect(flat.count).toBe(3);
    expect(flat.complete).toBe(true);
    expect(flat.cover(2.5)).toBe(true);
    expect(flat.cover(3)).toBe(false);
  });
});

describe('approximateLog2', () => {
  it(`is within 0.01 of log2 for x >= 1 (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: 1, max: 2, noNaN: true }),
          fc.double({ min: 1, max: Number.MAX_VALUE, noNaN: true }),
        ),
        (x) => Math.abs(approximateLog2(x) - Math.log2(x)) <= 0.01,
      ),
      { numRuns: RUNS },
    );
    expect(approximateLog2(1)).toBe(0);
    expect(approximateLog2(1024)).toBe(10);
  });
});

describe('interpolationSpan', () => {
  it('is other − anchor bit for bit wherever anchor + (other − anchor) stays finite', () => {
    for (const [anchor, other] of [
      [0.04, 0.4],
      [0.4, 0.04],
      [0, Number.MAX_VALUE],
      [1e300, 5e-324],
    ] as const) {
      expect(interpolationSpan(anchor, other)).toBe(other - anchor);
    }
  });

  it('is one ulp less where the sum would round past Number.MAX_VALUE to Infinity', () => {
    const anchor = 5.005544691764651e306;
    expect(anchor + (Number.MAX_VALUE - anchor)).toBe(Number.POSITIVE_INFINITY);
    const span = interpolationSpan(anchor, Number.MAX_VALUE);
    expect(span).toBe(Number.MAX_VALUE - anchor - 2 ** 971);
    for (const w of [1, 1 - 2 ** -53, 0.5]) expect(anchor + span * w).toBeLessThanOrEqual(Number.MAX_VALUE);
  });
});

describe('exactQuotientLimit and remainder for a period that overflowed', () => {
  it('returns −1 for an infinite period (it looped forever), so that remainder(t) is t', () => {
    const limit = exactQuotientLimit(Number.POSITIVE_INFINITY);
    expect(limit).toBe(-1);
    for (const t of [0, 1.5, 2 ** 53, Number.MAX_VALUE])
      expect(remainder(t, Number.POSITIVE_INFINITY, limit)).toBe(t);
  });
});
