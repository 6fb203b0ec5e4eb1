import { dayNumber } from './civil-date.ts';
import type { TradingCalendar } from './types.ts';
import { createYearCachedCalendar } from './year-cached-calendar.ts';

// Wide enough for any backtest; bounded only because the engine caches one table per year.
const FIRST_YEAR = 1970;
const LAST_YEAR = 2199;

/**
 * A calendar for markets that never close (crypto, synthetic data): named `'24/7'`, time zone
 * UTC, one session per UTC day covering `[00:00, 24:00)`, never an early close. Sessions tile
 * time without gaps, so every instant from 1970 to 2199 belongs to exactly one session.
 *
 * @example
 * ```ts
 * const always = createAlwaysOpenCalendar();
 * always.session('2024-03-09'); // { date: '2024-03-09', open: 1709942400000, close: 1710028800000, earlyClose: false }
 * always.minutes(always.session('2024-03-09')!); // 1440
 * ```
 */
export function createAlwaysOpenCalendar(): TradingCalendar {
  return createYearCachedCalendar({
    name: '24/7',
    timezone: 'UTC',
    firstYear: FIRST_YEAR,
    lastYear: LAST_YEAR,
    buildYear(year, out) {
      const end = dayNumber(year, 12, 31);
      for (let day = dayNumber(year, 1, 1); day <= end; day++) out.session(day, 0, 1440, false);
    },
  });
}
