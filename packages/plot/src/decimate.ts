/**
 * The points of a polyline worth drawing at a resolution of `columns` (pixel or dot columns),
 * as indices in drawing order. `runStarts` (ascending, from 0) cut the points into runs of
 * consecutive points in one column; point i ranks `ranks[i]` (its value, or its pixel y). With at
 * most four points per column on average every index is kept; beyond, each run keeps its first,
 * lowest, highest and last point (the first of equals wins), in order, so spikes and stair steps
 * survive and 100,000 points draw as a few thousand. Plain arrays in, no callbacks: the loop
 * stays tight.
 */
export function decimate(
  ranks: ArrayLike<number>,
  runStarts: ArrayLike<number>,
  columns: number,
): Uint32Array {
  const count = ranks.length;
  if (count <= columns * 4) {
    const all = new Uint32Array(count);
    for (let index = 0; index < count; index += 1) all[index] = index;
    return all;
  }
  const kept = new Uint32Array(runStarts.length * 4);
  let length = 0;
  for (let run = 0; run < runStarts.length; run += 1) {
    const first = runStarts[run]!;
    const last = (run + 1 < runStarts.length ? runStarts[run + 1]! : count) - 1;
    let low = first;
    let high = first;
    let lowRank = ranks[first]!;
    let highRank = lowRank;
    for (let index = first + 1; index <= last; index += 1) {
      const rank = ranks[index]!;
      if (rank < lowRank) {
        lowRank = rank;
        low = index;
      }
      if (rank > highRank) {
        highRank = rank;
        high = index;
      }
    }
    const [a, b] = low < high ? [low, high] : [high, low];
    kept[length++] = first;
    if (a !== first) kept[length++] = a;
    if (b !== a && b !== first) kept[length++] = b;
    if (last !== b && last !== a && last !== first) kept[length++] = last;
  }
  return kept.subarray(0, length);
}

/** Where the runs of equal consecutive column ids start (`columnOf(i)` for i in 0…count-1). */
export function columnRuns(count: number, columnOf: (index: number) => number): Uint32Array {
  let starts = new Uint32Array(64);
  let length = 0;
  let column = Number.NaN;
  for (let index = 0; index < count; index += 1) {
    const at = columnOf(index);
    if (at === column) continue;
    column = at;
    if (length === starts.length) {
      const grown = new Uint32Array(starts.length * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[length++] = index;
  }
  return starts.subarray(0, length);
}
