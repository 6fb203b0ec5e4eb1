import { BAR_VALUE, BAR_VALUE_STRIDE, BarSeries, type ColumnArena } from './bar-series.ts';
import { anchorShape } from '../shape-anchor.ts';
import { NO_BARS, TickBars } from './tick-bars.ts';
import type { OhlcvColumns } from '../store/types.ts';

/** Today's bars of one symbol, columnar, sorted by start. */
export interface QueuedBars extends OhlcvColumns<ArrayLike<number>> {
  /** Extra store columns (`store.columns.extra`, e.g. vwap, trades), aligned with the bars. */
  readonly extra?: Readonly<Record<string, ArrayLike<number>>>;
}

// Offsets in a merged row: the layout of a tick view's values, defined once in BAR_VALUE, copied
// into plain constants (a property load per use in the merge and drain loops otherwise).
const START = BAR_VALUE.start;
const END = BAR_VALUE.end;
const OPEN = BAR_VALUE.open;
const HIGH = BAR_VALUE.high;
const LOW = BAR_VALUE.low;
const CLOSE = BAR_VALUE.close;
const VOLUME = BAR_VALUE.volume;
const PREVIOUS_END = BAR_VALUE.previousEnd;

/** One symbol's queued bars as handed in, columns normalised to `Float64Array`. */
class SymbolQueue {
  readonly symbol: string;
  readonly series: BarSeries;
  readonly length: number;
  readonly start: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly extraNames: readonly string[];
  readonly extraValues: readonly Float64Array[];
  /** First bar neither drained nor skipped (kept current only when the merged run is rebuilt). */
  pos = 0;

  constructor(bars: QueuedBars, series: BarSeries) {
    this.symbol = series.symbol;
    this.series = series;
    this.length = bars.length;
    this.start = asFloat64(bars.start);
    this.open = asFloat64(bars.open);
    this.high = asFloat64(bars.high);
    this.low = asFloat64(bars.low);
    this.close = asFloat64(bars.close);
    this.volume = asFloat64(bars.volume);
    const extra = Object.entries(bars.extra ?? {});
    this.extraNames = extra.map(([name]) => name);
    this.extraValues = extra.map(([, values]) => asFloat64(values));
  }
}

function asFloat64(values: ArrayLike<number>): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

/**
 * Every pending bar of every symbol in one row-major run, in drain order (end, then symbol).
 *
 * Why one run: a tick drains one bar of each of ~100 symbols. Read from each symbol's six
 * columns that was ~600 scattered cache lines per tick in a pattern no prefetcher follows,
 * and the drain cost twice the same loop over compact data. Merged, a tick's bars are one
 * contiguous slice read front to back, and that slice is handed on as the values of the
 * tick's view (TickBars), so the stages after the drain read the bars from it instead of
 * from seven columns of 100 series each.
 *
 * The three arrays share one buffer, taken from the day's arena: it goes back to the run
 * (detached, so old tick views read nothing) when the day is torn down, and the next day's
 * queues merge into it instead of ~3 MB of fresh memory (a page fault per 4 KiB).
 */
class MergedBars {
  /** Bar `i`'s fields at `i * BAR_VALUE_STRIDE` (the BAR_VALUE layout). */
  readonly values: Float64Array;
  /** Index (in BarQueues' queue list) of bar `i`'s symbol. */
  readonly owner: Int32Array;
  /** Index of bar `i` within its symbol's queue (for extra columns and rebuilds). */
  readonly source: Int32Array;
  /** Bars in the run (the arrays may be longer: recycled from an earlier day). */
  count = 0;
  /** First bar not drained yet. */
  cursor = 0;

  /** A run over `buffer` (RUN_BYTES_PER_BAR bytes per bar of capacity). */
  constructor(buffer: ArrayBuffer) {
    const capacity = Math.floor(buffer.byteLength / RUN_BYTES_PER_BAR);
    this.values = new Float64Array(buffer, 0, capacity * BAR_VALUE_STRIDE);
    this.owner = new Int32Array(buffer, capacity * BAR_VALUE_STRIDE * 8, capacity);
    this.source = new Int32Array(buffer, capacity * (BAR_VALUE_STRIDE * 8 + 4), capacity);
  }
}

/** Bytes per bar of a merged run: its values, owner and source. */
const RUN_BYTES_PER_BAR = BAR_VALUE_STRIDE * 8 + 4 + 4;

/**
 * A run for `count` bars: from the day's arena when there is one (a recycled buffer of a
 * torn-down day when one fits, up to about twice the size), else fresh.
 */
