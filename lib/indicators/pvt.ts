import { StreamingIndicator } from './streaming-indicator.ts';
import type { BarInput } from './types.ts';

/**
 * Price-volume trend (StockCharts ChartSchool "Price Volume Trend"; TA-Lib has none): a running
 * total of `volume · (close − previous close) / previous close`. The first bar only supplies a
 * close, so the first value (that bar's contribution, the total starting from 0) arrives at
 * bar 2: `warmup = 2`, as in the published worksheet.
 *
 * @example
 * ```ts
 * const pvt = new PVT();
 * pvt.update({ open: 10, high: 10, low: 10, close: 10, volume: 500 }); // undefined
 * pvt.update({ open: 10, high: 11, low: 10, close: 11, volume: 200 }); // 200 · 0.1 = 20
 * ```
 */
export class PVT extends StreamingIndicator<BarInput, number> {
  readonly warmup = 2;
  private previousClose = 0;
  private hasPreviousClose = false;

  update(bar: BarInput): number | undefined {
    if (this.hasPreviousClose) {
      this.current = (this.current ?? 0) + (bar.volume * (bar.close - this.previousClose)) / this.previousClose;
    }
    this.previousClose = bar.close;
    this.hasPreviousClose = true;
    return this.current;
  }

  reset(): void {
    this.previousClose = 0;
    this.hasPreviousClose = false;
    this.current = undefined;
  }
}
