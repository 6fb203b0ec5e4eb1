import { ConfigError } from '../errors.ts';
import { MonotonicDeque } from './monotonic-deque.ts';
import { StreamingIndicator } from './streaming-indicator.ts';
import type { BarInput } from './types.ts';

/** One value of {@link DonchianChannels} (also of {@link KeltnerChannels}). */
export interface ChannelValue {
  readonly upper: number;
  readonly middle: number;
  readonly lower: number;
}

/**
 * Donchian channels (Richard Donchian; StockCharts ChartSchool "Donchian Channels"): `upper` =
 * highest high and `lower` = lowest low of the last `period` bars INCLUDING the current one,
 * `middle` = their average. First value at bar `period`: `warmup = period`.
 *
 * Look-ahead note: because the current bar is inside the window, `close > upper` can never
 * happen; a breakout rule must compare the bar with the PREVIOUS bar's channel.
 * Monotonic deques: O(1) amortised per bar.
 *
 * @example
 * ```ts
 * const donchian = new DonchianChannels(20);
 * for (const bar of bars) donchian.update(bar); // { upper, middle, lower } from bar 20 on
 * ```
 */
export class DonchianChannels extends StreamingIndicator<BarInput, ChannelValue> {
  readonly period: number;
  private readonly highest: MonotonicDeque;
  private readonly lowest: MonotonicDeque;

  constructor(period: number) {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('DonchianChannels.period', period, 'a whole number >= 1');
    this.period = period;
    this.highest = new MonotonicDeque(period, 'max');
    this.lowest = new MonotonicDeque(period, 'min');
  }

  get warmup(): number {
    return this.period;
  }

  update(bar: BarInput): ChannelValue | undefined {
    const upper = this.highest.push(bar.high);
    const lower = this.lowest.push(bar.low);
    if (this.highest.count < this.period) return undefined;
    this.current = { upper, middle: (upper + lower) / 2, lower };
    return this.current;
  }

  reset(): void {
    this.highest.clear();
    this.lowest.clear();
    this.current = undefined;
  }
}
