import { ConfigError, DataError } from '../errors.ts';
import { StdDev } from './std-dev.ts';
import { StreamingIndicator } from './streaming-indicator.ts';

/** Historical volatility parameters. */
export interface HistoricalVolatilityOptions {
  /** Number of log returns in the window (default 20); at least 2 for a sample deviation. */
  readonly period?: number;
  /**
   * Periods per year used to annualise (default 252, trading days, for daily closes). For
   * intraday bars pass the bars per year, e.g. 390 · 252 = 98 280 for regular-session XNYS
   * minute bars; pass 1 for the unannualised per-period volatility.
   */
  readonly annualization?: number;
}

/**
 * Historical (close-to-close) volatility: the SAMPLE standard deviation (divisor `period − 1`)
 * of the last `period` log returns `ln(xₜ / xₜ₋₁)`, times `sqrt(annualization)`; a fraction
 * (0.2 = 20 % a year). This is the usual textbook estimator (e.g. Hull, *Options, Futures and
 * Other Derivatives*, "Estimating volatility from historical data"); TA-Lib has no equivalent.
 * `period` returns need `period + 1` prices, so the first value appears at input number
 * `period + 1`. Prices must be positive (a `DataError` otherwise: a log return of a
 * non-positive price is meaningless).
 *
 * @example
 * ```ts
 * const hv = new HistoricalVolatility({ period: 20 });           // daily closes
 * const hv1m = new HistoricalVolatility({ period: 30, annualization: 390 * 252 }); // minute bars
 * ```
 */
export class HistoricalVolatility extends StreamingIndicator {
  readonly period: number;
  readonly annualization: number;
  private readonly returns: StdDev;
  /** Turns the population deviation of `StdDev` into the annualised sample deviation. */
  private readonly scale: number;
  private previous = 0;
  private seen = false;

  constructor(options: HistoricalVolatilityOptions = {}) {
    super();
    const { period = 20, annualization = 252 } = options;
    if (!Number.isInteger(period) || period < 2) throw ConfigError.at('HistoricalVolatility.period', period, 'a whole number >= 2');
    if (typeof annualization !== 'number' || !Number.isFinite(annualization) || annualization <= 0) {
      throw ConfigError.at('HistoricalVolatility.annualization', annualization, 'a finite number > 0 (periods per year)');
    }
    this.period = period;
    this.annualization = annualization;
    this.returns = new StdDev(period);
    this.scale = Math.sqrt((period / (period - 1)) * annualization);
  }

  get warmup(): number {
    return this.period + 1;
  }

  update(input: number): number | undefined {
    if (!(input > 0)) throw new DataError(`HistoricalVolatility: price must be > 0 for a log return, got ${input}`, { column: 'close' });
    if (!this.seen) {
      this.seen = true;
      this.previous = input;
      return undefined;
    }
    const sigma = this.returns.update(Math.log(input / this.previous));
    this.previous = input;
    if (sigma === undefined) return undefined;
    this.current = sigma * this.scale;
    return this.current;
  }

  reset(): void {
    this.returns.reset();
    this.previous = 0;
    this.seen = false;
    this.current = undefined;
  }
}
