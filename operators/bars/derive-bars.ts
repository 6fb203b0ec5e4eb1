import { parseInterval } from '../../lib/calendar/interval.ts';
import { ConfigError } from '../../lib/errors.ts';
import { BAR_VALUE, BAR_VALUE_STRIDE, type BarSeries } from '../../lib/session/bar-series.ts';
import { SessionData } from '../../lib/session/session-data.ts';
import { anchorShape } from '../../lib/shape-anchor.ts';
import { TickBars } from '../../lib/session/tick-bars.ts';
import type { SlicePipeline } from '../../lib/session/time-slice.ts';
import { sliceOperator } from '../internal/slice-operator.ts';

// Fields of one symbol's open window, at `slot * STRIDE` in OpenWindows.state.
const OPEN = 0;
const HIGH = 1;
const LOW = 2;
const CLOSE = 3;
const VOLUME = 4;
const START = 5;
/** Full (uncut) end of the open window; -Infinity when the symbol has no open window. */
const END = 6;
const STRIDE = 8;

// Offsets in a view's values, as plain constants: `BAR_VALUE.close` in a loop is a property load per use.
const V_START = BAR_VALUE.start;
const V_END = BAR_VALUE.end;
const V_OPEN = BAR_VALUE.open;
const V_HIGH = BAR_VALUE.high;
const V_LOW = BAR_VALUE.low;
const V_CLOSE = BAR_VALUE.close;
const V_VOLUME = BAR_VALUE.volume;
const V_PREVIOUS_END = BAR_VALUE.previousEnd;

/**
 * Every symbol's open window at one derived interval. A symbol's running aggregate is one
 * 64-byte run of a single Float64Array (8 doubles), indexed by its slot: one array for all
 * symbols instead of seven parallel columns, no boxed numbers and no map lookups per bar.
 */
class OpenWindows {
  readonly name: string;
  readonly width: number;
  /** The next window end at which this interval closes windows (anchored at the open). */
  nextBoundary = Number.NEGATIVE_INFINITY;
  state: Float64Array;
  targets: Array<BarSeries | undefined>;

  constructor(name: string, width: number, slots: number) {
    this.name = name;
    this.width = width;
    this.state = emptyState(slots);
    this.targets = new Array<BarSeries | undefined>(slots).fill(undefined);
  }

  /** Room for `slot` (a symbol that joined mid-session). */
  ensure(slot: number): void {
    const slots = this.state.length / STRIDE;
    if (slot < slots) return;
    const state = emptyState(Math.max(slot + 1, slots * 2));
    state.set(this.state);
    this.state = state;
    while (this.targets.length < state.length / STRIDE) this.targets.push(undefined);
  }
}

/** Bars per values chunk (256 KiB). */
const CHUNK_BARS = 4096;

/**
 * Carves the values of each derived view out of chunks of the day's arena. A day's views need
 * ~650 KB at 100 symbols: a backing store of their own per list cost an allocation and
 * external-memory accounting (and the GCs it triggers) twice per boundary, and fresh memory a
 * page fault per 4 KiB in the middle of the session. The chunks go back to the run with the
 * day (detached, so a view of a torn-down day reads nothing), and the next day's views are
 * carved from them. One per subscription (day).
 */
class ValueRuns {
  private readonly data: SessionData;
  private chunk: Float64Array | undefined;
  private used = 0;

  constructor(data: SessionData) {
    this.data = data;
  }

  take(bars: number): Float64Array {
    const size = bars * BAR_VALUE_STRIDE;
    if (!this.chunk || this.used + size > this.chunk.length) {
      this.chunk = new Float64Array(this.data.arena.takeBuffer(Math.max(bars, CHUNK_BARS) * BAR_VALUE_STRIDE * 8));
      this.used = 0;
    }
    this.used += size;
    return this.chunk.subarray(this.used - size, this.used);
  }
}

/** A derived view being assembled: bar `k` is row `rows[k]` of `series[k]`, its fields in `values`. */
interface PendingBars {
  readonly series: BarSeries[];
  readonly rows: number[];
  /** Sized for the bars closed at the boundary; bars a coarse tick closed early are appended past it (then the values are rebuilt). */
  readonly values: Float64Array;
}

function emptyState(slots: number): Float64Array {
  const state = new Float64Array(Math.max(1, slots) * STRIDE);
  for (let x = END; x < state.length; x += STRIDE) state[x] = Number.NEGATIVE_INFINITY;
  return state;
}

/**
 * Derive larger bars (5m, 15m, 1h, …) from the base bars of each time slice, in windows
 * anchored at the session open (DESIGN §1) so DST and half-hour opens cannot shift them.
 * A window is emitted when the clock reaches its end, from the base bars present; the last
 * window is cut at the close and flagged `partial`; a window without base bars emits
 * nothing (and counts against quality). Derived bars are appended to SessionData and
 * listed in `slice.closed` under their interval.
 *
 * @example
 * ```ts
 * pipeline: () => pipe(deriveBars(['5m', '15m']), ema(9, { interval: '5m' }))
 * ```
 */
