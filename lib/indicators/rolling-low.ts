import { ConfigError } from '../errors.ts';
import { MonotonicDeque } from './monotonic-deque.ts';
import { StreamingIndicator } from './streaming-indicator.ts';

/**
 * Lowest of the last `period` inputs (TA-Lib `MIN`), kept with a monotonic deque: O(1)
 * amortised per update, no allocation. TA-Lib's lookback is `period − 1`, so the first value
 * appears at input number `period`.
 *
 * @example
 * ```ts
 * const low = new RollingLow(3);
 * [5, 1, 4, 2, 3].map((x) => low.update(x)); // [undefined, undefined, 1, 1, 2]
 * ```
 */
export class RollingLow extends StreamingIndicator {
  readonly period: number;
  private readonly deque: MonotonicDeque;

  constructor(period: number) {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('RollingLow.period', period, 'a whole number >= 1');
    this.period = period;
    this.deque = new MonotonicDeque(period, 'min');
  }

  get warmup(): number {
    return this.period;
  }

  update(input: number): number | undefined {
    const lowest = this.deque.push(input);
    if (this.deque.count >= this.period) this.current = lowest;
    return this.current;
  }

  reset(): void {
    this.deque.clear();
    this.current = undefined;
  }
}
