import { ConfigError } from '../errors.ts';
import { StreamingIndicator } from './streaming-indicator.ts';
import { WMA } from './wma.ts';

/**
 * Hull moving average (Alan Hull, 2005; not in TA-Lib):
 * `HMA(n) = WMA(2 · WMA(x, ⌊n/2⌋) − WMA(x, n), ⌊√n⌋)` — the integer parts as Hull defines
 * them. The inner difference exists from input `n` on (when `WMA(n)` is ready) and the outer
 * WMA needs `⌊√n⌋` of them, so the first value appears at input number `n + ⌊√n⌋ − 1`.
 * `period` must be at least 2 so that `⌊n/2⌋ ≥ 1`.
 *
 * @example
 * ```ts
 * const hma = new HMA(4); // WMA(2), WMA(4), outer WMA(2): first value at input 5
 * [1, 2, 3, 4, 5].map((x) => hma.update(x)); // [undefined × 4, 5]
 * ```
 */
export class HMA extends StreamingIndicator {
  readonly period: number;
  private readonly half: WMA;
  private readonly full: WMA;
  private readonly outer: WMA;

  constructor(period: number) {
    super();
    if (!Number.isInteger(period) || period < 2) throw ConfigError.at('HMA.period', period, 'a whole number >= 2');
    this.period = period;
    this.half = new WMA(Math.floor(period / 2));
    this.full = new WMA(period);
    this.outer = new WMA(Math.floor(Math.sqrt(period)));
  }

  get warmup(): number {
    return this.period + this.outer.period - 1;
  }

  update(input: number): number | undefined {
    const half = this.half.update(input);
    const full = this.full.update(input);
    // `half` is ready no later than `full` (its period is shorter).
    if (full === undefined) return undefined;
    const hull = this.outer.update(2 * half! - full);
    if (hull === undefined) return undefined;
    this.current = hull;
    return hull;
  }

  reset(): void {
    this.half.reset();
    this.full.reset();
    this.outer.reset();
    this.current = undefined;
  }
}
