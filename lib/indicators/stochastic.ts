import { ConfigError } from '../errors.ts';
import { MonotonicDeque } from './monotonic-deque.ts';
import { SMA } from './sma.ts';
import { StreamingIndicator } from './streaming-indicator.ts';
import type { BarInput } from './types.ts';

/** Options of {@link Stochastic}. */
export interface StochasticOptions {
  /** Bars of the highest-high / lowest-low window of %K (default 14). */
  readonly period?: number;
  /** SMA length that smooths the raw %K into the %K output (default 3; 1 = the "fast" %K). */
  readonly kSmoothing?: number;
  /** SMA length of %D over the %K output (default 3). */
  readonly dPeriod?: number;
}

/** One value of {@link Stochastic}: %K and %D, both in [0, 100]. */
export interface StochasticValue {
  readonly k: number;
  readonly d: number;
}

/**
 * Stochastic oscillator (George Lane), TA-Lib `STOCH` with SMA smoothing: raw
 * `%K = 100 · (close − lowest low) / (highest high − lowest low)` over the last `period` bars
 * (0 when the window's range is 0, as in TA-Lib); `k` = SMA(`kSmoothing`) of raw %K and
 * `d` = SMA(`dPeriod`) of `k`. With `kSmoothing: 1` this is StockCharts' "fast" stochastic
 * (%K and its 3-day SMA %D in the ChartSchool worksheet).
 *
 * Like TA-Lib both lines start together, when %D has its first value: TA-Lib's lookback is
 * `(period − 1) + (kSmoothing − 1) + (dPeriod − 1)`, so
 * `warmup = period + kSmoothing + dPeriod − 2` (16 bars for 14/1/3, 18 for 14/3/3).
 * The highs and lows are tracked with monotonic deques: O(1) amortised per bar.
 *
 * @example
 * ```ts
 * const stoch = new Stochastic({ period: 14, kSmoothing: 3, dPeriod: 3 });
 * for (const bar of bars) stoch.update(bar); // { k, d } from bar 18 on
 * ```
 */
export class Stochastic extends StreamingIndicator<BarInput, StochasticValue> {
  readonly period: number;
  readonly kSmoothing: number;
  readonly dPeriod: number;
  private readonly highest: MonotonicDeque;
  private readonly lowest: MonotonicDeque;
  private readonly kAverage: SMA;
  private readonly dAverage: SMA;

  constructor(options: StochasticOptions = {}) {
    super();
    const { period = 14, kSmoothing = 3, dPeriod = 3 } = options;
    for (const [field, value] of [
      ['period', period],
      ['kSmoothing', kSmoothing],
      ['dPeriod', dPeriod],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) throw ConfigError.at(`Stochastic.${field}`, value, 'a whole number >= 1');
    }
    this.period = period;
    this.kSmoothing = kSmoothing;
    this.dPeriod = dPeriod;
    this.highest = new MonotonicDeque(period, 'max');
    this.lowest = new MonotonicDeque(period, 'min');
    this.kAverage = new SMA(kSmoothing);
    this.dAverage = new SMA(dPeriod);
  }

  get warmup(): number {
    return this.period + this.kSmoothing + this.dPeriod - 2;
  }

  update(bar: BarInput): StochasticValue | undefined {
    const highestHigh = this.highest.push(bar.high);
    const lowestLow = this.lowest.push(bar.low);
    if (this.highest.count < this.period) return undefined;
    const range = highestHigh - lowestLow;
    const rawK = range !== 0 ? (100 * (bar.close - lowestLow)) / range : 0;
    const k = this.kAverage.update(rawK);
    if (k === undefined) return undefined;
    const d = this.dAverage.update(k);
    if (d === undefined) return undefined;
    this.current = { k, d };
    return this.current;
  }

  reset(): void {
    this.highest.clear();
    this.lowest.clear();
    this.kAverage.reset();
    this.dAverage.reset();
    this.current = undefined;
  }
}
