import { formatDay } from '../../calendar/civil-date.ts';
import type { TradingCalendar } from '../../calendar/types.ts';
import type { ZoneClock } from '../../calendar/zone-clock.ts';

/**
 * Where the bar grid of an instant's local day is anchored (DESIGN §1): the session open on
 * a trading day, local midnight on a day without a session (weekend or holiday rows, which
 * the reader never loads but the importer still checks). The anchor is found once per
 * local day and reused for the day's rows, so a year of minute bars costs a few hundred
 * calendar lookups, not one per bar.
 *
 * @example
 * ```ts
 * const grid = new SessionGrid(getCalendar('XNYS'), new ZoneClock('America/New_York'));
 * (ts - grid.anchorOf(ts)) % 300_000 === 0; // on the 5m grid anchored at 09:30
 * ```
 */
export class SessionGrid {
  private readonly calendar: TradingCalendar;
  private readonly dayClock: ZoneClock;
  private from = Number.POSITIVE_INFINITY;
  private to = Number.NEGATIVE_INFINITY;
  private anchor = 0;

  constructor(calendar: TradingCalendar, dayClock: ZoneClock) {
    this.calendar = calendar;
    this.dayClock = dayClock;
  }

  /** The grid anchor (epoch ms) of the local day holding `ts`. */
  anchorOf(ts: number): number {
    if (ts >= this.from && ts < this.to) return this.anchor;
    const day = this.dayClock.localDay(ts);
    // Looked up before the cache moves: a day the calendar refuses (outside its years) throws
    // here and must not leave a stale anchor behind for the next row of that day.
    const session = this.calendar.session(formatDay(day));
    this.from = this.dayClock.startOfDay(day);
    this.to = this.dayClock.startOfDay(day + 1);
    // A zone jump can make startOfDay land a little off; the slow path then simply runs again.
    if (!(ts >= this.from && ts < this.to)) {
      this.from = ts;
      this.to = ts + 1;
    }
    this.anchor = session ? session.open : this.from;
    return this.anchor;
  }
}

