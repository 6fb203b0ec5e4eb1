import { StreamingIndicator } from './streaming-indicator.ts';
import type { BarInput } from './types.ts';

/** One value of {@link PivotPoints}: the pivot and three resistance and support levels. */
export interface PivotLevels {
  readonly pp: number;
  readonly r1: number;
  readonly r2: number;
  readonly r3: number;
  readonly s1: number;
  readonly s2: number;
  readonly s3: number;
}

/**
 * Classic floor-trader pivot points from one completed period's bar (normally the PREVIOUS
 * session's daily bar; only `high`, `low` and `close` are used):
 * `pp = (H + L + C) / 3`, `r1 = 2·pp − L`, `s1 = 2·pp − H`, `r2 = pp + (H − L)`,
 * `s2 = pp − (H − L)`, `r3 = H + 2·(pp − L)` (= r1 + (H − L)), `s3 = L − 2·(H − pp)`
 * (= s1 − (H − L)). Some charting packages use `pp ± 2·(H − L)` for the third levels instead;
 * this is the floor formula.
 *
 * Each value depends on the last bar fed only: `warmup = 1`. Feeding it TODAY's daily bar
 * would be look-ahead — today's levels come from yesterday's bar.
 *
 * @example
 * ```ts
 * const pivots = new PivotPoints();
 * pivots.update({ open: 0, high: 12, low: 9, close: 10.5, volume: 0 }).pp; // 10.5
 * ```
 */
export class PivotPoints extends StreamingIndicator<BarInput, PivotLevels> {
  readonly warmup = 1;

  update(bar: BarInput): PivotLevels {
    const { high, low, close } = bar;
    const pp = (high + low + close) / 3;
    const range = high - low;
    this.current = {
      pp,
      r1: 2 * pp - low,
      r2: pp + range,
      r3: high + 2 * (pp - low),
      s1: 2 * pp - high,
      s2: pp - range,
      s3: low - 2 * (high - pp),
    };
    return this.current;
  }

  reset(): void {
    this.current = undefined;
  }
}
