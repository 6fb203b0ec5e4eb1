import { ConfigError } from '../errors.ts';
import { SMA } from './sma.ts';
import { StdDev } from './std-dev.ts';
import { StreamingIndicator } from './streaming-indicator.ts';

/** Bollinger Bands parameters; the defaults are John Bollinger's 20 periods, 2 deviations. */
export interface BollingerBandsOptions {
  /** Window length (default 20). */
  readonly period?: number;
  /** Band width in population standard deviations (default 2). */
  readonly stdDev?: number;
}

/** One Bollinger value. */
export interface BollingerBandsValue {
  readonly upper: number;
  /** The SMA of the window. */
  readonly middle: number;
  readonly lower: number;
}

/**
 * Bollinger Bands (John Bollinger, *Bollinger on Bollinger Bands*, 2001; TA-Lib `BBANDS` with
 * `MAType = SMA`): `middle = SMA(period)`, `upper/lower = middle ± stdDev · σ`, σ being the
 * population standard deviation of the same window ({@link StdDev}). TA-Lib's lookback is
 * `period − 1`, so the first value appears at input number `period`.
 *
 * @example
 * ```ts
 * const bands = new BollingerBands({ period: 20, stdDev: 2 });
 * closes.forEach((x) => bands.update(x)); // { upper, middle, lower } from input 20 on
 * ```
 */
export class BollingerBands extends StreamingIndicator<number, BollingerBandsValue> {
  readonly period: number;
  readonly stdDev: number;
  private readonly sma: SMA;
  private readonly deviation: StdDev;

  constructor(options: BollingerBandsOptions = {}) {
    super();
    const { period = 20, stdDev = 2 } = options;
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('BollingerBands.period', period, 'a whole number >= 1');
    if (typeof stdDev !== 'number' || !Number.isFinite(stdDev) || stdDev < 0) throw ConfigError.at('BollingerBands.stdDev', stdDev, 'a finite number >= 0');
    this.period = period;
    this.stdDev = stdDev;
    this.sma = new SMA(period);
    this.deviation = new StdDev(period);
  }

  get warmup(): number {
    return this.period;
  }

  update(input: number): BollingerBandsValue | undefined {
    const middle = this.sma.update(input);
    const sigma = this.deviation.update(input);
    if (middle === undefined || sigma === undefined) return undefined;
    const width = this.stdDev * sigma;
    this.current = { upper: middle + width, middle, lower: middle - width };
    return this.current;
  }

  reset(): void {
    this.sma.reset();
    this.deviation.reset();
    this.current = undefined;
  }
}
