import { StreamingIndicator } from './streaming-indicator.ts';
import type { BarInput } from './types.ts';

/**
 * On-balance volume (Joseph Granville, 1963), TA-Lib `OBV` convention: it starts at the first
 * bar's volume, then adds the bar's volume when the close rises, subtracts it when the close
 * falls and stays unchanged when the close repeats. TA-Lib's lookback is 0: `warmup = 1`.
 * (StockCharts' worksheet starts at 0 on its first row instead; from the next bar on the
 * changes are the same.)
 *
 * @example
 * ```ts
 * const obv = new OBV();
 * obv.update({ open: 10, high: 10, low: 10, close: 10, volume: 500 }); // 500
 * obv.update({ open: 10, high: 11, low: 10, close: 11, volume: 200 }); // 700
 * obv.update({ open: 11, high: 11, low: 9, close: 9, volume: 300 });   // 400
 * ```
 */
export class OBV extends StreamingIndicator<BarInput, number> {
  readonly warmup = 1;
  private previousClose = 0;

  update(bar: BarInput): number {
    if (this.current === undefined) this.current = bar.volume;
    else if (bar.close > this.previousClose) this.current += bar.volume;
    else if (bar.close < this.previousClose) this.current -= bar.volume;
    this.previousClose = bar.close;
    return this.current;
  }

  reset(): void {
    this.previousClose = 0;
    this.current = undefined;
  }
}
