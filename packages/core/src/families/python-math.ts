/**
 * Arithmetic that has to round exactly as the Python libraries do.
 *
 * `Math.log` in V8 is within 1 ulp but not correctly rounded (Math.log(3) is 1.0986122886681096,
 * one ulp below the correctly rounded 1.0986122886681098 that CPython's `math.log` returns with
 * glibc). The cycle index of PyTorch, Keras and timm restarts is ⌊log(x) / log(f)⌋, so one ulp
 * decides whether a step starts a new cycle (PyTorch: log(243, 3) = 4.999999999999999). `log`
 * below is correctly rounded: the logarithm is computed in double-double arithmetic (about 32
 * significant digits) and rounded once.
 */

/** A double-double: the unevaluated sum hi + lo with |lo| <= ulp(hi) / 2. */
interface DoubleDouble {
  readonly hi: number;
  readonly lo: number;
}

function twoSum(a: number, b: number): DoubleDouble {
  const s = a + b;
  const bb = s - a;
  return { hi: s, lo: a - (s - bb) + (b - bb) };
}

const splitter = 134217729; // 2^27 + 1

function twoProduct(a: number, b: number): DoubleDouble {
  const p = a * b;
  const ca = splitter * a;
  const aHi = ca - (ca - a);
  const aLo = a - aHi;
  const cb = splitter * b;
  const bHi = cb - (cb - b);
  const bLo = b - bHi;
  return { hi: p, lo: aHi * bHi - p + aHi * bLo + aLo * bHi + aLo * bLo };
}

function add(x: DoubleDouble, y: DoubleDouble): DoubleDouble {
  const s = twoSum(x.hi, y.hi);
  const t = twoSum(x.lo, y.lo);
  const u = twoSum(s.hi, s.lo + t.hi);
  return twoSum(u.hi, u.lo + t.lo);
}

function multiply(x: DoubleDouble, y: DoubleDouble): DoubleDouble {
  const p = twoProduct(x.hi, y.hi);
  return twoSum(p.hi, p.lo + (x.hi * y.lo + x.lo * y.hi));
}

function divide(x: DoubleDouble, y: DoubleDouble): DoubleDouble {
  const q1 = x.hi / y.hi;
  const r = add(x, multiply({ hi: -q1, lo: 0 }, y));
  const q2 = r.hi / y.hi;
  const r2 = add(r, multiply({ hi: -q2, lo: 0 }, y));
  const q3 = r2.hi / y.hi;
  return add(twoSum(q1, q2), { hi: q3, lo: 0 });
}

const ln2: DoubleDouble = { hi: Math.LN2, lo: 2.3190468138462996e-17 };
const terms = 24;
/** 1 / (2n + 1) as double-doubles, n = 0..terms. */
const reciprocals: DoubleDouble[] = Array.from({ length: terms + 1 }, (_, n) =>
  divide({ hi: 1, lo: 0 }, { hi: 2 * n + 1, lo: 0 }),
);

/**
 * The natural logarithm of x, correctly rounded (for x > 0; NaN, ±Infinity and 0 follow Math.log).
 *
 * x = 2^k · m with m in [√½, √2); ln x = k ln 2 + 2 atanh(s), s = (m − 1) / (m + 1), |s| < 0.172,
 * with the atanh series summed in double-double to 24 terms (error below 1e-32 relative).
 */
export function log(x: number): number {
  if (!(x > 0) || x === Number.POSITIVE_INFINITY) return Math.log(x);
  let k = Math.floor(Math.log2(x));
  let m = x / 2 ** k;
  // 2 ** k is exact, so m is exact; bring it into [√½, √2).
  if (m >= Math.SQRT2) {
    m /= 2;
    k += 1;
  } else if (m < Math.SQRT1_2) {
    m *= 2;
    k -= 1;
  }
  if (!Number.isFinite(m) || m === 0) return Math.log(x);
  const s = divide({ hi: m - 1, lo: 0 }, twoSum(m, 1));
  const s2 = multiply(s, s);
  let sum = reciprocals[terms] as DoubleDouble;
  for (let n = terms - 1; n >= 0; n--) sum = add(multiply(sum, s2), reciprocals[n] as DoubleDouble);
  const lnM = multiply(multiply(s, sum), { hi: 2, lo: 0 });
  const kLn2 = add(twoProduct(k, ln2.hi), { hi: k * ln2.lo, lo: 0 });
  const total = add(kLn2, lnM);
  return total.hi + total.lo;
}