export function deriveBars(intervals: readonly string[]): SlicePipeline {
  const parsed = intervals.map((text, i) => parseInterval(text, `deriveBars.intervals[${i}]`));
  for (const [i, interval] of parsed.entries()) {
    if (interval.sessions > 0) throw ConfigError.at(`deriveBars.intervals[${i}]`, intervals[i], 'an intraday interval (s, m or h)');
  }
  const count = parsed.length;
  return sliceOperator(() => {
    // State lives in the subscription: one subscription = one session.
    let windows: OpenWindows[] | undefined;
    let runs: ValueRuns | undefined;
    return (slice, subscriber) => {
      const { session, data } = slice;
      const open = session.open;
      const close = session.close;
      windows ??= openWindows(parsed, data, open);
      runs ??= new ValueRuns(data);
      const base = slice.closed.get(data.baseInterval);
      let outs: Array<PendingBars | undefined> | undefined;
      if (base !== undefined && base.count > 0) {
        // One interval at a time: its window state, width and target list stay in
        // registers for the whole tick instead of being reloaded per bar and interval.
        for (let j = 0; j < count; j++) {
          const early = fold(windows[j]!, base, open, close, data, outs?.[j]);
          if (early) (outs ??= new Array<PendingBars | undefined>(count))[j] = early;
        }
      }
      const time = slice.time;
      const atClose = time >= close;
      for (let j = 0; j < count; j++) {
        const w = windows[j]!;
        if (time >= w.nextBoundary || atClose) {
          outs ??= new Array<PendingBars | undefined>(count);
          outs[j] = closeWindows(w, time, atClose, close, outs[j], runs);
          w.nextBoundary = open + (Math.floor((time - open) / w.width) + 1) * w.width;
        }
        const out = outs?.[j];
        if (out && out.rows.length > 0) slice.closed.set(w.name, viewOf(out, runs));
      }
      subscriber.next(slice);
    };
  });
}

/**
 * Fold one tick's base bars into the open windows of `w`. Returns the windows a coarse tick
 * had to close early (a bar of a later window arrived while one was still open), appended
 * to `early`, or `early` unchanged.
 */
function fold(w: OpenWindows, base: TickBars, open: number, close: number, data: SessionData, early: PendingBars | undefined): PendingBars | undefined {
  const width = w.width;
  const n = base.count;
  let state = w.state;
  for (let k = 0; k < n; k++) {
    const slot = base.series(k).slot;
    if (slot * STRIDE >= state.length) {
      w.ensure(slot);
      state = w.state;
    }
    // Read from the view's contiguous values: reading 100 series' columns back cost more
    // than the aggregation itself.
    const start = base.start(k);
    const x = slot * STRIDE;
    // One compare per bar: the window index (a division and a floor) is only computed when
    // a bar opens a new window, i.e. once per derived bar.
    if (start >= state[x + END]!) {
      // Only true with a window still open when a tick skipped its end (coarse clock): close it now.
      if (state[x + END] !== Number.NEGATIVE_INFINITY) {
        early ??= { series: [], rows: [], values: NO_VALUES };
        emitAt(w, slot, close, early, early.rows.length);
      }
      // Looked up once per symbol and interval, when its first window opens.
      w.targets[slot] ??= data.series(base.symbol(k), w.name);
      const windowStart = open + Math.floor((start - open) / width) * width;
      state[x + START] = windowStart;
      state[x + END] = windowStart + width;
      state[x + OPEN] = base.open(k);
      state[x + HIGH] = base.high(k);
      state[x + LOW] = base.low(k);
      state[x + VOLUME] = base.volume(k);
    } else {
      const h = base.high(k);
      const l = base.low(k);
      if (h > state[x + HIGH]!) state[x + HIGH] = h;
      if (l < state[x + LOW]!) state[x + LOW] = l;
      state[x + VOLUME] = state[x + VOLUME]! + base.volume(k);
    }
    state[x + CLOSE] = base.close(k);
  }
  return early;
}

/** Validate the intervals against the session (on its first slice) and size the windows for its symbols. */
function openWindows(parsed: ReadonlyArray<{ name: string; ms: number }>, data: SessionData, open: number): OpenWindows[] {
  return parsed.map((interval, i) => {
    if (!data.intervals.some((x) => x.name === interval.name)) throw ConfigError.at(`deriveBars.intervals[${i}]`, interval.name, `an interval registered in SessionData (${data.intervals.map((x) => x.name).join(', ')})`);
    if (interval.ms % data.intervals[0]!.ms !== 0) throw ConfigError.at(`deriveBars.intervals[${i}]`, interval.name, `a multiple of the base interval ${data.baseInterval}`);
    const w = new OpenWindows(interval.name, interval.ms, data.symbolCount);
    w.nextBoundary = open + interval.ms;
    return w;
  });
}

/**
 * Emit every open window whose end the clock has reached (all of them at the close), in
 * slot order. The result arrays are counted first and allocated at their final size.
 */