function runFor(count: number, arena: ColumnArena | undefined): MergedBars {
  const bytes = count * RUN_BYTES_PER_BAR;
  const buffer = arena !== undefined && count > 0 ? arena.takeBuffer(bytes, (2 * count + 1024) * RUN_BYTES_PER_BAR) : new ArrayBuffer(bytes);
  const run = new MergedBars(buffer);
  run.count = count;
  return run;
}

/**
 * The session's base-bar queues (the seed's `_bar_queues`), one per symbol, drained by
 * the clock: {@link drain} moves every bar with `end <= T` into SessionData, ordered by
 * end then symbol, and nothing later (DESIGN §2: look-ahead is impossible by construction).
 *
 * The drain-order run the tick views read from is taken from `arena` (the day's, so it goes
 * back to the run with the day); without one it is allocated afresh.
 *
 * @example
 * ```ts
 * const queues = new BarQueues(60_000, data.arena);
 * queues.add(bars, data.series('SPY', '1m'));
 * const closed = queues.drain(session.open + 60_000);
 * ```
 */
export class BarQueues {
  private readonly baseMs: number;
  private readonly arena: ColumnArena | undefined;
  private readonly queues: SymbolQueue[] = [];
  /** Each queue's series, by queue index: the drain reaches it without loading the queue object. */
  private readonly targets: BarSeries[] = [];
  /** Whether any queue carries extra columns (then the drain also copies those). */
  private withExtra = false;
  /** Built at the first drain after the queues changed (an add or skip, e.g. a late symbol). */
  private merged: MergedBars | undefined;

  constructor(baseMs: number, arena?: ColumnArena) {
    this.baseMs = baseMs;
    this.arena = arena;
  }

  /** Queue a symbol's bars; they become visible one by one as the clock passes their end. */
  add(bars: QueuedBars, series: BarSeries): void {
    this.syncPositions();
    const entry = new SymbolQueue(bars, series);
    // Extra columns travel with their bar into the series, so they stay aligned with it.
    for (const name of entry.extraNames) series.column(name);
    // Keep queues sorted by symbol so a drain is ordered by end, then symbol.
    let i = this.queues.length;
    while (i > 0 && this.queues[i - 1]!.symbol > entry.symbol) i--;
    this.queues.splice(i, 0, entry);
    this.targets.splice(i, 0, series);
    if (entry.extraNames.length > 0) this.withExtra = true;
  }

  /**
   * The distinct end instants of the pending bars, in drain order (ascending when every
   * queue is sorted), for data-driven ticks. Called in Phase 2 (the clock needs them), so it
   * also merges the queues into drain order there, not at the first tick; the ends are read
   * off the merged run in one pass instead of one array per symbol.
   */
  ends(): Float64Array {
    const merged = (this.merged ??= this.merge());
    const values = merged.values;
    const out = new Float64Array(merged.count - merged.cursor);
    let n = 0;
    let previous = Number.NaN;
    for (let i = merged.cursor; i < merged.count; i++) {
      const end = values[i * BAR_VALUE_STRIDE + END]!;
      if (end !== previous) out[n++] = previous = end;
    }
    return out.subarray(0, n);
  }

  /** Bars not yet drained. */
  pending(): number {
    if (this.merged) return this.merged.count - this.merged.cursor;
    let n = 0;
    for (const q of this.queues) n += q.length - q.pos;
    return n;
  }

  /**
   * Skip (without appending) every bar of `symbol` with `end <= time`; used when a
   * symbol joins mid-session and its past bars were replayed separately.
   */
  skipUntil(symbol: string, time: number): void {
    this.syncPositions();
    const q = this.queues.find((e) => e.symbol === symbol);
    if (!q) return;
    while (q.pos < q.length && q.start[q.pos]! + this.baseMs <= time) q.pos++;
  }

