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

/** The largest float32, (2 − 2^-23) · 2^127: `Math.fround` rounds anything from 2^128 − 2^103 up to Infinity. */
export const FLOAT32_MAX = 3.4028234663852886e38;
/** The smallest positive float32, 2^-149: `Math.fround` rounds anything up to 2^-150 down to 0. */
export const FLOAT32_MIN = 1.401298464324817e-45;

/**
 * `other − anchor`, the span of an interpolation anchor + (other − anchor) · w (w in [0, 1], both
 * ends >= 0), bit for bit, except at the very top of the double range: rounding can put
 * anchor + (other − anchor) half an ulp past `other`, and past Number.MAX_VALUE that is Infinity.
 * There (the span is then at least 2^1023, whose ulp is 2^971) the span is one ulp less, so that
 * no weight takes the value past Number.MAX_VALUE: anchor + fl(span · w) <= fl(anchor + span).
 */
export function interpolationSpan(anchor: number, other: number): number {
  const span = other - anchor;
  return anchor + span < Number.POSITIVE_INFINITY ? span : span - 2 ** 971;
}

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

// ---------------------------------------------------------------------------------------------
// Hot-path arithmetic. A schedule is evaluated once per training step, so these helpers replace the
// slow parts of the closed forms (Math.pow ~5 cosines, `%` a C call) with table lookups and plain
// arithmetic that give the same doubles. They allocate nothing once warm (tables grow on first use,
// a handful of times per schedule at most) and are small enough for V8 to inline.

/** Largest table of whole powers kept (entries); past it, powers are computed on every call. */
const POWER_TABLE_LIMIT = 4096;
/** Entries computed when a power table is built. */
const POWER_TABLE_INITIAL = 16;

/**
 * Powers of a fixed base >= 0, from a table of `base ** n` (n = 0, 1, 2, ...) that grows on demand
 * up to 4096 entries.
 *
 * - `whole(n)` is `base ** n` bit for bit, for every whole n >= 0 (past the table, `base ** n`).
 * - `real(p)` is base^p for a real p >= 0 (base > 0): `base ** ⌊p⌋` from the table times
 *   e^((p − ⌊p⌋) · ln base), exactly `base ** p` at every whole p below 4096 and within
 *   2 (2 + |ln base|) ulps of it elsewhere (3 ulps for a base in [0.5, 1]); past the table,
 *   e^(p · ln base), within 2 (2 + |p · ln base|) ulps.
 */
export class Powers {
  private table: Float64Array;
  private readonly base: number;
  private readonly logBase: number;

  constructor(base: number) {
    this.base = base;
    this.logBase = Math.log(base);
    this.table = new Float64Array(0);
    this.grow(POWER_TABLE_INITIAL - 1);
  }

  /** `base ** n` for a whole n >= 0 (Infinity allowed), bit for bit. */
  whole(n: number): number {
    let table = this.table;
    if (!(n < table.length) && n < POWER_TABLE_LIMIT) {
      this.grow(n);
      table = this.table;
    }
    // Both branches stay in float64: a call's result here would make V8 box every table value.
    return n < table.length ? (table[n] as number) : this.base ** n;
  }

  /** base^p for a real p >= 0 (Infinity allowed); `base` must be > 0. */
  real(p: number): number {
    const n = Math.floor(p);
    let table = this.table;
    if (!(n < table.length) && n < POWER_TABLE_LIMIT) {
      this.grow(n);
      table = this.table;
    }
    // p − n is exact (Sterbenz), so a whole p gives the table entry times e^0 = 1 exactly.
    return n < table.length
      ? (table[n] as number) * Math.exp((p - n) * this.logBase)
      : Math.exp(p * this.logBase);
  }

  /** Extends the table (at least doubling it) so that it holds entry n < POWER_TABLE_LIMIT. */
  private grow(n: number): void {
    const old = this.table;
    let size = Math.max(old.length * 2, POWER_TABLE_INITIAL);
    while (size <= n) size *= 2;
    const table = new Float64Array(Math.min(size, POWER_TABLE_LIMIT));
    table.set(old);
    for (let k = old.length; k < table.length; k++) table[k] = this.base ** k;
    this.table = table;
  }
}

/**
 * The largest quotient q for which q · c is exact: c = M · 2^e with M odd, and q · M must stay
 * below 2⁵³. Precomputed for `remainder`. For c = Infinity (a period whose sum overflowed) it is −1,
 * so that `remainder` takes `t % c`, which is t (q · c would be 0 · Infinity = NaN).
 */
export function exactQuotientLimit(c: number): number {
  if (!(c < Number.POSITIVE_INFINITY)) return -1;
  let odd = c;
  while (!Number.isInteger(odd)) odd *= 2; // exact: doubling a double only moves its exponent
  while (odd % 2 === 0) odd /= 2; // exact as well, down to the odd part of the significand
  return Math.floor(2 ** 53 / odd);
}

