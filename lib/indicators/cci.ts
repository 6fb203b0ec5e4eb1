import { ConfigError } from '../errors.ts';
import { RingBuffer } from './ring-buffer.ts';
import { StreamingIndicator } from './streaming-indicator.ts';
import type { BarInput } from './types.ts';

/** Lambert's constant: scales the CCI so that roughly 70–80 % of values fall in ±100. */
const LAMBERT = 0.015;

/**
 * Commodity channel index (Donald Lambert, 1980), TA-Lib `CCI` convention: with the typical
 * price `tp = (high + low + close) / 3`, `mean` = SMA of `tp` over the last `period` bars and
 * `md` = mean absolute deviation of those `tp` from THAT mean,
 * `CCI = (tp − mean) / (0.015 · md)` (0 when `md` is 0, as in TA-Lib). TA-Lib's lookback is
 * `period − 1`: `warmup = period`.
 *
 * Cost: the mean deviation is taken around the current window's mean, which moves with every
 * bar, so no running sum can carry it: each update makes one pass over the `period` typical
 * prices (O(period), no allocation). The mean is re-summed in the same pass, so nothing
 * drifts over long runs.
 *
 * @example
 * ```ts
 * const cci = new CCI(20);
 * for (const bar of bars) cci.update(bar); // a number from bar 20 on
 * ```
 */
export class CCI extends StreamingIndicator<BarInput, number> {
  readonly period: number;
  private readonly typicalPrices: RingBuffer;

  constructor(period: number) {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('CCI.period', period, 'a whole number >= 1');
    this.period = period;
    this.typicalPrices = new RingBuffer(period);
  }

  get warmup(): number {
    return this.period;
  }

  update(bar: BarInput): number | undefined {
    const typical = (bar.high + bar.low + bar.close) / 3;
    const window = this.typicalPrices;
    window.push(typical);
    if (!window.full) return undefined;
    const n = this.period;
    const mean = window.sum() / n;
    let deviation = 0;
    for (let i = 0; i < n; i++) deviation += Math.abs(window.at(i) - mean);
    const meanDeviation = deviation / n;
    this.current = meanDeviation !== 0 ? (typical - mean) / (LAMBERT * meanDeviation) : 0;
    return this.current;
  }

  reset(): void {
    this.typicalPrices.clear();
    this.current = undefined;
  }
}
