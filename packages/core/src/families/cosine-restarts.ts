import { defineFamily } from '../family';
import type { Phase } from '../schedule';
import {
  approximateLog2,
  CycleTable,
  cosineWeight,
  exactQuotientLimit,
  interpolationSpan,
  Powers,
  remainder,
  requireAtMost,
} from './shared';

export interface CosineRestartsOptions {
  /** Peak of the first cycle (the start of its cosine). */
  readonly peakValue: number;
  /** Length of the first cycle, warm-up included. */
  readonly firstCycleSteps: number;
  /**
   * Each cycle is this many times longer than the previous one (any real number, not only integers). Default
   * 1.
   */
  readonly cycleLengthFactor?: number;
  /** Each cycle's height above the floor is this many times the previous one's. Default 1. */
  readonly peakDecayFactor?: number;
  /** Floor: the bottom of every cycle and the value after the last one (at most peakValue). Default 0. */
  readonly finalValue?: number;
  /** Number of cycles; after them the learning rate stays at finalValue (absent: unlimited). */
  readonly cycleLimit?: number;
  /**
   * Linear warm-up from the floor to the cycle's peak at the start of every cycle (at most firstCycleSteps).
   * Default 0.
   */
  readonly warmupSteps?: number;
}

type Resolved = Required<Omit<CosineRestartsOptions, 'cycleLimit'>> & { readonly cycleLimit?: number };

/**
 * Cosine annealing with warm restarts (SGDR, Loshchilov & Hutter 2017).
 *
 * With P = peakValue, b = finalValue, L = firstCycleSteps, f = cycleLengthFactor,
 * m = peakDecayFactor, w = warmupSteps, n = cycleLimit and t the step:
 *
 *   cycle i (0-based) starts at Sᵢ = L · (fⁱ − 1) / (f − 1)   (Sᵢ = i · L when f = 1)
 *   and lasts Lᵢ = L · fⁱ; i is the cycle with Sᵢ <= t < Sᵢ₊₁, s = t − Sᵢ its local step;
 *   Aᵢ = (P − b) · mⁱ is its height above the floor.
 *
 * - s < w:    lr = b + Aᵢ · s / w
 * - s >= w:   lr = b + Aᵢ · (1 + cos(π (s − w) / (Lᵢ − w))) / 2
 * - t >= S_n (after n cycles, when `cycleLimit` is set):  lr = b
 *
 * So each cycle starts at its peak b + Aᵢ (or climbs to it over w steps from the floor), falls to
 * the floor along a half cosine and restarts. The cycle index is found in closed form (a
 * logarithm, corrected against Sᵢ so that restarts land exactly on their step), never by
 * accumulating lengths. For speed, the Sᵢ of the first 4096 cycles are kept in a table (the same
 * doubles the formula gives), which an approximate logarithm indexes; no value depends on it.
 *
 * Worked example: `cosineRestarts({ peakValue: 0.1, firstCycleSteps: 10, cycleLengthFactor: 2 })`
 * restarts at steps 10, 30, 70, …; at step 20 (halfway through the second cycle, L₁ = 20) it is
 * 0.1 · (1 + cos(π/2)) / 2 = 0.05.
 *
 * Elsewhere: PyTorch `CosineAnnealingWarmRestarts(T_0, T_mult, eta_min)` (integer T_mult, m = 1);
 * Keras `CosineDecayRestarts(first_decay_steps, t_mul, m_mul, alpha)` with b = alpha · P
 * (m scales the height above the floor, as here); timm `CosineLRScheduler(t_initial, cycle_mul,
 * cycle_decay, cycle_limit, lr_min)` scales the peak itself (equal when b = 0); optax
 * `sgdr_schedule` is a `join` of warm-up cosine cycles.
 *
 * Why `cycleRestarts` also exists: it reproduces timm, Keras and PyTorch (`step(epoch)`) bit-close,
 * with their tanh and polynomial shapes, a decay of the peak itself, `k_decay` and the cycle index
 * rounded as Python's `math.log` rounds it; this family stays the plain SGDR, with a warm-up per
 * cycle and restarts found exactly, rather than growing options that only copy library quirks.
 *
 * Throws `ScheduleConfigError` for negative or non-finite values or durations,
 * `firstCycleSteps` <= 0, `cycleLengthFactor` < 1, `peakDecayFactor` outside [0, 1],
 * `cycleLimit` not a positive integer, `finalValue` above `peakValue`, or `warmupSteps` longer
 * than the first cycle.
 */
