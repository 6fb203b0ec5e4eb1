import { ConfigError } from '../errors.ts';
import { RingBuffer } from './ring-buffer.ts';
import { StreamingIndicator } from './streaming-indicator.ts';

/**
 * Rate of change in percent (TA-Lib `ROC`): `(x / x[period inputs ago] − 1) · 100`. TA-Lib's
 * lookback is `period`, so the first value appears at input number `period + 1`. Like TA-Lib,
 * a zero past price gives 0 rather than an infinity.
 *
 * @example
 * ```ts
 * const roc = new ROC(2);
 * [10, 11, 12, 11].map((x) => roc.update(x)); // [undefined, undefined, 20, 0]
 * ```
 */
export class ROC extends StreamingIndicator {
  readonly period: number;
  private readonly window: RingBuffer;

  constructor(period: number) {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('ROC.period', period, 'a whole number >= 1');
    this.period = period;
    this.window = new RingBuffer(period);
  }

  get warmup(): number {
    return this.period + 1;
  }

  update(input: number): number | undefined {
    const past = this.window.push(input);
    if (past !== undefined) this.current = past === 0 ? 0 : (input / past - 1) * 100;
    return this.current;
  }

  reset(): void {
    this.window.clear();
    this.current = undefined;
  }
}
