import { dayNumber } from '../calendar/civil-date.ts';
import { ConfigError, DataError } from '../errors.ts';
import { MonotonicDeque } from './monotonic-deque.ts';
import { StreamingIndicator } from './streaming-indicator.ts';
import type { BarInput } from './types.ts';

/** A daily bar with its trading date, as the calendar-week form of {@link RollingExtremes} needs. */
export interface DatedBarInput extends BarInput {
  /** Trading date `YYYY-MM-DD` (exchange time zone), strictly increasing from bar to bar. */
  readonly date?: string;
}

/** One value of {@link RollingExtremes}. */
export interface ExtremesValue {
  readonly high: number;
  readonly low: number;
}

const PERIOD = /^([1-9][0-9]*)([dw])$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Highest high and lowest low of DAILY bars over a trailing period written `'<N>d'` or
 * `'<N>w'`:
 *
 * - `'Nd'`: the last N sessions (bars), like {@link DonchianChannels} without a middle line;
 *   `warmup = N`.
 * - `'Nw'`: the last N CALENDAR weeks, i.e. the bars whose `date` lies within the 7·N days
 *   ending at the latest bar's date (inclusive). Calendar weeks, not 5·N sessions, because a
 *   "52-week high" is a calendar notion: holidays leave ~250 NYSE sessions in 52 weeks, so
 *   260 sessions would reach two weeks too far back. Bars need a `date`; missing or
 *   non-increasing dates throw a `DataError`. A value from the first bar (`warmup = 1`): with
 *   less history than the window it is the extreme of the history available, as quote vendors
 *   show it for recent listings — load enough trailing sessions to cover the window.
 *
 * Monotonic deques: O(1) amortised per bar (calendar days without a bar are pushed as
 * neutral ±Infinity fillers so the window can be counted in days).
 *
 * @example
 * ```ts
 * const yearRange = new RollingExtremes('52w');
 * yearRange.update({ date: '2024-01-02', open: 10, high: 11, low: 9, close: 10, volume: 1e6 }); // { high: 11, low: 9 }
 * ```
 */
export class RollingExtremes extends StreamingIndicator<DatedBarInput, ExtremesValue> {
  readonly period: string;
  readonly unit: 'd' | 'w';
  readonly length: number;
  private readonly highest: MonotonicDeque;
  private readonly lowest: MonotonicDeque;
  private lastDay = Number.NaN;

  /** `name` is used in error messages (subclasses pass their own). */
  constructor(period: string, name = 'RollingExtremes') {
    super();
    const match = typeof period === 'string' ? PERIOD.exec(period) : null;
    if (!match) throw ConfigError.at(`${name}.period`, period, "a period such as '20d' (sessions) or '52w' (calendar weeks)");
    this.period = period;
    this.length = Number(match[1]);
    this.unit = match[2] as 'd' | 'w';
    const window = this.unit === 'd' ? this.length : 7 * this.length;
    this.highest = new MonotonicDeque(window, 'max');
    this.lowest = new MonotonicDeque(window, 'min');
  }

  get warmup(): number {
    return this.unit === 'd' ? this.length : 1;
  }

  update(bar: DatedBarInput): ExtremesValue | undefined {
    if (this.unit === 'w') this.advanceCalendar(bar.date);
    const high = this.highest.push(bar.high);
    const low = this.lowest.push(bar.low);
    if (this.highest.count < this.warmup) return undefined;
    this.current = { high, low };
    return this.current;
  }

  /** Pushes neutral fillers for the calendar days between the previous bar and this one. */
  private advanceCalendar(date: string | undefined): void {
    const match = typeof date === 'string' ? DATE.exec(date) : null;
    if (!match) throw new DataError(`RollingExtremes(${this.period}): bar.date: expected a trading date YYYY-MM-DD, got ${JSON.stringify(date)}`, { column: 'date' });
    const day = dayNumber(Number(match[1]), Number(match[2]), Number(match[3]));
    if (day <= this.lastDay) throw new DataError(`RollingExtremes(${this.period}): bar.date: expected dates after the previous bar's, got ${JSON.stringify(date)} after day ${this.lastDay}`, { date, column: 'date' });
    if (!Number.isNaN(this.lastDay)) {
      // A gap longer than the window empties it anyway: cap the fillers at one window.
      const missing = Math.min(day - this.lastDay - 1, this.highest.window);
      for (let i = 0; i < missing; i++) {
        this.highest.push(Number.NEGATIVE_INFINITY);
        this.lowest.push(Number.POSITIVE_INFINITY);
      }
    }
    this.lastDay = day;
  }

  reset(): void {
    this.highest.clear();
    this.lowest.clear();
    this.lastDay = Number.NaN;
    this.current = undefined;
  }
}