export const cosineRestarts = defineFamily<CosineRestartsOptions, Resolved>({
  type: 'cosineRestarts',
  summary:
    'SGDR: cosine cycles from the peak to the floor, each cycleLengthFactor longer, with optional warm-up and decay of the peak.',
  options: {
    peakValue: { kind: 'number', min: 0, description: 'Peak of the first cycle (the start of its cosine).' },
    firstCycleSteps: {
      kind: 'number',
      min: 0,
      minExclusive: true,
      description: 'Length of the first cycle, warm-up included.',
    },
    cycleLengthFactor: {
      kind: 'number',
      min: 1,
      default: 1,
      description:
        'Each cycle is this many times longer than the previous one (any real number, not only integers).',
    },
    peakDecayFactor: {
      kind: 'number',
      min: 0,
      max: 1,
      default: 1,
      description: "Each cycle's height above the floor is this many times the previous one's.",
    },
    finalValue: {
      kind: 'number',
      min: 0,
      default: 0,
      description: 'Floor: the bottom of every cycle and the value after the last one (at most peakValue).',
    },
    cycleLimit: {
      kind: 'number',
      integer: true,
      min: 1,
      optional: true,
      description: 'Number of cycles; after them the learning rate stays at finalValue (absent: unlimited).',
    },
    warmupSteps: {
      kind: 'number',
      min: 0,
      default: 0,
      description:
        "Linear warm-up from the floor to the cycle's peak at the start of every cycle (at most firstCycleSteps).",
    },
  },
  check: (o, issues) => {
    requireAtMost(issues, 'finalValue', o.finalValue, 'peakValue', o.peakValue);
    requireAtMost(issues, 'warmupSteps', o.warmupSteps, 'firstCycleSteps', o.firstCycleSteps);
  },
  build: (o) => (o.cycleLengthFactor === 1 ? equalCycles(o) : growingCycles(o)),
  phases: restartPhases,
});

/**
 * Cycle i's length L_i = L · f^i and start S_i = L · (f^i − 1) / (f − 1) (i · L when f = 1); S_1 is
 * L exactly, so the first restart is always at L. Through logarithms when f^i overflows although
 * L · f^i does not (tiny L). f^i comes from a table (bit for bit `f ** i`): Math.pow costs about
 * five cosines.
 */
function cycleGeometry(L: number, f: number) {
  const geometric = f !== 1;
  const fMinus1 = f - 1;
  const logF = Math.log(f);
  const logL = Math.log(L);
  const fPowers = new Powers(f);
  const cycleLength = (i: number): number => {
    const fi = fPowers.whole(i);
    return fi < Number.POSITIVE_INFINITY ? L * fi : Math.exp(logL + i * logF);
  };
  const cycleStart = (i: number): number => {
    if (!geometric) return i * L;
    if (i <= 1) return i === 1 ? L : 0;
    const fi = fPowers.whole(i);
    if (fi < Number.POSITIVE_INFINITY) return (L * (fi - 1)) / fMinus1;
    return (Math.exp(logL + i * logF) - L) / fMinus1;
  };
  return { cycleLength, cycleStart, fMinus1, logF, logL };
}

/** End of the last cycle (Infinity without a limit). */
function cyclesEnd(o: Resolved, cycleStart: (i: number) => number): number {
  return o.cycleLimit === undefined ? Number.POSITIVE_INFINITY : cycleStart(o.cycleLimit);
}

/** Cycles of one length (cycleLengthFactor 1): the local step is a remainder. */
function equalCycles(o: Resolved): (t: number) => number {
  const { peakValue, firstCycleSteps: L, peakDecayFactor: m, finalValue, warmupSteps: w } = o;
  const height = interpolationSpan(finalValue, peakValue);
  const mPowers = new Powers(m);
  const end = cyclesEnd(o, cycleGeometry(L, 1).cycleStart);
  const decayLength = L - w;
  const limit = exactQuotientLimit(L);
  return (t) => {
    if (t >= end) return finalValue;
    // The floating-point remainder is exact, so the local step is exact even where t / L is
    // beyond 2^53 (the cycle index there only feeds m^i, which has long reached its limit).
    const s = remainder(t, L, limit);
    const amplitude = m === 1 ? height : height * mPowers.whole(Math.round((t - s) / L));
    if (s < w) return finalValue + amplitude * (s / w);
    // A cycle that is all warm-up (w = L) has no cosine.
    if (!(decayLength > 0)) return finalValue + amplitude;
    return finalValue + amplitude * cosineWeight((s - w) / decayLength);
  };
}

