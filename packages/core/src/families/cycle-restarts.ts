import { defineFamily } from '../family';
import type { IssueCollector } from '../validate';
import { restartPhases } from './cosine-restarts';
import { log as correctlyRoundedLog } from './python-math';
import { approximateLog2, CycleTable, interpolationSpan, Powers } from './shared';

export type CycleShape = 'cosine' | 'tanh' | 'polynomial';

export interface CycleRestartsOptions {
  /** Peak of the first cycle (its value at the cycle's first step). */
  readonly peakValue: number;
  /**
   * Floor every cycle falls towards, and the value after cycleLimit cycles (at most peakValue). Default 0.
   */
  readonly minValue?: number;
  /** Length of the first cycle. */
  readonly firstCycleSteps: number;
  /** Each cycle is this many times longer than the one before. Default 1. */
  readonly cycleLengthFactor?: number;
  /**
   * Multiplier per cycle, applied to the peak or to its height above the floor (see decayTarget). Default 1.
   */
  readonly peakDecayFactor?: number;
  /** What peakDecayFactor scales: the peak itself or the height above the floor. Default `'peak'`. */
  readonly decayTarget?: 'peak' | 'height';
  /** Number of cycles; from the end of the last one the value is minValue (absent: unlimited). */
  readonly cycleLimit?: number;
  /** Curve within a cycle. Default `'cosine'`. */
  readonly shape?: CycleShape;
  /**
   * Exponent k on the cycle position: the curve sees s^k / L^k instead of s / L (cosine and polynomial
   * shapes). Default 1.
   */
  readonly positionExponent?: number;
  /** Exponent of the polynomial shape. Default 1. */
  readonly power?: number;
  /** Argument of tanh at a cycle's start (tanh shape). Default -7. */
  readonly tanhLowerBound?: number;
  /** Argument of tanh at a cycle's end (tanh shape); must exceed tanhLowerBound. Default 3. */
  readonly tanhUpperBound?: number;
  /**
   * How the cycle of step t is found when cycleLengthFactor > 1: exact (the cycle whose span contains t) or
   * logarithm (⌊log(1 + (t/L)(f − 1)) / log f⌋ in float64, as PyTorch, Keras and timm compute it, including
   * where that rounds down at a restart). Default `'exact'`.
   */
  readonly cycleIndex?: 'exact' | 'logarithm';
}

type CycleRestartsResolved = Required<Omit<CycleRestartsOptions, 'cycleLimit'>> & {
  readonly cycleLimit?: number;
};

