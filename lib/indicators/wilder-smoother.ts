import { ConfigError } from '../errors.ts';
import { StreamingIndicator } from './streaming-indicator.ts';

/**
 * Wilder's smoothing (J. Welles Wilder, *New Concepts in Technical Trading Systems*, 1978; a.k.a.
 * RMA or SMMA) as TA-Lib's RSI and ATR apply it: the first value is the simple average of the
 * first `period` inputs, then `avg = (avg · (period − 1) + x) / period` — an EMA with
 * `k = 1 / period`. The first value appears at input number `period`, so `warmup = period`.
 *
 * @example
 * ```ts
 * const smoother = new WilderSmoother(2);
 * [1, 3, 5].map((x) => smoother.update(x)); // [undefined, 2, 3.5]
 * ```
 */
export class WilderSmoother extends StreamingIndicator {
  readonly period: number;
  private count = 0;
  private seedSum = 0;

  constructor(period: number) {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('WilderSmoother.period', period, 'a whole number >= 1');
    this.period = period;
  }

  get warmup(): number {
    return this.period;
  }

  update(input: number): number | undefined {
    if (this.current === undefined) {
      this.seedSum += input;
      if (++this.count === this.period) this.current = this.seedSum / this.period;
      return this.current;
    }
    // TA-Lib's form (prev · (n − 1) + x) / n, kept literally so values match TA-Lib bit for bit.
    this.current = (this.current * (this.period - 1) + input) / this.period;
    return this.current;
  }

  reset(): void {
    this.count = 0;
    this.seedSum = 0;
    this.current = undefined;
  }
}
