import { ConfigError } from '../errors.ts';
import { EMA } from './ema.ts';
import { StreamingIndicator } from './streaming-indicator.ts';

/**
 * Triple exponential moving average (Patrick Mulloy, *Technical Analysis of Stocks &
 * Commodities*, Feb 1994; TA-Lib `TEMA`): with `e1 = EMA(x)`, `e2 = EMA(e1)`, `e3 = EMA(e2)`
 * (each SMA-seeded, each fed the previous one's values as they appear),
 * `TEMA = 3·e1 − 3·e2 + e3`. TA-Lib's lookback is `3 · (period − 1)`, so the first value
 * appears at input number `3 · period − 2`.
 *
 * @example
 * ```ts
 * const tema = new TEMA(2);
 * [1, 2, 3, 4, 5].map((x) => tema.update(x)); // [undefined, undefined, undefined, 4, 5]
 * ```
 */
export class TEMA extends StreamingIndicator {
  readonly period: number;
  private readonly ema1: EMA;
  private readonly ema2: EMA;
  private readonly ema3: EMA;

  constructor(period: number) {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('TEMA.period', period, 'a whole number >= 1');
    this.period = period;
    this.ema1 = new EMA(period);
    this.ema2 = new EMA(period);
    this.ema3 = new EMA(period);
  }

  get warmup(): number {
    return 3 * this.period - 2;
  }

  update(input: number): number | undefined {
    const e1 = this.ema1.update(input);
    if (e1 === undefined) return undefined;
    const e2 = this.ema2.update(e1);
    if (e2 === undefined) return undefined;
    const e3 = this.ema3.update(e2);
    if (e3 === undefined) return undefined;
    this.current = 3 * e1 - 3 * e2 + e3;
    return this.current;
  }

  reset(): void {
    this.ema1.reset();
    this.ema2.reset();
    this.ema3.reset();
    this.current = undefined;
  }
}
