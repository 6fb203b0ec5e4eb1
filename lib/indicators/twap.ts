import { StreamingIndicator } from './streaming-indicator.ts';
import type { BarInput } from './types.ts';

/**
 * Session time-weighted average price: the plain mean of the bars' typical prices
 * `(high + low + close) / 3` since the session open — every bar weighs the same, so for bars
 * of one interval this is the average over time. A value from the first bar: `warmup = 1`.
 *
 * Anchored at the session open like {@link VWAP}: {@link TWAP.startSession} restarts the
 * mean and clears the value until the session's first bar.
 *
 * @example
 * ```ts
 * const twap = new TWAP();
 * twap.startSession();
 * twap.update({ open: 10, high: 11, low: 9, close: 10, volume: 100 }); // 10
 * twap.update({ open: 10, high: 13, low: 11, close: 12, volume: 300 }); // (10 + 12) / 2 = 11
 * ```
 */
export class TWAP extends StreamingIndicator<BarInput, number> {
  readonly warmup = 1;
  private sum = 0;
  private count = 0;

  update(bar: BarInput): number {
    this.sum += (bar.high + bar.low + bar.close) / 3;
    this.count++;
    this.current = this.sum / this.count;
    return this.current;
  }

  /** Starts a new session: the next bar is the first of the mean. */
  startSession(): void {
    this.reset();
  }

  reset(): void {
    this.sum = 0;
    this.count = 0;
    this.current = undefined;
  }
}