function closeWindows(w: OpenWindows, time: number, atClose: boolean, close: number, out: PendingBars | undefined, runs: ValueRuns): PendingBars | undefined {
  const state = w.state;
  let due = 0;
  for (let x = END; x < state.length; x += STRIDE) if (state[x] !== Number.NEGATIVE_INFINITY && (state[x]! <= time || atClose)) due++;
  if (due === 0) return out;
  // A coarse tick may already have closed windows in the bar loop; append after them.
  const list = out ?? { series: new Array<BarSeries>(due), rows: new Array<number>(due), values: runs.take(due) };
  const at = out ? out.rows.length : 0;
  let k = 0;
  for (let slot = 0, x = 0; x < state.length; slot++, x += STRIDE) {
    if (state[x + END] === Number.NEGATIVE_INFINITY || !(state[x + END]! <= time || atClose)) continue;
    emitAt(w, slot, close, list, at + k++);
  }
  return list;
}

/** Append symbol `slot`'s open window to its series and as bar `k` of `out`, and mark it closed. */
function emitAt(w: OpenWindows, slot: number, close: number, out: PendingBars, k: number): void {
  const state = w.state;
  const x = slot * STRIDE;
  const start = state[x + START]!;
  const fullEnd = state[x + END]!;
  const end = fullEnd < close ? fullEnd : close;
  const target = w.targets[slot]!;
  // lastEnd() is NaN for an empty series: its first bar has no previous end.
  const lastEnd = target.lastEnd();
  const previousEnd = lastEnd === lastEnd ? lastEnd : Number.NEGATIVE_INFINITY;
  const row = target.append(start, end, state[x + OPEN]!, state[x + HIGH]!, state[x + LOW]!, state[x + CLOSE]!, state[x + VOLUME]!, end < fullEnd);
  state[x + END] = Number.NEGATIVE_INFINITY;
  if (k < out.rows.length) {
    out.series[k] = target;
    out.rows[k] = row;
    const values = out.values;
    const y = k * BAR_VALUE_STRIDE;
    values[y + V_START] = start;
    values[y + V_END] = end;
    values[y + V_OPEN] = state[x + OPEN]!;
    values[y + V_HIGH] = state[x + HIGH]!;
    values[y + V_LOW] = state[x + LOW]!;
    values[y + V_CLOSE] = state[x + CLOSE]!;
    values[y + V_VOLUME] = state[x + VOLUME]!;
    values[y + V_PREVIOUS_END] = previousEnd;
  } else {
    // Past the values sized at the boundary (a coarse tick): viewOf() rebuilds them.
    out.series.push(target);
    out.rows.push(row);
  }
}

/**
 * The view of a derived list, in the (end, symbol) order the drain promises: windows close
 * together for all symbols. A list that was reordered or grew by push (a coarse clock) gets
 * its values rebuilt from the series; the normal list already holds them.
 */
function viewOf(out: PendingBars, runs: ValueRuns): TickBars {
  let sorted = true;
  for (let k = 1; k < out.series.length && sorted; k++) if (out.series[k - 1]!.symbol > out.series[k]!.symbol) sorted = false;
  if (sorted && out.values.length === out.rows.length * BAR_VALUE_STRIDE) return new TickBars(out.series, out.rows, out.values);
  const order = out.series.map((_, k) => k);
  if (!sorted) order.sort((a, b) => (out.series[a]!.symbol < out.series[b]!.symbol ? -1 : 1));
  const series = order.map((k) => out.series[k]!);
  const rows = order.map((k) => out.rows[k]!);
  return new TickBars(series, rows, valuesOf(series, rows, runs.take(rows.length)));
}

/** A view's values read from the series into `values` (rare paths only). */
function valuesOf(series: readonly BarSeries[], rows: readonly number[], values: Float64Array): Float64Array {
  for (let k = 0; k < rows.length; k++) {
    const s = series[k]!;
    const row = rows[k]!;
    const y = k * BAR_VALUE_STRIDE;
    values[y + V_START] = s.start[row]!;
    values[y + V_END] = s.end[row]!;
    values[y + V_OPEN] = s.open[row]!;
    values[y + V_HIGH] = s.high[row]!;
    values[y + V_LOW] = s.low[row]!;
    values[y + V_CLOSE] = s.close[row]!;
    values[y + V_VOLUME] = s.volume[row]!;
    values[y + V_PREVIOUS_END] = row > 0 ? s.end[row - 1]! : Number.NEGATIVE_INFINITY;
  }
  return values;
}

/** Values of a list that has none yet (bars a coarse tick closed early, before any boundary list). */
const NO_VALUES = new Float64Array(0);

// Keeps the optimized code for the window state valid between runs (see shape-anchor.ts).
anchorShape(new OpenWindows('', 60_000, 1), new ValueRuns(new SessionData({ date: '1970-01-01', open: 0, close: 0, earlyClose: false }, [{ name: '1m', ms: 60_000 }])));
