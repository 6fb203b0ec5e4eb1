/**
 * Sort the first `n` rows of parallel columns by the first column (bar starts), stably, and
 * drop rows repeating a start (the first to arrive is kept, as a sorted file keeps it),
 * calling `onDuplicate` with each dropped start. Returns the number of rows left. Rewrites
 * the columns in place: readers call it only for files that arrived unsorted (rare), so
 * the sorted common case pays nothing.
 *
 * @example
 * ```ts
 * const kept = sortKept([start, open, high, low, close, volume], n, (t) => duplicates++);
 * ```
 */
export function sortKept(columns: ReadonlyArray<Float64Array>, n: number, onDuplicate: (start: number) => void): number {
  const start = columns[0]!;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => start[a]! - start[b]! || a - b);
  // Which sorted rows survive: the first of every run of equal starts.
  const keep: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (keep.length > 0 && start[keep[keep.length - 1]!] === start[i]) onDuplicate(start[i]!);
    else keep.push(i);
  }
  const scratch = new Float64Array(keep.length);
  for (const column of columns) {
    for (let k = 0; k < keep.length; k++) scratch[k] = column[keep[k]!]!;
    column.set(scratch);
  }
  return keep.length;
}
