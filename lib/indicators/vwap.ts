import { StreamingIndicator } from './streaming-indicator.ts';
import type { BarInput } from './types.ts';

/**
 * Session volume-weighted average price: `Σ typical · volume / Σ volume` over the bars since
 * the session open, with `typical = (high + low + close) / 3` (StockCharts ChartSchool
 * "VWAP"; TA-Lib has no VWAP). A value from the first bar: `warmup = 1`.
 *
 * It is anchored at the session open: {@link VWAP.startSession} (which the indicator operator
 * calls before every session's first bar, history included) starts a new sum and clears the
 * value, so `ready` is false until the session's first bar. Without `startSession` calls the
 * sums simply run over every bar fed. Until any volume has traded in the session (e.g. a
 * first bar with volume 0) the volume weights are undefined and the value is the latest bar's
 * typical price.
 *
 * @example
 * ```ts
 * const vwap = new VWAP();
 * vwap.startSession();
 * vwap.update({ open: 10, high: 11, low: 9, close: 10, volume: 100 }); // 10
 * vwap.update({ open: 10, high: 13, low: 11, close: 12, volume: 300 }); // (10·100 + 12·300) / 400 = 11.5
 * ```
 */
export class VWAP extends StreamingIndicator<BarInput, number> {
  readonly warmup = 1;
  private priceVolume = 0;
  private volume = 0;

  update(bar: BarInput): number {
    const typical = (bar.high + bar.low + bar.close) / 3;
    this.priceVolume += typical * bar.volume;
    this.volume += bar.volume;
    this.current = this.volume > 0 ? this.priceVolume / this.volume : typical;
    return this.current;
  }

  /** Starts a new session: the next bar is the first of the average. */
  startSession(): void {
    this.reset();
  }

  reset(): void {
    this.priceVolume = 0;
    this.volume = 0;
    this.current = undefined;
  }
}
