import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pixelScale, toPixel } from './scale';

describe('pixelScale', () => {
  it('maps a linear domain onto pixels, upwards for y', () => {
    const x = pixelScale([0, 100], 64, 740);
    expect([0, 50, 100].map((value) => toPixel(x, value))).toEqual([64, 402, 740]);
    const y = pixelScale([0, 2], 352, 52);
    expect([0, 1, 2].map((value) => toPixel(y, value))).toEqual([352, 202, 52]);
  });

  it('maps a log domain by log10, with values <= 0 at the low end', () => {
    const scale = pixelScale([1e-4, 10], 0, 500, true);
    expect(toPixel(scale, 1e-4)).toBe(0);
    expect(toPixel(scale, 1e-3)).toBeCloseTo(100, 12);
    expect(toPixel(scale, 10)).toBeCloseTo(500, 12);
    expect(toPixel(scale, 0)).toBe(0);
    expect(toPixel(scale, -1)).toBe(0);
  });

  it('is monotone (never reversing order), and an empty domain maps everything to the start', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        (a, b) => {
          const scale = pixelScale([-1e6, 1e6], 10, 810);
          if (a <= b) expect(toPixel(scale, a)).toBeLessThanOrEqual(toPixel(scale, b));
        },
      ),
    );
    expect(toPixel(pixelScale([3, 3], 7, 100), 5)).toBe(7);
  });
});
