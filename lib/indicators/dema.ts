import { ConfigError } from '../errors.ts';
import { EMA } from './ema.ts';
import { StreamingIndicator } from './streaming-indicator.ts';

/**
 * Double exponential moving average (Patrick Mulloy, *Technical Analysis of Stocks &
 * Commodities*, Feb 1994; TA-Lib `DEMA`): `DEMA = 2 · EMA(x) − EMA(EMA(x))`, both EMAs with
 * TA-Lib's SMA seeding; the second EMA is fed the first one's values as they appear. TA-Lib's
 * lookback is `2 · (period − 1)`, so the first value appears at input number `2 · period − 1`.
 *
 * @example
 * ```ts
 * const dema = new DEMA(2);
 * [1, 2, 3, 4].map((x) => dema.update(x)); // [undefined, undefined, 3, 4]
 * ```
 */
export class DEMA extends StreamingIndicator {
  readonly period: number;
  private readonly ema1: EMA;
  private readonly ema2: EMA;

  constructor(period: number) {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('DEMA.period', period, 'a whole number >= 1');
    this.period = period;
    this.ema1 = new EMA(period);
    this.ema2 = new EMA(period);
  }

  get warmup(): number {
    return 2 * this.period - 1;
  }

  update(input: number): number | undefined {
    const e1 = this.ema1.update(input);
    if (e1 === undefined) return undefined;
    const e2 = this.ema2.update(e1);
    if (e2 === undefined) return undefined;
    this.current = 2 * e1 - e2;
    return this.current;
  }

  reset(): void {
    this.ema1.reset();
    this.ema2.reset();
    this.current = undefined;
  }
}