/**
 * Restart cycles (SGDR and its relatives) with a choice of curve inside each cycle.
 *
 * With P = peakValue, b = minValue, L = firstCycleSteps, f = cycleLengthFactor, d = peakDecayFactor,
 * n = cycleLimit, k = positionExponent and t the step:
 *
 *   cycle i (0-based) starts at Sᵢ = L (fⁱ − 1) / (f − 1) (i L when f = 1) and lasts Lᵢ = L fⁱ;
 *   s = t − Sᵢ, r = s^k / Lᵢ^k (for tanh: r = s / Lᵢ)
 *   peak of cycle i: Pᵢ = P dⁱ (decayTarget 'peak'), or b + (P − b) dⁱ (decayTarget 'height')
 *
 * - cosine:      lr = b + (Pᵢ − b) (1 + cos(π r)) / 2
 * - polynomial:  lr = b + (Pᵢ − b) (1 − r)^power
 * - tanh:        lr = b + (Pᵢ − b) (1 − tanh(l (1 − r) + u r)) / 2, l = tanhLowerBound, u = tanhUpperBound
 * - i >= n:      lr = b
 *
 * With decayTarget 'peak', a peak decayed below the floor makes that cycle run from Pᵢ up towards b
 * (timm does the same); values always stay within [0, max(P, b)].
 *
 * With `cycleIndex: 'logarithm'` and f > 1, i = ⌊log(1 + (t/L)(f − 1)) / log f⌋ evaluated in
 * float64 exactly as Python's `math.log(x, f)`; at some restarts this rounds down (log(243)/log(3) =
 * 4.999…), and the step then ends the previous cycle (r = 1) instead of starting the next one — the
 * value PyTorch, Keras and timm produce there.
 *
 * Worked example: `cycleRestarts({ peakValue: 0.1, firstCycleSteps: 10, cycleLengthFactor: 2 })(20)`:
 * cycle 1 spans [10, 30), s = 10, r = 0.5, lr = 0.1 · (1 + cos(π/2)) / 2 = 0.05.
 *
 * Elsewhere: timm `CosineLRScheduler` / `TanhLRScheduler` / `PolyLRScheduler` (t_initial, cycle_mul,
 * cycle_decay, cycle_limit, k_decay, power, lb, ub; decayTarget 'peak'); Keras `CosineDecayRestarts`
 * (m_mul scales the height: decayTarget 'height'); PyTorch `CosineAnnealingWarmRestarts` stepped with
 * explicit epochs (cycleIndex 'logarithm').
 *
 * Why not `cosineRestarts`: that is the plain SGDR (a warm-up per cycle, the height above the floor
 * decaying, restarts found exactly); this family carries what the libraries do beyond it (other
 * shapes, a decaying peak, `k_decay`, the Python-rounded cycle index) so that their values come out
 * bit-close, without loading the general family with options that only copy library quirks.
 *
 * A `peakDecayFactor` d > 1 grows the peak every cycle, to Infinity in float64 after enough cycles
 * (timm's `cycle_decay` > 1 does). The schedule is only built when the peak of the last cycle any
 * finite step reaches stays finite: cycle n − 1 with `cycleLimit` n; without it, cycle
 * ⌊MAX_VALUE / L⌋ (f = 1) or the cycle of step Number.MAX_VALUE plus one (f > 1, so a slowly growing
 * peak in lengthening cycles, Keras `CosineDecayRestarts` with `m_mul` 1.1 and `t_mul` 2, is kept).
 *
 * Throws `ScheduleConfigError` for negative or non-finite values, `firstCycleSteps` <= 0,
 * `cycleLengthFactor` < 1, `peakDecayFactor` <= 0, a `cycleLimit` that is not a positive integer,
 * `minValue` above `peakValue`, `tanhUpperBound` <= `tanhLowerBound`, or a `peakDecayFactor` > 1
 * whose peak would overflow (the message names the largest `cycleLimit` that keeps it finite).
 */
