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
