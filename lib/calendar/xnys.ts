import {
  FRIDAY,
  MONDAY,
  SATURDAY,
  SUNDAY,
  THURSDAY,
  TUESDAY,
  WEDNESDAY,
  dayNumber,
  easterSunday,
  lastWeekdayOfMonth,
  nthWeekdayOfMonth,
  parseDay,
  weekdayOf,
} from './civil-date.ts';
import { ConfigError } from '../errors.ts';
import type { TradingCalendar } from './types.ts';
import { XNYS_SPECIAL_CLOSURES, XNYS_SPECIAL_EARLY_CLOSES } from './xnys-special-days.ts';
import { createYearCachedCalendar, type TradingDay } from './year-cached-calendar.ts';

// The rules below are data: a later issue extends them (pre-1990 years, 14:00 closes, late
// opens) by adding rows, not by changing the engine. Rules: NYSE Rule 7.2 (holidays) and the
// NYSE holiday/early-close schedules; year ranges follow the NYSE closings history cited in
// `xnys-special-days.ts`.

const FIRST_YEAR = 1990;
const LAST_YEAR = 2099;
const OPEN = hhmm('09:30');
const CLOSE = hhmm('16:00');
const ONE_PM = hhmm('13:00');
const TWO_PM = hhmm('14:00');

/** The unobserved date of a recurring day in `year`, or `undefined` when it does not occur. */
type DateRule = (year: number) => number | undefined;
/** Moves a holiday that falls on a weekend to the weekday the exchange closes instead. */
type Observance = (day: number) => number;

interface HolidayRule {
  readonly name: string;
  readonly from?: number;
  readonly to?: number;
  readonly date: DateRule;
  readonly observe: Observance;
}

interface EarlyCloseRule {
  readonly name: string;
  readonly from?: number;
  readonly to?: number;
  readonly date: DateRule;
  /** Local close, minutes after midnight. */
  readonly close: number;
}

const fixed = (month: number, day: number): DateRule => (year) => dayNumber(year, month, day);
const nth = (month: number, weekday: number, n: number): DateRule => (year) => nthWeekdayOfMonth(year, month, weekday, n);
const last = (month: number, weekday: number): DateRule => (year) => lastWeekdayOfMonth(year, month, weekday);
const easter = (offset: number): DateRule => (year) => easterSunday(year) + offset;
const plusDays = (rule: DateRule, offset: number): DateRule => (year) => {
  const day = rule(year);
  return day === undefined ? undefined : day + offset;
};
const onWeekdays = (rule: DateRule, weekdays: readonly number[]): DateRule => (year) => {
  const day = rule(year);
  return day !== undefined && weekdays.includes(weekdayOf(day)) ? day : undefined;
};

const asIs: Observance = (day) => day;
const sundayToMonday: Observance = (day) => (weekdayOf(day) === SUNDAY ? day + 1 : day);
const nearestWeekday: Observance = (day) => {
  const weekday = weekdayOf(day);
  return weekday === SATURDAY ? day - 1 : weekday === SUNDAY ? day + 1 : day;
};

const THANKSGIVING = nth(11, THURSDAY, 4);
const MON_TO_THU = [MONDAY, TUESDAY, WEDNESDAY, THURSDAY] as const;

const HOLIDAYS: readonly HolidayRule[] = [
  // Saturday New Year's Day is not moved to Friday: that Friday ends the accounting year (Rule 7.2).
  { name: "New Year's Day", date: fixed(1, 1), observe: sundayToMonday },
  { name: 'Martin Luther King, Jr. Day', from: 1998, date: nth(1, MONDAY, 3), observe: asIs },
  { name: "Washington's Birthday", date: nth(2, MONDAY, 3), observe: asIs },
  { name: 'Good Friday', date: easter(-2), observe: asIs },
  { name: 'Memorial Day', date: last(5, MONDAY), observe: asIs },
  { name: 'Juneteenth National Independence Day', from: 2022, date: fixed(6, 19), observe: nearestWeekday },
  { name: 'Independence Day', date: fixed(7, 4), observe: nearestWeekday },
  { name: 'Labor Day', date: nth(9, MONDAY, 1), observe: asIs },
  { name: 'Thanksgiving Day', date: THANKSGIVING, observe: asIs },
  { name: 'Christmas Day', date: fixed(12, 25), observe: nearestWeekday },
];