/** Cycles growing by cycleLengthFactor > 1: the cycle is found from a table of starts, or searched. */
function growingCycles(o: Resolved): (t: number) => number {
  const {
    peakValue,
    firstCycleSteps: L,
    cycleLengthFactor: f,
    peakDecayFactor: m,
    finalValue,
    warmupSteps: w,
  } = o;
  const height = interpolationSpan(finalValue, peakValue);
  const { cycleLength, cycleStart, fMinus1, logF, logL } = cycleGeometry(L, f);
  const mPowers = new Powers(m);
  const end = cyclesEnd(o, cycleStart);
  // Cycle starts are looked up in a table of S_i (the same doubles cycleStart gives, so no value
  // changes): a logarithm guesses the cycle, a comparison or two settles it, and no power or
  // division by f − 1 is left on the way. The table only serves configurations whose computed
  // starts are strictly increasing with a wide margin, where the search below finds the same
  // cycle: L not near the subnormal range, cycles growing by at least a part per billion. It
  // holds up to 4096 cycles; past them, and for other configurations, the search runs on every
  // call (out of line, through `far`, so that nothing is boxed on the way).
  const tabled = L >= 1e-300 && f >= 1 + 1e-9;
  const decayLengthOf = (i: number) => cycleLength(i) - w;
  const amplitudeOf = (i: number) => (m === 1 ? height : height * mPowers.whole(i));
  // Per cycle: its cosine's length (L_i − w) and its height above the floor (A_i).
  const table = new CycleTable(tabled ? cycleStart : () => 0, [decayLengthOf, amplitudeOf], 16);
  // Cycle guess: log_f(1 + t (f − 1) / L), from an approximate log2.
  const guessScale = fMinus1 / L;
  const inverseLog2F = 1 / Math.log2(f);
  /**
   * Steps past the table: `search` reads t from far[0] and leaves its cycle's start, cosine length
   * and height in far[1..3]. Passing doubles through a typed array keeps them unboxed across the
   * call (a call's arguments and result would be heap numbers).
   */
  const far = new Float64Array(4);
  const search = (): void => {
    const t = far[0] as number;
    let i: number;
    if (tabled && table.cover(t)) {
      i = table.find(t, Math.floor(approximateLog2(1 + t * guessScale) * inverseLog2F));
      far[1] = table.starts[i] as number;
    } else {
      const u = (t / L) * fMinus1;
      // log(1 + u), without overflow when t / L is astronomically large.
      const logOnePlusU = u < 1e300 ? Math.log1p(u) : Math.log(t) - logL + Math.log(fMinus1);
      i = Math.floor(logOnePlusU / logF);
      // The logarithm can be off by one at a restart; settle on S_i <= t < S_{i+1}. The corrections
      // are bounded: for f within a few ulps of 1 and t near Number.MAX_VALUE, i ± 1 may not change i.
      for (let k = 0; k < 4 && i > 0 && cycleStart(i) > t; k++) i--;
      for (let k = 0; k < 4 && cycleStart(i + 1) <= t; k++) i++;
      // min(): only if the bounded correction above gave up (t near Number.MAX_VALUE).
      far[1] = Math.min(cycleStart(i), t);
    }
    far[2] = decayLengthOf(i);
    far[3] = amplitudeOf(i);
  };
  return (t) => {
    if (t >= end) return finalValue;
    let s: number;
    let decayLength: number;
    let amplitude: number;
    if (t < table.end) {
      // The guess only needs to be close: the table walk makes it exact.
      const i = table.find(t, Math.floor(approximateLog2(1 + t * guessScale) * inverseLog2F));
      s = t - (table.starts[i] as number);
      decayLength = table.data[2 * i] as number;
      amplitude = table.data[2 * i + 1] as number;
    } else {
      far[0] = t;
      search();
      s = t - (far[1] as number);
      decayLength = far[2] as number;
      amplitude = far[3] as number;
    }
    if (s < w) return finalValue + amplitude * (s / w);
    // A first cycle that is all warm-up (w = L) has no cosine.
    if (!(decayLength > 0)) return finalValue + amplitude;
    // Divide before multiplying by π: π · (s − w) could overflow for steps near Number.MAX_VALUE.
    return finalValue + amplitude * cosineWeight((s - w) / decayLength);
  };
}

/**
 * The first 20 cycles (each split into `warmup i` and `cycle i` when warmupSteps > 0), then `final`
 * after `cycleLimit` cycles or `more cycles`; cycle i starts at L (fⁱ − 1) / (f − 1), the first
 * restart exactly at L. Shared with the compatibility family `cycleRestarts`.
 */
export function restartPhases(o: {
  readonly firstCycleSteps: number;
  readonly cycleLengthFactor: number;
  readonly cycleLimit?: number;
  readonly warmupSteps: number;
}): Phase[] {
  const f = o.cycleLengthFactor;
  const L = o.firstCycleSteps;
  const startOf = (i: number) => (f === 1 || i <= 1 ? i * L : (L * (f ** i - 1)) / (f - 1));
  const shown = Math.min(o.cycleLimit ?? 20, 20);
  const phases: Phase[] = [];
  for (let i = 0; i < shown; i++) {
    const start = startOf(i);
    const end = startOf(i + 1);
    if (!(end < Number.POSITIVE_INFINITY)) break;
    if (o.warmupSteps > 0) phases.push({ name: `warmup ${i + 1}`, start, end: start + o.warmupSteps });
    phases.push({ name: `cycle ${i + 1}`, start: start + o.warmupSteps, end });
  }
  const last = phases.length > 0 ? (phases[phases.length - 1] as Phase).end : 0;
  const tail = o.cycleLimit !== undefined && o.cycleLimit <= shown ? 'final' : 'more cycles';
  phases.push({ name: tail, start: last, end: Number.POSITIVE_INFINITY });
  return phases.filter((phase) => phase.end > phase.start);
}