  /**
   * Append every queued bar with `end <= time` to its series; returns them in (end, symbol)
   * order as one view, its values a slice of the merged run (see BAR_VALUE).
   */
  drain(time: number): TickBars {
    const merged = (this.merged ??= this.merge());
    const values = merged.values;
    const first = merged.cursor;
    let last = first;
    // `!(end > time)`, not `end <= time`: a bar with a NaN time is taken, not left to block the run.
    while (last < merged.count && !(values[last * BAR_VALUE_STRIDE + END]! > time)) last++;
    const due = last - first;
    if (due === 0) return NO_BARS;
    // Allocated at their final size: growing them by push reallocated both arrays four
    // times per tick at 100 symbols.
    const series = new Array<BarSeries>(due);
    const rows = new Array<number>(due);
    const targets = this.targets;
    const owner = merged.owner;
    const withExtra = this.withExtra;
    for (let k = 0, i = first; i < last; k++, i++) {
      const target = targets[owner[i]!]!;
      const y = i * BAR_VALUE_STRIDE;
      // lastEnd() is NaN for an empty series: its first bar has no previous end.
      const previousEnd = target.lastEnd();
      values[y + PREVIOUS_END] = previousEnd === previousEnd ? previousEnd : Number.NEGATIVE_INFINITY;
      const row = target.append(values[y + START]!, values[y + END]!, values[y + OPEN]!, values[y + HIGH]!, values[y + LOW]!, values[y + CLOSE]!, values[y + VOLUME]!, false);
      if (withExtra) copyExtra(this.queues[owner[i]!]!, merged.source[i]!, row);
      series[k] = target;
      rows[k] = row;
    }
    merged.cursor = last;
    return new TickBars(series, rows, values.subarray(first * BAR_VALUE_STRIDE, last * BAR_VALUE_STRIDE));
  }

  /** Forget every queue (Phase 1; the runs' buffers go back to the run with the day's arena). */
  clear(): void {
    this.queues.length = 0;
    this.targets.length = 0;
    this.withExtra = false;
    this.merged = undefined;
  }

  /** Record in each queue how far the merged run was drained, and drop the run (it is rebuilt on the next drain). */
  private syncPositions(): void {
    const merged = this.merged;
    if (!merged) return;
    for (let i = 0; i < merged.cursor; i++) this.queues[merged.owner[i]!]!.pos = merged.source[i]! + 1;
    this.merged = undefined;
  }

  /** Merge every queue's pending bars into one run ordered by end, then symbol (queues are in symbol order). */
  private merge(): MergedBars {
    const queues = this.queues;
    const base = this.baseMs;
    let count = 0;
    let firstEnd = Number.POSITIVE_INFINITY;
    let lastEnd = Number.NEGATIVE_INFINITY;
    for (const q of queues) {
      count += q.length - q.pos;
      if (q.pos < q.length) {
        firstEnd = Math.min(firstEnd, q.start[q.pos]! + base);
        lastEnd = Math.max(lastEnd, q.start[q.length - 1]! + base);
      }
    }
    const merged = runFor(count, this.arena);
    if (count === 0) return merged;
    // Sorted bars on one grid (the normal case): a counting sort by end slot, O(bars), that
    // reads each queue front to back. Otherwise a k-way merge of the queue heads, which also
    // keeps a misordered queue in its own order, so its append fails exactly as it did when
    // each queue was drained alone.
    const slots = (lastEnd - firstEnd) / base + 1;
    const firstOfSlot = slots <= 4 * count + 1024 ? slotOffsets(queues, base, firstEnd, slots) : undefined;
    if (firstOfSlot) placeBySlot(queues, base, firstEnd, firstOfSlot, merged);
    else placeInOrder(queues, base, orderByHeads(queues, base, count), merged);
    return merged;
  }
}

/**
 * Where each end slot's bars begin in the merged run (a prefix sum of bars per slot), or
 * undefined when a bar is off the grid or a queue is not sorted by start.
 */
function slotOffsets(queues: readonly SymbolQueue[], base: number, firstEnd: number, slots: number): Int32Array | undefined {
  const offsets = new Int32Array(slots + 1);
  for (const q of queues) {
    const start = q.start;
    let previous = Number.NEGATIVE_INFINITY;
    for (let p = q.pos; p < q.length; p++) {
      const s = start[p]!;
      const slot = (s + base - firstEnd) / base;
      // `slot | 0` truncates: equal only for a whole slot number (slots < 2^31 here).
      if (slot !== (slot | 0) || s < previous) return undefined;
      previous = s;
      offsets[slot + 1]!++;
    }
  }
  for (let i = 1; i <= slots; i++) offsets[i] = offsets[i]! + offsets[i - 1]!;
  return offsets;
}

/** Slots (base intervals) placed per pass of {@link placeBySlot}: ~100 KB of the run at 100 symbols, which stays in L2. */
const SLOTS_PER_PASS = 16;

/**
 * Copy every pending bar to its place in the run, queues in symbol order so ties keep (end,
 * symbol). Done in passes of SLOTS_PER_PASS slots, each queue read sequentially from where
 * the last pass stopped: the writes of a pass then land in a part of the run small enough
 * to stay in cache, instead of one cache miss per bar spread over the whole ~2.5 MB run.
 */
