import { ConfigError } from '../errors.ts';
import { MonotonicDeque } from './monotonic-deque.ts';
import { StreamingIndicator } from './streaming-indicator.ts';

/**
 * Highest of the last `period` inputs (TA-Lib `MAX`), kept with a monotonic deque: O(1)
 * amortised per update, no allocation. TA-Lib's lookback is `period − 1`, so the first value
 * appears at input number `period`.
 *
 * @example
 * ```ts
 * const high = new RollingHigh(3);
 * [5, 1, 4, 2, 3].map((x) => high.update(x)); // [undefined, undefined, 5, 4, 4]
 * ```
 */
export class RollingHigh extends StreamingIndicator {
  readonly period: number;
  private readonly deque: MonotonicDeque;

  constructor(period: number) {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('RollingHigh.period', period, 'a whole number >= 1');
    this.period = period;
    this.deque = new MonotonicDeque(period, 'max');
  }

  get warmup(): number {
    return this.period;
  }

  update(input: number): number | undefined {
    const highest = this.deque.push(input);
    if (this.deque.count >= this.period) this.current = highest;
    return this.current;
  }

  reset(): void {
    this.deque.clear();
    this.current = undefined;
  }
}