export const cycleRestarts = defineFamily<CycleRestartsOptions, CycleRestartsResolved>({
  type: 'cycleRestarts',
  summary:
    'Restart cycles (cosine, tanh or polynomial) from a peak to a floor, each cycle longer by a factor, the peak decaying per cycle.',
  options: {
    peakValue: {
      kind: 'number',
      min: 0,
      description: "Peak of the first cycle (its value at the cycle's first step).",
    },
    minValue: {
      kind: 'number',
      min: 0,
      default: 0,
      description:
        'Floor every cycle falls towards, and the value after cycleLimit cycles (at most peakValue).',
    },
    firstCycleSteps: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      description: 'Length of the first cycle.',
    },
    cycleLengthFactor: {
      kind: 'number',
      min: 1,
      default: 1,
      description: 'Each cycle is this many times longer than the one before.',
    },
    peakDecayFactor: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      default: 1,
      description:
        'Multiplier per cycle, applied to the peak or to its height above the floor (see decayTarget).',
    },
    decayTarget: {
      kind: 'enum',
      values: ['peak', 'height'],
      default: 'peak',
      description: 'What peakDecayFactor scales: the peak itself or the height above the floor.',
    },
    cycleLimit: {
      kind: 'number',
      integer: true,
      min: 1,
      optional: true,
      description:
        'Number of cycles; from the end of the last one the value is minValue (absent: unlimited).',
    },
    shape: {
      kind: 'enum',
      values: ['cosine', 'tanh', 'polynomial'],
      default: 'cosine',
      description: 'Curve within a cycle.',
    },
    positionExponent: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      default: 1,
      description:
        'Exponent k on the cycle position: the curve sees s^k / L^k instead of s / L (cosine and polynomial shapes).',
    },
    power: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      default: 1,
      description: 'Exponent of the polynomial shape.',
    },
    tanhLowerBound: {
      kind: 'number',
      default: -7,
      description: "Argument of tanh at a cycle's start (tanh shape).",
    },
    tanhUpperBound: {
      kind: 'number',
      default: 3,
      description: "Argument of tanh at a cycle's end (tanh shape); must exceed tanhLowerBound.",
    },
    cycleIndex: {
      kind: 'enum',
      values: ['exact', 'logarithm'],
      default: 'exact',
      description:
        'How the cycle of step t is found when cycleLengthFactor > 1: exact (the cycle whose span contains t) or logarithm (⌊log(1 + (t/L)(f − 1)) / log f⌋ in float64, as PyTorch, Keras and timm compute it, including where that rounds down at a restart).',
    },
  },
  check: (o, issues) => {
    if (o.minValue > o.peakValue) {
      issues.addRule(
        'minValue',
        `minValue must not exceed peakValue (${o.peakValue})`,
        `<= ${o.peakValue}`,
        o.minValue,
      );
    }
    if (!(o.tanhUpperBound > o.tanhLowerBound)) {
      issues.addRule(
        'tanhUpperBound',
        `tanhUpperBound must be greater than tanhLowerBound (${o.tanhLowerBound})`,
        `> ${o.tanhLowerBound}`,
        o.tanhUpperBound,
      );
    }
    if (issues.ok) checkPeakGrowth(o, issues);
  },
  build: (o) => {
    const { peakValue, minValue, firstCycleSteps: L, cycleLengthFactor: f, peakDecayFactor: d } = o;
    // No height to scale (P = 0, so b = 0; or P = b with decayTarget 'height') is the floor at every
    // step: the heights would be 0 · dⁱ, NaN where a growing dⁱ overflows.
    if (peakValue === 0 || (o.decayTarget === 'height' && peakValue === minValue)) return () => minValue;
    const { decayTarget, cycleLimit } = o;
    const geometric = f !== 1;
    const exactIndex = o.cycleIndex === 'exact';
    // Correctly rounded, as CPython's math.log (V8's Math.log can be one ulp off, which moves restarts).
    const logF = correctlyRoundedLog(f);
    // fⁱ and dⁱ from tables, bit for bit `f ** i` and `d ** i` (Math.pow costs about five cosines).
    const fPowers = new Powers(f);
    const dPowers = new Powers(d);
    const startOf = (i: number) => (geometric ? (L * (fPowers.whole(i) - 1)) / (f - 1) : L * i);
    const limit = cycleLimit ?? Number.POSITIVE_INFINITY;
    /** Where cycle i starts as timm writes it (t − offset is the position in the cycle). */
    const offsetOf = (i: number) => ((1 - fPowers.whole(i)) / (1 - f)) * L;
    const lengthOf = (i: number) => fPowers.whole(i) * L;
    const heightOf = (i: number) =>
      interpolationSpan(
        minValue,
        decayTarget === 'peak'
          ? peakValue * dPowers.whole(i)
          : minValue + (peakValue - minValue) * dPowers.whole(i),
      );
    const logarithmIndex = (x: number): number => pythonLogIndex(x, logF);
    // Exact placement, for geometric cycles whose computed starts are strictly increasing with a wide
    // margin (L not near the subnormal range, cycles growing by a part per billion at least): the
    // cycle of t < table.end comes from a table of starts Sᵢ and of each cycle's offset, length and
    // height, computed by the formulas above, so every value is the one those formulas give; a
    // guess from an approximate logarithm and a comparison or two find it. The corrections of the
    // logarithm's guess below settle on the same cycle (the one with Sᵢ <= t < Sᵢ₊₁).
    const tabled = geometric && exactIndex && L >= 1e-300 && f >= 1 + 1e-9;
    const table = new CycleTable(tabled ? startOf : () => 0, [offsetOf, lengthOf, heightOf], 16);
    const guessScale = (f - 1) / L;
    const inverseLog2F = 1 / Math.log2(f);
    /**
     * Every other step: `locate` reads t from located[0] and leaves the cycle index, the position in
     * the cycle, its length and its height in located[1..4] (a typed array keeps the doubles unboxed
     * across the call).
     */
    const located = new Float64Array(5);
    const locate = (): void => {
      const t = located[0] as number;
      let i: number;
      let s: number;
      if (!geometric) {
        i = Math.floor(t / L);
        s = Math.max(t - L * i, 0);
      } else if (t < table.end || table.cover(t)) {
        i = table.find(t, Math.floor(approximateLog2(1 + t * guessScale) * inverseLog2F));
        s = Math.max(t - (table.data[3 * i] as number), 0);
      } else {
        i = logarithmIndex(1 - (t / L) * (1 - f));
        if (exactIndex && Number.isFinite(i)) {
          // The logarithm is off by at most one cycle at a restart; a few corrections settle it
          // (bounded, since far out consecutive starts can round to the same double).
          for (let n = 0; n < 4 && i > 0 && startOf(i) > t; n++) i--;
          for (let n = 0; n < 4 && startOf(i + 1) <= t; n++) i++;
        }
        // Python: t − (1 − fⁱ) / (1 − f) · L, as timm writes it.
        s = Math.max(t - offsetOf(i), 0);
      }
      located[1] = i;
      located[2] = s;
      located[3] = geometric ? lengthOf(i) : L;
      located[4] = heightOf(i);
    };
    const curve = cycleCurve(o);
    return (t) => {
      let i: number;
      let s: number;
      let length: number;
      let height: number;
      if (t < table.end) {
        // The guess only needs to be close: the table walk makes it exact.
        i = table.find(t, Math.floor(approximateLog2(1 + t * guessScale) * inverseLog2F));
        const row = 3 * i;
        s = Math.max(t - (table.data[row] as number), 0);
        length = table.data[row + 1] as number;
        height = table.data[row + 2] as number;
      } else {
        located[0] = t;
        locate();
        i = located[1] as number;
        s = located[2] as number;
        length = located[3] as number;
        height = located[4] as number;
      }
      if (i >= limit) return minValue;
      // Far out (a cycle index beyond float precision) the position is not representable.
      if (!(Number.isFinite(i) && Number.isFinite(s))) return minValue;
      return curve(s, length, height);
    };
  },
  phases: (o) => restartPhases({ ...o, warmupSteps: 0 }),
});

