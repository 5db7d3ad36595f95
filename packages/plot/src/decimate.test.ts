import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnRuns, decimate } from './decimate';

/** Pixel column → [min y, max y] of the given points. */
function columns(indices: Iterable<number>, x: (i: number) => number, y: (i: number) => number) {
  const result = new Map<number, [number, number]>();
  for (const i of indices) {
    const column = Math.round(x(i));
    const range = result.get(column);
    result.set(column, range ? [Math.min(range[0], y(i)), Math.max(range[1], y(i))] : [y(i), y(i)]);
  }
  return result;
}

describe('decimate', () => {
  it('keeps every index when there are at most four points per column', () => {
    expect(Array.from(decimate([0, 1, 2, 3, 4, 5, 6, 7], [0, 4], 2))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('keeps the extent of every column, in order, with at most four points per column (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 300, noNaN: true }), { minLength: 500, maxLength: 3000 }),
        (ys) => {
          const width = 100;
          const x = (i: number) => (i / (ys.length - 1)) * width;
          const y = (i: number) => ys[i]!;
          const kept = decimate(
            ys,
            columnRuns(ys.length, (i) => Math.round(x(i))),
            width,
          );
          const all = ys.map((_, i) => i);
          expect(columns(kept, x, y)).toEqual(columns(all, x, y));
          expect(kept.length).toBeLessThanOrEqual((width + 1) * 4);
          for (let i = 1; i < kept.length; i += 1) expect(kept[i]!).toBeGreaterThan(kept[i - 1]!);
          expect(kept[0]).toBe(0);
          expect(kept.at(-1)).toBe(ys.length - 1);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('keeps first, lowest, highest and last of each run once, the first of equals', () => {
    const values = [5, 1, 9, 1, 9, 5, 5, 5, 5, 5];
    expect(Array.from(decimate(values, [0, 5], 2))).toEqual([0, 1, 2, 4, 5, 9]);
  });

  it('keeps a spike; points that revisit columns start new runs', () => {
    const values = Float64Array.from({ length: 100_000 }, (_, i) => (i === 54_321 ? 2 : 1));
    const spike = decimate(
      values,
      columnRuns(100_000, (i) => Math.floor(i / 1000)),
      100,
    );
    expect(Array.from(spike).filter((i) => i === 54_321)).toHaveLength(1);
    expect(Array.from(columnRuns(7, (i) => Math.floor(i / 3)))).toEqual([0, 3, 6]);
    // x jumps back and forth between two columns: every point starts a new run.
    const zigzag = columnRuns(2000, (i) => i % 2);
    expect(zigzag).toHaveLength(2000);
    expect(decimate(new Float64Array(2000), zigzag, 10)).toHaveLength(2000);
  });
});
