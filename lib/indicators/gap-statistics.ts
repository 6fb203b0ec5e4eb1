import { ConfigError } from '../errors.ts';
import { RingBuffer } from './ring-buffer.ts';
import { StreamingIndicator } from './streaming-indicator.ts';
import type { BarInput } from './types.ts';

/** One value of {@link GapStatistics}, all in percent. */
export interface GapStatisticsValue {
  /** Mean gap: positive when sessions tend to open above the previous close. */
  readonly mean: number;
  /** Mean absolute gap: the typical size of an opening gap regardless of direction. */
  readonly meanAbs: number;
  /** Population standard deviation of the gaps. */
  readonly std: number;
}

/**
 * Opening-gap statistics over the last `period` sessions, from DAILY bars. The gap of a
 * session is `100 · (open / previous session's close − 1)` percent; over the last `period`
 * gaps the value is their mean, mean absolute value and POPULATION standard deviation (the
 * same convention as TA-Lib's `STDDEV` and Bollinger bands: divide by `period`).
 *
 * `period` gaps need `period + 1` daily bars: `warmup = period + 1`. Feed the daily bars of
 * the sessions strictly before today; today's gap is known at today's open and belongs to the
 * caller, not to this history.
 *
 * Cost: two exact passes over the `period` gaps per daily bar (O(period)). A running
 * `E[g²] − E[g]²` would lose the whole variance to cancellation after one outsized gap (a
 * split, a halt) leaves the window, and at one update per session the passes cost nothing.
 *
 * @example
 * ```ts
 * const gaps = new GapStatistics(20);
 * for (const day of priorDailyBars) gaps.update(day); // { mean, meanAbs, std } from day 21 on
 * ```
 */
export class GapStatistics extends StreamingIndicator<BarInput, GapStatisticsValue> {
  readonly period: number;
  private readonly gaps: RingBuffer;
  private previousClose = 0;
  private hasPreviousClose = false;

  constructor(period: number) {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('GapStatistics.period', period, 'a whole number >= 1');
    this.period = period;
    this.gaps = new RingBuffer(period);
  }

  get warmup(): number {
    return this.period + 1;
  }

  update(bar: BarInput): GapStatisticsValue | undefined {
    const previousClose = this.previousClose;
    this.previousClose = bar.close;
    if (!this.hasPreviousClose) {
      this.hasPreviousClose = true;
      return undefined;
    }
    const gaps = this.gaps;
    gaps.push(100 * (bar.open / previousClose - 1));
    if (!gaps.full) return undefined;
    const n = this.period;
    let sum = 0;
    let absSum = 0;
    for (let i = 0; i < n; i++) {
      const gap = gaps.at(i);
      sum += gap;
      absSum += Math.abs(gap);
    }
    const mean = sum / n;
    let squares = 0;
    for (let i = 0; i < n; i++) squares += (gaps.at(i) - mean) ** 2;
    this.current = { mean, meanAbs: absSum / n, std: Math.sqrt(squares / n) };
    return this.current;
  }

  reset(): void {
    this.gaps.clear();
    this.previousClose = 0;
    this.hasPreviousClose = false;
    this.current = undefined;
  }
}