/**
 * ⌊log(x) / log f⌋ with the logarithm correctly rounded, as Python computes it: from Math.log,
 * within an ulp of it, wherever the quotient is not within 1e-13 of a whole number (where the
 * two could round apart); there, from the correctly rounded logarithm.
 */
function pythonLogIndex(x: number, logF: number): number {
  const y = Math.log(x) / logF;
  const i = Math.floor(y);
  const margin = y * 1e-13;
  return y - i < margin || i + 1 - y < margin ? Math.floor(correctlyRoundedLog(x) / logF) : i;
}

/**
 * The curve inside a cycle, chosen once from the shape: its value at position s of a cycle of the
 * given length and height (a small function per shape keeps the evaluation small enough for V8 to
 * inline into the caller's loop). Each is b + height · w with a weight w in [0, 1] (shared.ts), so
 * a negative height (a peak decayed below the floor) never takes the value below 0: `0.5 · height`
 * first would round a subnormal height away from 0, past −b.
 */
function cycleCurve(o: CycleRestartsResolved): (s: number, length: number, height: number) => number {
  const { minValue, shape, positionExponent: k, power, tanhLowerBound: lb, tanhUpperBound: ub } = o;
  /** Position r in [0, 1] of s in a cycle of the given length (with the exponent k). */
  const positionOf = (s: number, length: number): number => {
    let r = k === 1 ? s / length : s ** k / length ** k;
    // timm's t_curr^k / t_i^k, unless a power overflows; then the equal (s / L)^k.
    if (!Number.isFinite(r)) r = (s / length) ** k;
    // NaN (0 / 0 in a zero-length cycle) counts as the end of the cycle, as before.
    if (!(r <= 1)) r = 1;
    return r;
  };
  if (shape === 'tanh') {
    return (s, length, height) => {
      // Rounding can put s a hair past the cycle's length; the position never exceeds its end.
      const r = Math.min(s / length, 1);
      return minValue + height * (0.5 * (1 - Math.tanh(lb * (1 - r) + ub * r)));
    };
  }
  if (shape === 'polynomial')
    return (s, length, height) => minValue + height * (1 - positionOf(s, length)) ** power;
  return (s, length, height) => minValue + height * (0.5 * (1 + Math.cos(Math.PI * positionOf(s, length))));
}

/** What decides whether a growing peak overflows (the options of a cycleRestarts config). */
export type PeakGrowth = Pick<
  CycleRestartsResolved,
  | 'peakValue'
  | 'minValue'
  | 'peakDecayFactor'
  | 'decayTarget'
  | 'firstCycleSteps'
  | 'cycleLengthFactor'
  | 'cycleLimit'
>;

/**
 * The largest value a valid cycleRestarts config takes at a finite step: the first peak (every value
 * lies within [0, max(P, b)] and b <= P), or with a growing peak (d > 1) the peak of the last
 * cycle a finite step reaches.
 */
