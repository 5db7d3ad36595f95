/**
 * The points of a polyline worth drawing at a resolution of `columns` (pixel or dot columns),
 * as indices in drawing order. Point i lies in column `columnIds[i]` and ranks `ranks[i]` (its
 * value, or its pixel y). With at most four points per column on average every index is kept;
 * beyond, each run of consecutive points in one column keeps its first, lowest, highest and last
 * point (the first of equals wins), in order, so spikes and stair steps survive and 100,000
 * points draw as a few thousand. Plain arrays in, no callbacks: the loop stays tight.
 */
export function decimate(
  columnIds: ArrayLike<number>,
  ranks: ArrayLike<number>,
  columns: number,
): Uint32Array {
  const count = columnIds.length;
  if (count <= columns * 4) {
    const all = new Uint32Array(count);
    for (let index = 0; index < count; index += 1) all[index] = index;
    return all;
  }
  let kept = new Uint32Array((Math.ceil(columns) + 2) * 4);
  let length = 0;
  const push = (index: number) => {
    if (length === kept.length) {
      const grown = new Uint32Array(kept.length * 2);
      grown.set(kept);
      kept = grown;
    }
    kept[length++] = index;
  };
  let column = columnIds[0]!;
  let first = 0;
  let low = 0;
  let high = 0;
  let last = 0;
  let lowValue = ranks[0]!;
  let highValue = lowValue;
  const flush = () => {
    const [a, b] = low < high ? [low, high] : [high, low];
    push(first);
    if (a !== first) push(a);
    if (b !== a && b !== first) push(b);
    if (last !== b && last !== a && last !== first) push(last);
  };
  for (let index = 1; index < count; index += 1) {
    const at = columnIds[index]!;
    const value = ranks[index]!;
    if (at !== column) {
      flush();
      column = at;
      first = low = high = last = index;
      lowValue = highValue = value;
      continue;
    }
    if (value < lowValue) {
      lowValue = value;
      low = index;
    }
    if (value > highValue) {
      highValue = value;
      high = index;
    }
    last = index;
  }
  flush();
  return kept.subarray(0, length);
}
