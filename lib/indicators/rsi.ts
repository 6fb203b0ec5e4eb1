import { ConfigError } from '../errors.ts';
import { StreamingIndicator } from './streaming-indicator.ts';
import { WilderSmoother } from './wilder-smoother.ts';

/**
 * Relative strength index (J. Welles Wilder, *New Concepts in Technical Trading Systems*, 1978;
 * TA-Lib `RSI`, default compatibility). Each input after the first gives a change
 * `d = x − previous`; gains `max(d, 0)` and losses `max(−d, 0)` are Wilder-smoothed (the first
 * average is the simple mean of the first `period` changes, then
 * `avg = (avg · (period − 1) + new) / period`), and `RSI = 100 · avgGain / (avgGain + avgLoss)`
 * (equal to `100 − 100 / (1 + RS)`). TA-Lib's lookback is `period`, so the first value appears
 * at input number `period + 1`. Like TA-Lib, a window without any movement (both averages 0)
 * reads 0.
 *
 * @example
 * ```ts
 * const rsi = new RSI(2);
 * [1, 2, 1, 3].map((x) => rsi.update(x)); // [undefined, undefined, 50, 83.33…]
 * ```
 */
export class RSI extends StreamingIndicator {
  readonly period: number;
  private readonly gains: WilderSmoother;
  private readonly losses: WilderSmoother;
  private previous = 0;
  private seen = false;

  constructor(period: number) {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('RSI.period', period, 'a whole number >= 1');
    this.period = period;
    this.gains = new WilderSmoother(period);
    this.losses = new WilderSmoother(period);
  }

  get warmup(): number {
    return this.period + 1;
  }

  update(input: number): number | undefined {
    if (!this.seen) {
      this.seen = true;
      this.previous = input;
      return undefined;
    }
    const change = input - this.previous;
    this.previous = input;
    const gain = this.gains.update(change > 0 ? change : 0);
    const loss = this.losses.update(change < 0 ? -change : 0);
    if (gain === undefined || loss === undefined) return undefined;
    const total = gain + loss;
    // 100 · (gain / total), as TA-Lib writes it: gain / total <= 1 exactly in floating point,
    // while (100 · gain) / total can round to just above 100.
    this.current = total === 0 ? 0 : 100 * (gain / total);
    return this.current;
  }

  reset(): void {
    this.gains.reset();
    this.losses.reset();
    this.previous = 0;
    this.seen = false;
    this.current = undefined;
  }
}