export function cycleRestartsSupremum(o: PeakGrowth): number {
  return peakGrows(o) ? peakOf(o, lastCycleReached(o)) : o.peakValue;
}

/** Whether the peak grows from cycle to cycle: d > 1 and something to grow (a zero height stays 0). */
function peakGrows(o: PeakGrowth): boolean {
  const scaled = o.decayTarget === 'peak' ? o.peakValue : o.peakValue - o.minValue;
  return o.peakDecayFactor > 1 && scaled > 0;
}

/** The peak of cycle i, as `build` computes it: P dⁱ, or b + (P − b) dⁱ with decayTarget 'height'. */
function peakOf(o: PeakGrowth, i: number): number {
  const growth = o.peakDecayFactor ** i;
  return o.decayTarget === 'peak' ? o.peakValue * growth : o.minValue + (o.peakValue - o.minValue) * growth;
}

/**
 * The last cycle a finite step reaches: n − 1 with a cycle limit n; else the cycle of
 * Number.MAX_VALUE, ⌊MAX_VALUE / L⌋ for equal cycles (Infinity when that overflows), or
 * ⌊log(1 + (MAX_VALUE / L)(f − 1)) / log f⌋ + 1 for growing ones (one more for the rounding of
 * the logarithm, and of the cycle index a step gets in float64).
 */
function lastCycleReached(o: PeakGrowth): number {
  if (o.cycleLimit !== undefined) return o.cycleLimit - 1;
  const L = o.firstCycleSteps;
  const f = o.cycleLengthFactor;
  if (f === 1) return Math.floor(Number.MAX_VALUE / L);
  const u = (Number.MAX_VALUE / L) * (f - 1);
  const logOnePlusU = u < 1e300 ? Math.log1p(u) : Math.log(Number.MAX_VALUE) - Math.log(L) + Math.log(f - 1);
  return Math.floor(logOnePlusU / Math.log(f)) + 1;
}

/**
 * The first cycle whose peak is not a finite double (peakValue > 0, peakDecayFactor > 1): from an
 * estimate by logarithms, settled on the peaks `build` computes.
 */
function firstOverflowingCycle(o: PeakGrowth): number {
  const scale = o.decayTarget === 'peak' ? o.peakValue : o.peakValue - o.minValue;
  let i = Math.max(
    0,
    Math.floor((Math.log(Number.MAX_VALUE) - Math.log(scale)) / Math.log(o.peakDecayFactor)),
  );
  for (let n = 0; n < 64 && peakOf(o, i) <= Number.MAX_VALUE; n++) i++;
  for (let n = 0; n < 64 && i > 0 && !(peakOf(o, i - 1) <= Number.MAX_VALUE); n++) i--;
  return i;
}

/**
 * Where a growing peak (peakDecayFactor > 1) overflows: the first cycle whose peak exceeds
 * Number.MAX_VALUE, and the last cycle a finite step reaches, when that one is at or past it
 * (`undefined` when every peak the schedule reaches is finite). The reference layer words the same
 * rule in each library's parameters.
 */
export function peakOverflow(
  o: PeakGrowth,
): { readonly cycle: number; readonly lastReached: number } | undefined {
  if (!peakGrows(o)) return undefined;
  const lastReached = lastCycleReached(o);
  if (lastReached < Number.POSITIVE_INFINITY && peakOf(o, lastReached) <= Number.MAX_VALUE) return undefined;
  return { cycle: firstOverflowingCycle(o), lastReached };
}

/** Records an issue when a growing peak overflows: it names the largest cycleLimit that keeps every peak finite. */
function checkPeakGrowth(o: CycleRestartsResolved, issues: IssueCollector): void {
  const overflow = peakOverflow(o);
  if (!overflow) return;
  const reach =
    o.cycleLimit === undefined
      ? `; without cycleLimit the cycles run on up to step Number.MAX_VALUE, about cycle ${overflow.lastReached}`
      : '';
  issues.addRule(
    'cycleLimit',
    `cycleLimit must be at most ${overflow.cycle} when peakDecayFactor is ${o.peakDecayFactor} (> 1: the peak grows every cycle and exceeds Number.MAX_VALUE from cycle ${overflow.cycle} on${reach})`,
    `an integer in [1, ${overflow.cycle}]`,
    o.cycleLimit,
  );
}
