/**
 * Labels for value ticks, one notation per axis: exponents (`2.5e-4`) when the largest tick is
 * below 0.01 or from 1e6, plain decimals otherwise; each the shortest that reads back as the tick.
 */
export function formatValueTicks(ticks: readonly number[]): string[] {
  const largest = Math.max(0, ...ticks.map(Math.abs));
  const exponential = largest > 0 && (largest < 1e-2 || largest >= 1e6);
  return ticks.map((value) => formatValueTick(value, exponential));
}

/**
 * One value label: the shortest text (up to 6 significant digits) that reads back as `value`,
 * in exponent notation when `exponential` (default: below 1e-3 or from 1e6).
 */
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
  return ticks.map((value) => (value === 0 ? '0' : `${Number((value / divisor).toPrecision(12))}${suffix}`));
}

/** A power of ten as read on a log axis: `0.01` … `100` plainly, `1e-3` and `1e3` beyond. */
export function formatDecadeTick(value: number): string {
  if (value >= 0.01 && value < 1000) return String(value);
  return value.toExponential(0).replace('e+', 'e');
}

/** `0–500`, `10000–∞`: a phase span for labels. */
export function formatSpan(start: number, end: number): string {
  return `${start}–${Number.isFinite(end) ? end : '∞'}`;
}