/**
 * `t % c` for t >= 0 and c > 0, the exact remainder, bit for bit, without the C call behind `%`
 * where one division and a subtraction give the same double: with q = ⌊t / c⌋ <= `limit`
 * (`exactQuotientLimit(c)`), q · c is exact, and so is t − q · c (Sterbenz: q · c / 2 <= t <= 2 q · c
 * for q >= 1). When t / c rounded up onto the next whole number, that difference is negative and
 * one c added back gives the true remainder, which is representable, hence exact.
 */
export function remainder(t: number, c: number, limit: number): number {
  const q = Math.floor(t / c);
  if (!(q <= limit)) return t % c;
  const r = t - q * c;
  return r < 0 ? r + c : r;
}

// The annotations let a bundler drop these when `approximateLog2` is not used (a family that only
// needs `interpolationSpan` keeps nothing else of this module).
/** Scratch for reading the bits of a double (allocated once, with the module). */
const bitsOfDouble = /* @__PURE__ */ new Float64Array(1);
const wordsOfDouble = /* @__PURE__ */ (() => new Uint32Array(bitsOfDouble.buffer))();
/** Index of the word holding the sign, exponent and top of the significand (1 on little-endian hosts). */
const highWord = /* @__PURE__ */ (() => (new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f ? 1 : 0))();

/**
 * log2(x) to within 0.01, for x >= 1 (a guess, not a value: its users correct it exactly). Reads
 * the exponent and the top 20 bits m of the significand, log2(x) ≈ e + m + 0.3466 m (1 − m); about
 * a third of the cost of Math.log.
 */
export function approximateLog2(x: number): number {
  bitsOfDouble[0] = x;
  const word = wordsOfDouble[highWord] as number;
  const m = (word & 0xfffff) / 0x100000;
  return (word >>> 20) - 1023 + m + 0.346607 * m * (1 - m);
}

/** Largest number of cycles a `CycleTable` holds; steps past them are located by formula. */
const CYCLE_TABLE_LIMIT = 4096;

/**
 * Consecutive cycles of a restart schedule: their starts S_0 = 0 < S_1 < ... < S_count and, per
 * cycle, a few numbers the schedule needs (`columns`), each computed once by the family's own
 * formula, so that a lookup gives exactly the double the formula gives. Extended on demand up to
 * 4096 cycles, while the computed starts stay finite and strictly increasing. `find` settles the
 * cycle of a step from a guess, with no division or power on the way.
 */
export class CycleTable {
  /** S_0 .. S_count; S_count is the first start not covered (the end of the table). */
  starts: Float64Array;
  /** Per cycle i, its columns at i · width .. i · width + width − 1. */
  data: Float64Array;
  /** Cycles covered: a step t < end lies in one of cycles 0 .. count − 1. */
  count: number;
  /** starts[count]: the steps below it are covered. */
  end: number;
  /** No more cycles can be added (the limit is reached, or a start is not finite or not increasing). */
  complete: boolean;
  private readonly startOf: (i: number) => number;
  private readonly columns: readonly ((i: number) => number)[];

  constructor(
    startOf: (i: number) => number,
    columns: readonly ((i: number) => number)[],
    initialCount: number,
  ) {
    this.startOf = startOf;
    this.columns = columns;
    this.starts = new Float64Array(1);
    this.data = new Float64Array(0);
    this.count = 0;
    this.end = 0;
    this.complete = false;
    this.extend(initialCount);
  }

  /**
   * The cycle i with starts[i] <= t < starts[i + 1], for 0 <= t < end, walking from `guess` (any
   * number >= 0, Infinity included; a close guess makes it a couple of comparisons).
   */
  find(t: number, guess: number): number {
    const starts = this.starts;
    let i = guess < this.count ? guess : this.count - 1;
    while ((starts[i] as number) > t) i--;
    while ((starts[i + 1] as number) <= t) i++;
    return i;
  }

  /** Extends the table until it covers t, as far as the limit and the starts allow; returns whether it does. */
  cover(t: number): boolean {
    while (!(t < this.end) && !this.complete) this.extend(Math.min(this.count * 2, CYCLE_TABLE_LIMIT));
    return t < this.end;
  }

  /** Grows the table to `count` cycles, fewer where a start is not finite or not increasing. */
  private extend(count: number): void {
    const width = this.columns.length;
    const starts = new Float64Array(count + 1);
    starts.set(this.starts);
    let covered = this.count;
    while (covered < count) {
      const next = this.startOf(covered + 1);
      if (!(next > (starts[covered] as number) && next < Number.POSITIVE_INFINITY)) break;
      covered += 1;
      starts[covered] = next;
    }
    const data = new Float64Array(covered * width);
    data.set(this.data);
    for (let i = this.count; i < covered; i++) {
      for (let column = 0; column < width; column++) {
        data[i * width + column] = (this.columns[column] as (i: number) => number)(i);
      }
    }
    this.complete = covered < count || covered >= CYCLE_TABLE_LIMIT;
    this.starts = covered === count ? starts : starts.slice(0, covered + 1);
    this.data = data;
    this.count = covered;
    this.end = starts[covered] as number;
  }
}
