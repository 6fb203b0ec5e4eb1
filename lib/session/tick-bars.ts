import { LifecycleError } from '../errors.ts';
import { anchorShape } from '../shape-anchor.ts';
import { BAR_VALUE, BAR_VALUE_STRIDE, BarSeries, type Bar } from './bar-series.ts';

// Offsets of a bar's fields in the view's values, copied from BAR_VALUE into plain constants:
// the accessors below are inlined into every operator's loop, where a property load per use
// would remain.
const START = BAR_VALUE.start;
const END = BAR_VALUE.end;
const OPEN = BAR_VALUE.open;
const HIGH = BAR_VALUE.high;
const LOW = BAR_VALUE.low;
const CLOSE = BAR_VALUE.close;
const VOLUME = BAR_VALUE.volume;
const PREVIOUS_END = BAR_VALUE.previousEnd;

/**
 * The bars of one interval that became visible at one tick, in (end, symbol) order: the one
 * view every stage reads them through (DESIGN §3, §7). Bar `k` (`0 <= k < count`) is row
 * `row(k)` of `series(k)`; its fields are read from one contiguous row-major copy the engine
 * made while draining (or deriving) them, so reading all bars of a tick touches one run of
 * memory instead of seven columns of each of 100 series.
 *
 * Built by the engine only (the drain, `deriveBars`, a joining symbol's catch-up, the
 * strategy's view of active symbols): stages read it and never build their own. Valid until
 * the day is torn down; after that its memory serves later days, and reading a field throws
 * a LifecycleError naming the symbol, interval and date. Copy what you keep.
 *
 * One final class, always with its values: every operator's reads stay monomorphic, and V8
 * inlines these accessors into the loops that call them.
 *
 * @example
 * ```ts
 * const bars = slice.closed.get('5m');
 * for (let k = 0; bars && k < bars.count; k++) {
 *   if (bars.close(k) > bars.series(k).value('ema_9', bars.row(k))) console.log(bars.symbol(k));
 * }
 * ```
 */
export class TickBars {
  /** Number of bars. */
  readonly count: number;
  private readonly list: readonly BarSeries[];
  private readonly rows: readonly number[];
  /** Bar `k`'s fields at `k * BAR_VALUE_STRIDE` (layout: BAR_VALUE). */
  private readonly values: Float64Array;

  /**
   * For the engine: `series[k]`, `rows[k]` and `values` (`count * BAR_VALUE_STRIDE` doubles,
   * BAR_VALUE layout) describe bar `k`. The arrays are taken over, not copied.
   */
  constructor(series: readonly BarSeries[], rows: readonly number[], values: Float64Array) {
    this.count = rows.length;
    this.list = series;
    this.rows = rows;
    this.values = values;
  }

  /** The series bar `k` was appended to (its symbol's series at this interval). */
  series(k: number): BarSeries {
    return this.list[k]!;
  }

  /** Bar `k`'s row in {@link series}, where indicator columns hold its values. */
  row(k: number): number {
    return this.rows[k]!;
  }

  /** Bar `k`'s symbol. */
  symbol(k: number): string {
    return this.list[k]!.symbol;
  }

  start(k: number): number {
    const v = this.values[k * BAR_VALUE_STRIDE + START];
    return v !== undefined ? v : this.gone(k);
  }

  end(k: number): number {
    const v = this.values[k * BAR_VALUE_STRIDE + END];
    return v !== undefined ? v : this.gone(k);
  }

  open(k: number): number {
    const v = this.values[k * BAR_VALUE_STRIDE + OPEN];
    return v !== undefined ? v : this.gone(k);
  }

  high(k: number): number {
    const v = this.values[k * BAR_VALUE_STRIDE + HIGH];
    return v !== undefined ? v : this.gone(k);
  }

  low(k: number): number {
    const v = this.values[k * BAR_VALUE_STRIDE + LOW];
    return v !== undefined ? v : this.gone(k);
  }

  close(k: number): number {
    const v = this.values[k * BAR_VALUE_STRIDE + CLOSE];
    return v !== undefined ? v : this.gone(k);
  }

  volume(k: number): number {
    const v = this.values[k * BAR_VALUE_STRIDE + VOLUME];
    return v !== undefined ? v : this.gone(k);
  }

  /**
   * End of the bar before bar `k` in its series (-Infinity when bar `k` is the series' first
   * of the day): `start(k) > previousEnd(k)` means windows are missing in between.
   */
  previousEnd(k: number): number {
    const v = this.values[k * BAR_VALUE_STRIDE + PREVIOUS_END];
    return v !== undefined ? v : this.gone(k);
  }

  /** Whether bar `k` is a derived window cut by the close (read from its series). */
  partial(k: number): boolean {
    return this.series(k).partial[this.row(k)] === 1;
  }

  /** Bar `k` as a small object (convenience; loops should use the accessors). */
  bar(k: number): Bar {
    return { start: this.start(k), end: this.end(k), open: this.open(k), high: this.high(k), low: this.low(k), close: this.close(k), volume: this.volume(k), partial: this.partial(k) };
  }

  /**
   * A read outside the values: `k` out of range, or the day was torn down (its memory was
   * detached and serves later days). Kept out of the accessors so they stay small.
   */
  /**
   * Copy bar `k`'s start, end and OHLCV into `into` (one call: seven numbers returned by seven
   * accessors are boxed wherever the accessors are not inlined, which a stage run for every
   * parameter set of a sweep could not afford).
   */
  readInto(k: number, into: { start: number; end: number; open: number; high: number; low: number; close: number; volume: number }): void {
    const v = this.values;
    const at = k * BAR_VALUE_STRIDE;
    if (!(at >= 0 && at + BAR_VALUE_STRIDE <= v.length)) this.gone(k);
    into.start = v[at + START]!;
    into.end = v[at + END]!;
    into.open = v[at + OPEN]!;
    into.high = v[at + HIGH]!;
    into.low = v[at + LOW]!;
    into.close = v[at + CLOSE]!;
    into.volume = v[at + VOLUME]!;
  }

  private gone(k: number): never {
    if (!(k >= 0 && k < this.count)) throw new RangeError(`bar ${k} of a tick view of ${this.count} bars`);
    const series = this.list[k]!;
    series.assertLive(`a tick's bar ${k}`);
    throw new LifecycleError(`${series.symbol} ${series.interval}: a tick's bar ${k} read after its memory was released (phase torn-down)`, { phase: 'torn-down', symbol: series.symbol });
  }
}

/** The empty view (a tick at which nothing closed). */
export const NO_BARS = new TickBars([], [], new Float64Array(0));

// Keeps the optimized code for the view valid between runs (see shape-anchor.ts).
anchorShape(new TickBars([new BarSeries('', '', 0, 1)], [0], new Float64Array(BAR_VALUE_STRIDE)));
