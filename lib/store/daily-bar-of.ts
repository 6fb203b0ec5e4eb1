import { aggregateSessionWindows } from './aggregate-windows.ts';
import type { OhlcvColumns } from './types.ts';

/** A session's bar derived from its intraday bars. */
export interface DerivedDailyBar {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/**
 * One session's daily bar from its intraday bars in `[open, close)`, in start order: open of
 * the first, highest high, lowest low, close of the last, summed volume — the one rule for a
 * store without `1d` files (the reader's `loadDaily` and scans both use it). Undefined when
 * there are no bars.
 *
 * @example
 * ```ts
 * dailyBarOf(loaded.bars); // { open, high, low, close, volume }
 * ```
 */
export function dailyBarOf(bars: OhlcvColumns<ArrayLike<number>>): DerivedDailyBar | undefined {
  if (bars.length === 0) return undefined;
  let day: DerivedDailyBar | undefined;
  // One window spanning every bar: the batch aggregator's own rule, not a second copy of it.
  // The span must be finite (the aggregator multiplies by it): first start to just past the last.
  aggregateSessionWindows(bars, 0, bars.length, { open: bars.start[0]!, close: bars.start[bars.length - 1]! + 1 }, Number.POSITIVE_INFINITY, {
    append: (_start, _end, open, high, low, close, volume) => (day = { open, high, low, close, volume }),
  });
  return day;
}
