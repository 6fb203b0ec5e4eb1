import { ConfigError } from '../errors.ts';
import { MonotonicDeque } from './monotonic-deque.ts';
import { StreamingIndicator } from './streaming-indicator.ts';
import type { BarInput } from './types.ts';

/**
 * Williams %R (Larry Williams), TA-Lib `WILLR` convention:
 * `%R = −100 · (highest high − close) / (highest high − lowest low)` over the last `period`
 * bars, in [−100, 0] (0 when the window's range is 0, as in TA-Lib). It equals StockCharts'
 * fast stochastic %K minus 100. TA-Lib's lookback is `period − 1`: `warmup = period`.
 * Highs and lows are tracked with monotonic deques: O(1) amortised, no allocation per bar.
 *
 * @example
 * ```ts
 * const willr = new WilliamsR(14);
 * for (const bar of bars) willr.update(bar); // a number from bar 14 on
 * ```
 */
export class WilliamsR extends StreamingIndicator<BarInput, number> {
  readonly period: number;
  private readonly highest: MonotonicDeque;
  private readonly lowest: MonotonicDeque;

  constructor(period: number) {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('WilliamsR.period', period, 'a whole number >= 1');
    this.period = period;
    this.highest = new MonotonicDeque(period, 'max');
    this.lowest = new MonotonicDeque(period, 'min');
  }

  get warmup(): number {
    return this.period;
  }

  update(bar: BarInput): number | undefined {
    const highestHigh = this.highest.push(bar.high);
    const lowestLow = this.lowest.push(bar.low);
    if (this.highest.count < this.period) return undefined;
    const range = highestHigh - lowestLow;
    this.current = range !== 0 ? (-100 * (highestHigh - bar.close)) / range : 0;
    return this.current;
  }

  reset(): void {
    this.highest.clear();
    this.lowest.clear();
    this.current = undefined;
  }
}
