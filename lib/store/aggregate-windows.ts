import type { OhlcvColumns } from './types.ts';

/** Where {@link aggregateSessionWindows} writes each window (a `BarSeries` is one). */
export interface WindowSink {
  append(start: number, end: number, open: number, high: number, low: number, close: number, volume: number, partial: boolean): unknown;
}

/**
 * Aggregate one session's base bars into windows anchored at the session open (DESIGN §1)
 * and append them to `into`: windows of `windowMs`, or the whole session when `windowMs`
 * is `Infinity` (a `1d` bar). The last window is cut at the close and flagged partial;
 * windows without base bars produce nothing. The one batch aggregator: trailing history
 * (into a `BarSeries`), daily bars derived from intraday ones (dailyBarOf) and the report's
 * coarser candles all use it; the live stream uses the incremental `deriveBars` operator,
 * whose windows a spec checks against these.
 *
 * @returns the number of windows written.
 *
 * @example
 * ```ts
 * aggregateSessionWindows(bars, 0, bars.length, session, 300_000, history5m);
 * ```
 */
export function aggregateSessionWindows(src: OhlcvColumns<ArrayLike<number>>, from: number, count: number, session: { readonly open: number; readonly close: number }, windowMs: number, into: WindowSink): number {
  const { open, close } = session;
  const whole = !Number.isFinite(windowMs);
  const width = whole ? close - open : windowMs;
  // A window must have a finite, positive width, or the loop below could not move on.
  if (!(width > 0 && width < Number.POSITIVE_INFINITY)) throw new RangeError(`aggregateSessionWindows: window width ${width} ms (session ${open}..${close}, windowMs ${windowMs}) is not a finite positive number`);
  // Columns in locals: read through `src` they were reloaded for every bar.
  const { start, open: opens, high: highs, low: lows, close: closes, volume: volumes } = src;
  let written = 0;
  let i = from;
  const stop = from + count;
  while (i < stop) {
    const k = Math.floor((start[i]! - open) / width);
    const wStart = open + k * width;
    const fullEnd = wStart + width;
    const wEnd = Math.min(fullEnd, close);
    let high = -Infinity;
    let low = Infinity;
    let volume = 0;
    const o = opens[i]!;
    let c = o;
    while (i < stop && start[i]! < fullEnd) {
      // Math.max/min compile to branch-free instructions; an `if` mispredicted on real prices.
      high = Math.max(high, highs[i]!);
      low = Math.min(low, lows[i]!);
      volume += volumes[i]!;
      c = closes[i]!;
      i++;
    }
    // A start that fits no window (NaN) would loop forever: bars reach here already validated.
    if (volume !== volume || high === -Infinity) throw new RangeError(`aggregateSessionWindows: bar ${i} has no usable start (${start[i]})`);
    into.append(wStart, wEnd, o, high, low, c, volume, !whole && wEnd < fullEnd);
    written++;
  }
  return written;
}