const EARLY_CLOSES: readonly EarlyCloseRule[] = [
  // Until 2012 a Thursday July 4 shortened the Friday after instead of the Wednesday before.
  { name: 'Day before Independence Day', from: 1995, to: 2012, date: onWeekdays(fixed(7, 3), [MONDAY, TUESDAY, THURSDAY]), close: ONE_PM },
  { name: 'Day after Independence Day', from: 1996, to: 2012, date: onWeekdays(fixed(7, 5), [FRIDAY]), close: ONE_PM },
  { name: 'Day before Independence Day', from: 2013, date: onWeekdays(fixed(7, 3), MON_TO_THU), close: ONE_PM },
  { name: 'Day after Thanksgiving', from: 1992, to: 1992, date: plusDays(THANKSGIVING, 1), close: TWO_PM },
  { name: 'Day after Thanksgiving', from: 1993, date: plusDays(THANKSGIVING, 1), close: ONE_PM },
  // A Friday Dec 24 is the observed Christmas holiday, so only Mon–Thu can be shortened.
  { name: 'Christmas Eve', to: 1992, date: onWeekdays(fixed(12, 24), MON_TO_THU), close: TWO_PM },
  { name: 'Christmas Eve', from: 1993, date: onWeekdays(fixed(12, 24), MON_TO_THU), close: ONE_PM },
];

const SPECIAL_CLOSURES = new Set(XNYS_SPECIAL_CLOSURES.map((c) => parseDay(c.date, `XNYS_SPECIAL_CLOSURES(${c.date})`)));
const SPECIAL_EARLY_CLOSES = new Map(XNYS_SPECIAL_EARLY_CLOSES.map((c) => [parseDay(c.date, `XNYS_SPECIAL_EARLY_CLOSES(${c.date})`), hhmm(c.close, `XNYS_SPECIAL_EARLY_CLOSES(${c.date}).close`)]));

/**
 * The New York Stock Exchange calendar (also right for Nasdaq's regular session): America/New_York,
 * 09:30–16:00, NYSE holidays and 13:00 early closes by rule for 1990–2099, plus the one-off
 * closures in `xnys-special-days.ts`. Each year is built on first use; lookups are binary searches.
 *
 * @example
 * ```ts
 * const xnys = createXnysCalendar();
 * xnys.sessions('2024-01-01', '2024-12-31').length; // 252
 * xnys.session('2024-11-29'); // { date: '2024-11-29', open: 1732890600000, close: 1732903200000, earlyClose: true }
 * ```
 */
export function createXnysCalendar(): TradingCalendar {
  return createYearCachedCalendar({
    name: 'XNYS',
    timezone: 'America/New_York',
    firstYear: FIRST_YEAR,
    lastYear: LAST_YEAR,
    tradingDays: xnysTradingDays,
  });
}

function xnysTradingDays(year: number): TradingDay[] {
  const closed = new Set<number>();
  const earlyCloses = new Map<number, number>();
  // Observance can move a holiday across New Year, so the neighbouring years' rules are consulted too.
  for (let y = year - 1; y <= year + 1; y++) {
    for (const rule of HOLIDAYS) {
      if (!inForce(rule, y)) continue;
      const date = rule.date(y);
      if (date !== undefined) closed.add(rule.observe(date));
    }
    for (const rule of EARLY_CLOSES) {
      if (!inForce(rule, y)) continue;
      const date = rule.date(y);
      if (date !== undefined) earlyCloses.set(date, rule.close);
    }
  }
  const days: TradingDay[] = [];
  const end = dayNumber(year, 12, 31);
  for (let day = dayNumber(year, 1, 1); day <= end; day++) {
    const weekday = weekdayOf(day);
    if (weekday === SATURDAY || weekday === SUNDAY || closed.has(day) || SPECIAL_CLOSURES.has(day)) continue;
    const close = SPECIAL_EARLY_CLOSES.get(day) ?? earlyCloses.get(day) ?? CLOSE;
    days.push({ day, openMinute: OPEN, closeMinute: close, earlyClose: close < CLOSE });
  }
  return days;
}

function inForce(rule: { readonly from?: number; readonly to?: number }, year: number): boolean {
  return (rule.from === undefined || year >= rule.from) && (rule.to === undefined || year <= rule.to);
}

function hhmm(text: string, path = 'xnys.time'): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) throw ConfigError.at(path, text, 'a local time "HH:MM"');
  return Number(match[1]) * 60 + Number(match[2]);
}
