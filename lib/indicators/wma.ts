import { ConfigError } from '../errors.ts';
import { RingBuffer } from './ring-buffer.ts';
import { StreamingIndicator } from './streaming-indicator.ts';

/**
 * Weighted moving average (TA-Lib `WMA`): linear weights `1, 2, …, period` from the oldest to
 * the newest of the last `period` inputs, divided by `period · (period + 1) / 2`. TA-Lib's
 * lookback is `period − 1`, so the first value appears at input number `period`
 * (`warmup = period`).
 *
 * O(1) per update: sliding the window by one subtracts the plain sum of the old window from the
 * weighted sum and adds `period · x`. Both sums are recomputed from the window once per
 * `period` updates so rounding errors cannot accumulate.
 *
 * @example
 * ```ts
 * const wma = new WMA(3);
 * [1, 2, 3, 6].map((x) => wma.update(x)); // [undefined, undefined, 14/6, 26/6]
 * ```
 */
export class WMA extends StreamingIndicator {
  readonly period: number;
  private readonly window: RingBuffer;
  private readonly divisor: number;
  private sum = 0;
  private weightedSum = 0;
  /** Updates since the last exact re-summation. */
  private sinceResum = 0;

  constructor(period: number) {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('WMA.period', period, 'a whole number >= 1');
    this.period = period;
    this.window = new RingBuffer(period);
    this.divisor = (period * (period + 1)) / 2;
  }

  get warmup(): number {
    return this.period;
  }

  update(input: number): number | undefined {
    const n = this.period;
    if (!this.window.full) {
      this.window.push(input);
      this.sum += input;
      // While filling, the newest input gets weight = its position in the window.
      this.weightedSum += this.window.length * input;
      if (this.window.full) this.current = this.weightedSum / this.divisor;
      return this.current;
    }
    this.weightedSum += n * input - this.sum;
    this.sum += input - this.window.push(input)!;
    if (++this.sinceResum === n) this.resum();
    this.current = this.weightedSum / this.divisor;
    return this.current;
  }

  reset(): void {
    this.window.clear();
    this.sum = 0;
    this.weightedSum = 0;
    this.sinceResum = 0;
    this.current = undefined;
  }

  private resum(): void {
    let sum = 0;
    let weighted = 0;
    for (let i = 0; i < this.period; i++) {
      const x = this.window.at(i);
      sum += x;
      weighted += (i + 1) * x;
    }
    this.sum = sum;
    this.weightedSum = weighted;
    this.sinceResum = 0;
  }
}
