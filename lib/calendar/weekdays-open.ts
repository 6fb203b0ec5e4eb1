import { SATURDAY, SUNDAY, dayNumber, weekdayOf } from './civil-date.ts';
import type { TradingCalendar } from './types.ts';
import { createYearCachedCalendar } from './year-cached-calendar.ts';

// Same span as the 24/7 calendar: wide enough for any backtest.
const FIRST_YEAR = 1970;
const LAST_YEAR = 2199;

/**
 * A calendar for markets that trade around the clock on weekdays only: named `'24/5'`, time
 * zone UTC, one session per UTC Monday–Friday covering `[00:00, 24:00)`, no holidays and no
 * early closes. Weekends are not holidays (they are outside the regular week), so
 * `holidays()` is always empty.
 *
 * @example
 * ```ts
 * const weekdays = createWeekdaysOpenCalendar();
 * weekdays.isSession('2024-03-09'); // false (a Saturday)
 * weekdays.nextSession('2024-03-08').date; // '2024-03-11'
 * ```
 */
export function createWeekdaysOpenCalendar(): TradingCalendar {
  return createYearCachedCalendar({
    name: '24/5',
    timezone: 'UTC',
    firstYear: FIRST_YEAR,
    lastYear: LAST_YEAR,
    buildYear(year, out) {
      const end = dayNumber(year, 12, 31);
      for (let day = dayNumber(year, 1, 1); day <= end; day++) {
        const weekday = weekdayOf(day);
        if (weekday !== SATURDAY && weekday !== SUNDAY) out.session(day, 0, 1440, false);
      }
    },
  });
}
