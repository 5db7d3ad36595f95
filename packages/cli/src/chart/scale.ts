/** A linear axis: its domain (already widened to tick boundaries for y) and its tick values. */
export interface Axis {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
  readonly tickStep: number;
}

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

function ticksBetween(min: number, max: number, step: number): number[] {
  const ticks: number[] = [];
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  for (let index = first; index <= last; index += 1) ticks.push(clean(index * step));
  return ticks;
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

/**
 * Labels for value ticks, one notation per axis: exponents (`2.5e-4`) when the largest tick is
 * below 0.01 or from 1e6, plain decimals otherwise; each the shortest that reads back as the tick.
 */
export function formatValueTicks(ticks: readonly number[]): string[] {
  const largest = Math.max(0, ...ticks.map(Math.abs));
  const exponential = largest > 0 && (largest < 1e-2 || largest >= 1e6);
  return ticks.map((value) => formatValueTick(value, exponential));
}

/** One value label: shortest text (up to 6 significant digits) that reads back as `value`. */
export function formatValueTick(
  value: number,
  exponential = Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6,
): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  const close = (text: string) => Math.abs(Number(text) - value) <= abs * 1e-9;
  if (exponential) {
    for (let digits = 0; digits <= 5; digits += 1) {
      const text = value.toExponential(digits);
      if (close(text) || digits === 5) return text.replace('e+', 'e');
    }
  }
  for (let digits = 1; digits <= 6; digits += 1) {
    const text = value.toPrecision(digits);
    if (close(text) || digits === 6) return String(Number(text));
  }
  return String(value);
}

/** Labels for step ticks, one unit per axis: plain below 10,000, then `2.5k`, then `1.5M`. */
export function formatStepTicks(ticks: readonly number[]): string[] {
  const largest = Math.max(0, ...ticks.map(Math.abs));
  const [divisor, suffix] = largest >= 1e6 ? [1e6, 'M'] : largest >= 1e4 ? [1e3, 'k'] : [1, ''];
  return ticks.map((value) => (value === 0 ? '0' : `${clean(value / divisor)}${suffix}`));
}

/** `0–500`, `10000–∞`: a phase span for labels. */
export function formatSpan(start: number, end: number): string {
  return `${start}–${Number.isFinite(end) ? end : '∞'}`;
}
