import { ConfigError } from '../errors.ts';
import { StreamingIndicator } from './streaming-indicator.ts';

/**
 * Simple moving average over `period` inputs (TA-Lib `SMA`): the arithmetic mean of the
 * last `period` values. Rolling sum over a ring buffer: O(1) per update, no allocation.
 *
 * @example
 * ```ts
 * const sma = new SMA(3);
 * [1, 2, 3, 4].map((x) => sma.update(x)); // [undefined, undefined, 2, 3]
 * ```
 */
export class SMA extends StreamingIndicator {
  readonly period: number;
  private readonly window: Float64Array;
  private count = 0;
  private sum = 0;
  private last = Number.NaN;

  constructor(period: number) {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('SMA.period', period, 'a whole number >= 1');
    this.period = period;
    this.window = new Float64Array(period);
  }

  get warmup(): number {
    return this.period;
  }

  update(input: number): number | undefined {
    this.step(input);
    return this.count >= this.period ? this.last : undefined;
  }

  updateInto(input: number, column: Float64Array, row: number): void {
    this.step(input);
    if (this.count >= this.period) column[row] = this.last;
  }

  override get ready(): boolean {
    return this.count >= this.period;
  }

  override get value(): number | undefined {
    return this.count >= this.period ? this.last : undefined;
  }

  /** One input: the window and its sum move on; `last` is the average once the window is full. */
  private step(input: number): void {
    const slot = this.count % this.period;
    if (this.count >= this.period) this.sum -= this.window[slot]!;
    this.window[slot] = input;
    this.sum += input;
    this.count++;
    // Re-sum once per full window so rounding errors of the running sum cannot accumulate.
    if (slot === this.period - 1 && this.count > this.period) {
      let exact = 0;
      for (let i = 0; i < this.period; i++) exact += this.window[i]!;
      this.sum = exact;
    }
    // A field that only ever holds numbers (NaN before the first value): written in place, where
    // `current` (number or undefined) took a new boxed number at every update.
    if (this.count >= this.period) this.last = this.sum / this.period;
  }

  reset(): void {
    this.window.fill(0);
    this.count = 0;
    this.sum = 0;
    this.last = Number.NaN;
  }
}
