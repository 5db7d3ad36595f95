/** An axis: its domain (already widened to tick boundaries where the rule says so) and its ticks. */
export interface Axis {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
  /** Distance between ticks (on a log axis: decades between ticks). */
  readonly tickStep: number;
}

/** Rounds away binary noise (0.30000000000000004 → 0.3). */
function clean(value: number): number {
  return Number(value.toPrecision(12));
}

/** A 1-2-2.5-5 tick step giving about `count` intervals over `span`. */
export function niceStep(span: number, count: number): number {
  const rough = span / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const normalized = rough / magnitude;
  const within = (limit: number) => normalized <= limit * (1 + 1e-9);
  const factor = within(1) ? 1 : within(2) ? 2 : within(2.5) ? 2.5 : within(5) ? 5 : 10;
  return clean(factor * magnitude);
}

/** Every multiple of `step` in [min, max]. */
function ticksBetween(min: number, max: number, step: number): number[] {
  const ticks: number[] = [];
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  for (let index = first; index <= last; index += 1) ticks.push(clean(index * step));
  return ticks;
}

/** About `count` round ticks (`niceStep` apart) inside [low, high]; `[low]` when the range is empty. */
export function niceTicks(low: number, high: number, count = 5): number[] {
  if (!(high > low)) return [low];
  return ticksBetween(low, high, niceStep(high - low, count));
}

/**
 * The y axis for learning rates: from 0 (or a tick below the data minimum when negative) to 4%
 * above the data maximum, so the peak stays off the frame; about `count` tick intervals.
 */
export function valueAxis(dataMin: number, dataMax: number, count: number): Axis {
  let low = Math.min(0, dataMin);
  // A span too small for decimal ticks (subnormal) is drawn like a flat line.
  let high = dataMax - low > 1e-300 ? dataMax + (dataMax - low) * 0.04 : low + (Math.abs(low) || 1);
  const step = niceStep(high - low, count);
  low = clean(Math.floor(low / step + 1e-9) * step);
  if (high <= low) high = low + step;
  return { min: low, max: high, ticks: ticksBetween(low, high, step), tickStep: step };
}

/** The x axis for steps: exactly [start, end], integer tick steps, about `count` intervals. */
export function stepAxis(start: number, end: number, count: number): Axis {
  const high = end > start ? end : start + 1;
  const step = Math.max(1, niceStep(high - start, count));
  const integerStep = step >= 1 ? Math.ceil(step) : 1;
  return { min: start, max: high, ticks: ticksBetween(start, high, integerStep), tickStep: integerStep };
}

/** The power of ten 10^exponent as its exact decimal (`10 ** -4` can be off in the last bit). */
function decade(exponent: number): number {
  return Number(`1e${exponent}`);
}

/** Powers of ten in [low, high] (both > 0), every `every`-th decade from the first. */
export function decadeTicks(low: number, high: number, every = 1): number[] {
  const ticks: number[] = [];
  const last = Math.floor(Math.log10(high) + 1e-9);
  for (let exponent = Math.ceil(Math.log10(low) - 1e-9); exponent <= last; exponent += every) {
    ticks.push(decade(exponent));
  }
  return ticks;
}

/**
 * A log axis widened to whole decades around the positive data (1e-300 to 1e300 at most), with
 * at most about `maxTicks` decade ticks (every second, third… decade on wide ranges). Without
 * positive data it spans 0.1 to 1.
 */
export function decadeAxis(minPositive: number, max: number, maxTicks = 8): Axis {
  const hasData = max > 0 && Number.isFinite(minPositive);
  const lowExponent = hasData ? Math.max(-300, Math.floor(Math.log10(minPositive))) : -1;
  let highExponent = hasData ? Math.min(300, Math.ceil(Math.log10(max))) : 0;
  if (highExponent <= lowExponent) highExponent = lowExponent + 1;
  const every = Math.max(1, Math.ceil((highExponent - lowExponent) / maxTicks));
  const min = decade(lowExponent);
  const top = decade(highExponent);
  return { min, max: top, ticks: decadeTicks(min, top, every), tickStep: every };
}
