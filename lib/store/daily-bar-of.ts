import type { BarColumns } from './types.ts';

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
export function dailyBarOf(bars: BarColumns): DerivedDailyBar | undefined {
  if (bars.length === 0) return undefined;
  let high = Number.NEGATIVE_INFINITY;
  let low = Number.POSITIVE_INFINITY;
  let volume = 0;
  for (let i = 0; i < bars.length; i++) {
    if (bars.high[i]! > high) high = bars.high[i]!;
    if (bars.low[i]! < low) low = bars.low[i]!;
    volume += bars.volume[i]!;
  }
  return { open: bars.open[0]!, high, low, close: bars.close[bars.length - 1]!, volume };
}
