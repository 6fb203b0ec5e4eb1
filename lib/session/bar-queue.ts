import type { BarSeries } from './bar-series.ts';
import type { ClosedBars } from './time-slice.ts';

/** Today's bars of one symbol, columnar, sorted by start. */
export interface QueuedBars {
  readonly length: number;
  readonly start: ArrayLike<number>;
  readonly open: ArrayLike<number>;
  readonly high: ArrayLike<number>;
  readonly low: ArrayLike<number>;
  readonly close: ArrayLike<number>;
  readonly volume: ArrayLike<number>;
  /** Extra store columns (`store.columns.extra`, e.g. vwap, trades), aligned with the bars. */
  readonly extra?: Readonly<Record<string, ArrayLike<number>>>;
}

/**
 * The session's base-bar queues (the seed's `_bar_queues`), one per symbol, drained by
 * the clock: {@link drain} moves every bar with `end <= T` into SessionData, ordered by
 * end then symbol, and nothing later (DESIGN §2: look-ahead is impossible by construction).
 *
 * @example
 * ```ts
 * const queues = new BarQueues(60_000);
 * queues.add(bars, data.series('SPY', '1m'));
 * const closed = queues.drain(session.open + 60_000);
 * ```
 */
export class BarQueues {
  private readonly baseMs: number;
  private readonly queues: Array<{ bars: QueuedBars; series: BarSeries; pos: number; symbol: string; extra: ReadonlyArray<readonly [string, ArrayLike<number>]> }> = [];

  constructor(baseMs: number) {
    this.baseMs = baseMs;
  }

  /** Queue a symbol's bars; they become visible one by one as the clock passes their end. */
  add(bars: QueuedBars, series: BarSeries): void {
    // Extra columns travel with their bar into the series, so they stay aligned with it.
    const entry = { bars, series, pos: 0, symbol: series.symbol, extra: Object.entries(bars.extra ?? {}) };
    for (const [name] of entry.extra) series.column(name);
    // Keep queues sorted by symbol so a drain is ordered by end, then symbol.
    let i = this.queues.length;
    while (i > 0 && this.queues[i - 1]!.symbol > entry.symbol) i--;
    this.queues.splice(i, 0, entry);
  }

  /** Bar end instants per queue (for data-driven ticks). */
  ends(): Float64Array[] {
    return this.queues.map(({ bars }) => {
      const out = new Float64Array(bars.length);
      for (let i = 0; i < bars.length; i++) out[i] = bars.start[i]! + this.baseMs;
      return out;
    });
  }

  /** Bars not yet drained. */
  pending(): number {
    let n = 0;
    for (const q of this.queues) n += q.bars.length - q.pos;
    return n;
  }

  /**
   * Skip (without appending) every bar of `symbol` with `end <= time`; used when a
   * symbol joins mid-session and its past bars were replayed separately.
   */
  skipUntil(symbol: string, time: number): void {
    const q = this.queues.find((e) => e.symbol === symbol);
    if (!q) return;
    while (q.pos < q.bars.length && q.bars.start[q.pos]! + this.baseMs <= time) q.pos++;
  }

  /** Append every queued bar with `end <= time` to its series; returns them in (end, symbol) order. */
  drain(time: number): ClosedBars {
    const series: BarSeries[] = [];
    const rows: number[] = [];
    const base = this.baseMs;
    let several = false;
    for (const q of this.queues) {
      const b = q.bars;
      let pos = q.pos;
      let taken = 0;
      while (pos < b.length) {
        const start = b.start[pos]!;
        if (start + base > time) break;
        const row = q.series.append(start, start + base, b.open[pos]!, b.high[pos]!, b.low[pos]!, b.close[pos]!, b.volume[pos]!, false);
        for (let e = 0; e < q.extra.length; e++) q.series.setValue(q.extra[e]![0], row, q.extra[e]![1][pos]!);
        rows.push(row);
        series.push(q.series);
        pos++;
        taken++;
      }
      if (taken > 1) several = true;
      q.pos = pos;
    }
    if (several) return sortByEndThenSymbol(series, rows);
    return { series, rows };
  }

  /** Forget every queue (Phase 1). */
  clear(): void {
    this.queues.length = 0;
  }
}

// Only reached when a tick drains more than one bar of a symbol (clock ticks coarser than
// the data); the common path above is already in (end, symbol) order.
function sortByEndThenSymbol(series: BarSeries[], rows: number[]): ClosedBars {
  const order = rows.map((_, k) => k);
  order.sort((a, b) => series[a]!.end[rows[a]!]! - series[b]!.end[rows[b]!]! || (series[a]!.symbol < series[b]!.symbol ? -1 : series[a]!.symbol > series[b]!.symbol ? 1 : 0));
  return { series: order.map((k) => series[k]!), rows: order.map((k) => rows[k]!) };
}
