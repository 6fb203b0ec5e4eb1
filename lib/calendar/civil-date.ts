import { ConfigError } from '../errors.ts';

/**
 * Calendar-date arithmetic on "day numbers" (days since 1970-01-01 in the proleptic Gregorian
 * calendar). Calendars build their tables with these instead of `Date`, so a trading date never
 * passes through a time zone by accident and lookups stay plain integer arithmetic.
 */

/** Weekday numbers as returned by {@link weekdayOf}: 0 = Sunday … 6 = Saturday. */
export const SUNDAY = 0;
/** @see {@link SUNDAY} */
export const MONDAY = 1;
/** @see {@link SUNDAY} */
export const TUESDAY = 2;
/** @see {@link SUNDAY} */
export const WEDNESDAY = 3;
/** @see {@link SUNDAY} */
export const THURSDAY = 4;
/** @see {@link SUNDAY} */
export const FRIDAY = 5;
/** @see {@link SUNDAY} */
export const SATURDAY = 6;

/** Milliseconds per day and per minute, for turning day numbers and minutes into instants. */
export const DAY_MS = 86_400_000;
/** @see {@link DAY_MS} */
export const MINUTE_MS = 60_000;

/**
 * Day number of a civil date (`month` 1–12). Howard Hinnant's `days_from_civil`, exact for
 * any year, including years before 100 that `Date.UTC` would silently remap.
 *
 * @example
 * ```ts
 * dayNumber(1970, 1, 1); // 0
 * dayNumber(2024, 3, 11); // 19793
 * ```
 */
export function dayNumber(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * The civil date `[year, month, day]` of a day number; the inverse of {@link dayNumber}.
 *
 * @example
 * ```ts
 * civilDate(19793); // [2024, 3, 11]
 * ```
 */
export function civilDate(dayNum: number): [year: number, month: number, day: number] {
  const z = dayNum + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/**
 * The year of a day number (cheaper to read than destructuring {@link civilDate}).
 *
 * @example
 * ```ts
 * yearOf(dayNumber(2024, 12, 31)); // 2024
 * ```
 */
export function yearOf(dayNum: number): number {
  return civilDate(dayNum)[0];
}

/**
 * Weekday of a day number, 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
 *
 * @example
 * ```ts
 * weekdayOf(dayNumber(2024, 3, 9)) === SATURDAY; // true
 * ```
 */
export function weekdayOf(dayNum: number): number {
  return (((dayNum + 4) % 7) + 7) % 7;
}

/**
 * Format a day number as `'YYYY-MM-DD'`.
 *
 * @example
 * ```ts
 * formatDay(dayNumber(2024, 3, 11)); // '2024-03-11'
 * ```
 */
export function formatDay(dayNum: number): string {
  const [y, m, d] = civilDate(dayNum);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parse a `'YYYY-MM-DD'` trading date into a day number. Rejects anything else, including
 * impossible dates such as `'2023-02-29'`, with a {@link ConfigError} quoting the text, because
 * a silently rolled-over date would shift a whole backtest.
 *
 * @example
 * ```ts
 * parseDay('2024-03-11'); // 19793
 * parseDay('2024-3-11', 'backtest.start'); // throws ConfigError: backtest.start: expected a date "YYYY-MM-DD", got "2024-3-11"
 * ```
 */
export function parseDay(text: string, path = 'date'): number {
  const match = typeof text === 'string' ? DATE_PATTERN.exec(text) : null;
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    if (month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) return dayNumber(year, month, day);
  }
  throw ConfigError.at(path, text, 'a date "YYYY-MM-DD"');
}

/**
 * Number of days in `month` (1–12) of `year`.
 *
 * @example
 * ```ts
 * daysInMonth(2024, 2); // 29
 * ```
 */
export function daysInMonth(year: number, month: number): number {
  return dayNumber(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - dayNumber(year, month, 1);
}

/**
 * The `n`-th (1-based) `weekday` of a month, e.g. the 4th Thursday of November.
 *
 * @example
 * ```ts
 * formatDay(nthWeekdayOfMonth(2024, 11, THURSDAY, 4)); // '2024-11-28'
 * ```
 */
export function nthWeekdayOfMonth(year: number, month: number, weekday: number, n: number): number {
  const first = dayNumber(year, month, 1);
  return first + ((weekday - weekdayOf(first) + 7) % 7) + (n - 1) * 7;
}

/**
 * The last `weekday` of a month, e.g. the last Monday of May.
 *
 * @example
 * ```ts
 * formatDay(lastWeekdayOfMonth(2024, 5, MONDAY)); // '2024-05-27'
 * ```
 */
export function lastWeekdayOfMonth(year: number, month: number, weekday: number): number {
  const last = dayNumber(year, month, daysInMonth(year, month));
  return last - ((weekdayOf(last) - weekday + 7) % 7);
}

/**
 * Western (Gregorian) Easter Sunday of `year`, by the anonymous Gregorian algorithm
 * (Meeus/Jones/Butcher), valid for every Gregorian year.
 *
 * @example
 * ```ts
 * formatDay(easterSunday(2024)); // '2024-03-31'
 * ```
 */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumber(year, month, day);
}

const CLOCK_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * Parse a local clock time `'HH:MM'` (24-hour) into minutes after midnight. `'24:00'` (the end
 * of the day, for sessions that run to midnight) is accepted only with `{ allowEndOfDay: true }`.
 * Anything else is a {@link ConfigError} naming `path` and quoting the text.
 *
 * @example
 * ```ts
 * parseClockTime('09:30'); // 570
 * parseClockTime('24:00', 'calendar.close', { allowEndOfDay: true }); // 1440
 * parseClockTime('9:30', 'calendar.open'); // throws ConfigError: calendar.open: expected a time "HH:MM" …
 * ```
 */
export function parseClockTime(text: string, path = 'time', options: { allowEndOfDay?: boolean } = {}): number {
  if (options.allowEndOfDay && text === '24:00') return 1440;
  const match = typeof text === 'string' ? CLOCK_PATTERN.exec(text) : null;
  if (!match) throw ConfigError.at(path, text, options.allowEndOfDay ? 'a time "HH:MM" between "00:00" and "24:00"' : 'a time "HH:MM" between "00:00" and "23:59"');
  return Number(match[1]) * 60 + Number(match[2]);
}