// ---------------------------------------------------------------------------------------------
// NumPy's float32 cosine

const f = Math.fround;
const hex = (mantissa: number, exponent: number) => f(mantissa * 2 ** exponent);
const twoOverPi = hex(0x145f306, -24 - 1); // 0x1.45f306p-1
const pio2High = -hex(0x1921fb0, -24); // -0x1.921fb0p+00
const pio2Medium = -hex(0x15110b4, -24 - 22); // -0x1.5110b4p-22
const pio2Low = -hex(0x1846988, -24 - 48); // -0x1.846988p-48
const roundMagic = hex(0x1800000, -1); // 0x1.800000p+23
const cos8 = hex(0x198e616, -24 - 16);
const cos6 = -hex(0x16c06dc, -24 - 10);
const cos4 = hex(0x155553c, -24 - 5);
const sin9 = hex(0x17d3bbc, -24 - 19);
const sin7 = -hex(0x1a06bba, -24 - 13);
const sin5 = hex(0x111119a, -24 - 7);
const sin3 = -hex(0x1555556, -24 - 3);
/** Largest |x| NumPy's float32 cosine kernel reduces by Cody-Waite; past it NumPy calls cosf. */
export const CODY_WAITE_LIMIT = 71476.0625;

/**
 * cos(x) for a float32 x, rounded as NumPy's vectorized float32 kernel rounds it (Cody-Waite
 * reduction by π/2 in three float32 parts, then degree-8 cosine / degree-9 sine polynomials with
 * fused multiply-adds; max error 1.49 ulp, so it differs from the correctly rounded float32 cosine
 * in about one input in twenty). Valid for |x| <= 71476.0625 (`CODY_WAITE_LIMIT`, the kernel's fast
 * range): beyond it the reduction falls apart (8.35 at 1e9, Infinity at 1e20), and NumPy calls the C
 * library's cosf for that element instead; its callers do the same with `libraryCosFloat32`.
 */
export function numpyCosFloat32(x: number): number {
  const input = f(x);
  let quadrant = f(input * twoOverPi);
  quadrant = f(quadrant + roundMagic);
  quadrant = f(quadrant - roundMagic);
  // float32 fused multiply-adds written out as f(a * b + c): a·b is exact in float64 for float32
  // operands, then one rounding (two, rarely). Inlined by hand: a helper call per FMA pushed the
  // evaluation loop past V8's inlining budget (numbers boxed on every call).
  let reduced = f(quadrant * pio2High + input);
  reduced = f(quadrant * pio2Medium + reduced);
  reduced = f(quadrant * pio2Low + reduced);
  const square = f(reduced * reduced);
  let cosine = f(cos8 * square + cos6);
  cosine = f(cosine * square + cos4);
  cosine = f(cosine * square - 0.5);
  cosine = f(cosine * square + 1);
  let sine = f(sin9 * square + sin7);
  sine = f(sine * square + sin5);
  sine = f(sine * square + sin3);
  sine = f(sine * square);
  sine = f(sine * reduced + reduced);
  const index = Math.trunc(quadrant) + 1;
  const value = (index & 1) === 0 ? sine : cosine;
  return (index & 2) === 2 ? -value : value;
}

/**
 * cos(x) for a float32 x past NumPy's kernel range, as NumPy computes it there (the C library's
 * cosf): the float64 cosine rounded to float32 (correctly rounded but for a rare double rounding),
 * in [−1, 1]. Out of line, so that the kernel's callers stay small enough to inline.
 */
export function libraryCosFloat32(x: number): number {
  return f(Math.cos(f(x)));
}