function placeBySlot(queues: readonly SymbolQueue[], base: number, firstEnd: number, offsets: Int32Array, merged: MergedBars): void {
  const { values, owner, source } = merged;
  const slots = offsets.length - 1;
  const next = Int32Array.from(queues, (q) => q.pos);
  for (let passEnd = SLOTS_PER_PASS; passEnd < slots + SLOTS_PER_PASS; passEnd += SLOTS_PER_PASS) {
    // Starts of bars in this pass lie below `limit` (slot = (start + base - firstEnd) / base).
    const limit = firstEnd - base + passEnd * base;
    for (let qi = 0; qi < queues.length; qi++) {
      const q = queues[qi]!;
      const { start, open, high, low, close, volume } = q;
      const length = q.length;
      let p = next[qi]!;
      for (; p < length; p++) {
        const s = start[p]!;
        if (s >= limit) break;
        const at = offsets[(s + base - firstEnd) / base]!++;
        owner[at] = qi;
        source[at] = p;
        const y = at * BAR_VALUE_STRIDE;
        values[y + START] = s;
        values[y + END] = s + base;
        values[y + OPEN] = open[p]!;
        values[y + HIGH] = high[p]!;
        values[y + LOW] = low[p]!;
        values[y + CLOSE] = close[p]!;
        values[y + VOLUME] = volume[p]!;
      }
      next[qi] = p;
    }
  }
}

/** Copy the pending bars into the run in a given order (the general, rare path). */
function placeInOrder(queues: readonly SymbolQueue[], base: number, order: MergeOrder, merged: MergedBars): void {
  const { values, owner, source } = merged;
  for (let i = 0; i < merged.count; i++) {
    const q = queues[(owner[i] = order.queue[i]!)]!;
    const p = (source[i] = order.bar[i]!);
    const y = i * BAR_VALUE_STRIDE;
    values[y + START] = q.start[p]!;
    values[y + END] = q.start[p]! + base;
    values[y + OPEN] = q.open[p]!;
    values[y + HIGH] = q.high[p]!;
    values[y + LOW] = q.low[p]!;
    values[y + CLOSE] = q.close[p]!;
    values[y + VOLUME] = q.volume[p]!;
  }
}

/** Pending bars in (end, queue) order, as parallel (queue index, bar index) arrays. */
interface MergeOrder {
  readonly queue: Int32Array;
  readonly bar: Int32Array;
}

/** K-way merge by the end of each queue's next bar (ties: lower queue index, i.e. symbol order), with a binary heap. */
function orderByHeads(queues: readonly SymbolQueue[], base: number, count: number): MergeOrder {
  const order = { queue: new Int32Array(count), bar: new Int32Array(count) };
  const next = queues.map((q) => q.pos);
  const endOf = (qi: number): number => queues[qi]!.start[next[qi]!]! + base;
  const before = (a: number, b: number): boolean => endOf(a) < endOf(b) || (endOf(a) === endOf(b) && a < b);
  const heap: number[] = [];
  const up = (i: number): void => {
    while (i > 0 && before(heap[i]!, heap[(i - 1) >> 1]!)) {
      [heap[i], heap[(i - 1) >> 1]] = [heap[(i - 1) >> 1]!, heap[i]!];
      i = (i - 1) >> 1;
    }
  };
  const down = (i: number): void => {
    for (;;) {
      let m = i;
      for (const c of [2 * i + 1, 2 * i + 2]) if (c < heap.length && before(heap[c]!, heap[m]!)) m = c;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  queues.forEach((q, qi) => {
    if (q.pos < q.length) {
      heap.push(qi);
      up(heap.length - 1);
    }
  });
  for (let n = 0; n < count; n++) {
    const qi = heap[0]!;
    order.queue[n] = qi;
    order.bar[n] = next[qi]!++;
    if (next[qi]! < queues[qi]!.length) down(0);
    else {
      heap[0] = heap[heap.length - 1]!;
      heap.pop();
      down(0);
    }
  }
  return order;
}

// Kept out of the drain loop: only stores with extra columns (vwap, trades, …) reach it.
function copyExtra(q: SymbolQueue, pos: number, row: number): void {
  for (let e = 0; e < q.extraNames.length; e++) q.series.setValue(q.extraNames[e]!, row, q.extraValues[e]![pos]!);
}

// Queues with one (empty) symbol and a merged run: keeps the optimized code for the queues,
// their entries and the run valid between runs (see shape-anchor.ts).
const anchor = new BarQueues(60_000);
anchor.add({ length: 0, start: new Float64Array(0), open: new Float64Array(0), high: new Float64Array(0), low: new Float64Array(0), close: new Float64Array(0), volume: new Float64Array(0) }, new BarSeries('', '', 60_000, 1));
anchor.ends();
anchorShape(anchor);
