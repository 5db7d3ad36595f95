/**
 * Data value → pixel along one axis, as plain numbers (no closures), so hot loops can map
 * 100,000 points without allocation: pixel = origin + (t(v) − low) · pixelsPerUnit, with t the
 * identity on a linear scale and log10 on a log scale.
 */
export interface PixelScale {
  readonly log: boolean;
  /** The domain's low end (its log10 on a log scale). */
  readonly low: number;
  /** Pixel of the domain's low end. */
  readonly origin: number;
  /** Pixels per unit (per decade on a log scale); negative where pixels grow downwards from the low end (y). */
  readonly pixelsPerUnit: number;
}

/**
 * The scale mapping `domain` onto the pixel range [from, to] (`to` < `from` for a y axis). A log
 * scale needs a positive domain; an empty domain maps everything to `from`.
 */
export function pixelScale(
  domain: readonly [number, number],
  from: number,
  to: number,
  log = false,
): PixelScale {
  const low = log ? Math.log10(domain[0]) : domain[0];
  const span = (log ? Math.log10(domain[1]) : domain[1]) - low;
  return { log, low, origin: from, pixelsPerUnit: span > 0 ? (to - from) / span : 0 };
}

/** Pixel of `value`; on a log scale, values <= 0 (no place on the axis) sit at the low end. */
export function toPixel(scale: PixelScale, value: number): number {
  if (scale.log)
    return value > 0 ? scale.origin + (Math.log10(value) - scale.low) * scale.pixelsPerUnit : scale.origin;
  return scale.origin + (value - scale.low) * scale.pixelsPerUnit;
}
