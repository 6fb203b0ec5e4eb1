import { ConfigError } from '../errors.ts';
import { StreamingIndicator } from './streaming-indicator.ts';
import type { BarInput } from './types.ts';
import { WilderSmoother } from './wilder-smoother.ts';

/**
 * Average true range (J. Welles Wilder, 1978), TA-Lib `ATR` convention. The true range of a
 * bar is `max(high, previous close) − min(low, previous close)`, so it needs a previous close:
 * the first bar only supplies that close and has no true range. The ATR is Wilder's smoothing
 * of the true ranges (first value = simple average of the first `period` true ranges, then
 * `atr = (atr · (period − 1) + tr) / period`).
 *
 * TA-Lib's lookback is `period`, so the first value arrives at bar `period + 1`:
 * `warmup = period + 1` (ATR(14) → 15 bars). StockCharts' worksheet instead counts the first
 * bar's `high − low` as a true range and starts one bar earlier; after that seed both follow
 * the same recursion.
 *
 * @example
 * ```ts
 * const atr = new ATR(14);
 * for (const bar of bars) atr.update(bar); // undefined for the first 14 bars
 * ```
 */
export class ATR extends StreamingIndicator<BarInput, number> {
  readonly period: number;
  private readonly smoother: WilderSmoother;
  private previousClose = 0;
  private hasPreviousClose = false;

  constructor(period: number, field = 'ATR.period') {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at(field, period, 'a whole number >= 1');
    this.period = period;
    this.smoother = new WilderSmoother(period);
  }

  get warmup(): number {
    return this.period + 1;
  }

  update(bar: BarInput): number | undefined {
    const previousClose = this.previousClose;
    this.previousClose = bar.close;
    if (!this.hasPreviousClose) {
      this.hasPreviousClose = true;
      return this.current;
    }
    const trueRange = Math.max(bar.high, previousClose) - Math.min(bar.low, previousClose);
    this.current = this.smoother.update(trueRange);
    return this.current;
  }

  reset(): void {
    this.smoother.reset();
    this.previousClose = 0;
    this.hasPreviousClose = false;
    this.current = undefined;
  }
}
