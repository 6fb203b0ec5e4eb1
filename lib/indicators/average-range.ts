import { ConfigError } from '../errors.ts';
import { SMA } from './sma.ts';
import { StreamingIndicator } from './streaming-indicator.ts';
import type { BarInput } from './types.ts';

/**
 * Average range: the mean of `high − low` over the last `period` bars (an {@link SMA} of the
 * range; no previous close involved, unlike {@link ATR}). Meant for DAILY bars of the sessions
 * strictly before today (average daily range); works on any interval. `warmup = period`.
 *
 * @example
 * ```ts
 * const adr = new AverageRange(14);
 * for (const day of priorDailyBars) adr.update(day); // mean daily high − low of 14 sessions
 * ```
 */
export class AverageRange extends StreamingIndicator<BarInput, number> {
  readonly period: number;
  private readonly average: SMA;

  constructor(period: number) {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('AverageRange.period', period, 'a whole number >= 1');
    this.period = period;
    this.average = new SMA(period);
  }

  get warmup(): number {
    return this.period;
  }

  update(bar: BarInput): number | undefined {
    this.current = this.average.update(bar.high - bar.low);
    return this.current;
  }

  reset(): void {
    this.average.reset();
    this.current = undefined;
  }
}
