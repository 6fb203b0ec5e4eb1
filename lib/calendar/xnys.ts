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
  parseClockTime,
  parseDay,
  weekdayOf,
} from './civil-date.ts';
import type { TradingCalendar } from './types.ts';
import { XNYS_LATE_OPENS, XNYS_SPECIAL_CLOSURES, XNYS_SPECIAL_EARLY_CLOSES } from './xnys-special-days.ts';
import { createYearCachedCalendar, type YearBuilder } from './year-cached-calendar.ts';

// Rules: NYSE Rule 7.2 (holidays) and the NYSE holiday/early-close schedules; year ranges follow
// the NYSE closings history cited in `xnys-special-days.ts`. One-off days live in that file.

const FIRST_YEAR = 1990;
const LAST_YEAR = 2099;
const OPEN = parseClockTime('09:30');
const CLOSE = parseClockTime('16:00');
const ONE_PM = parseClockTime('13:00');
const TWO_PM = parseClockTime('14:00');
/** Extended hours: pre-market from 04:00, post-market for four hours after the close (16:00–20:00, 13:00–17:00). */
const PRE_MARKET = parseClockTime('04:00');
const POST_MARKET_MINUTES = 240;

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
  // 1995–2012: a Thursday July 4 shortened the Friday after instead of the Wednesday before; a
  // Friday or Saturday July 4 makes Thursday/Friday the holiday or its eve. No July closes before 1995.
  { name: 'Day before Independence Day', from: 1995, to: 2012, date: onWeekdays(fixed(7, 3), [MONDAY, TUESDAY, THURSDAY]), close: ONE_PM },
  { name: 'Day after Independence Day', from: 1996, to: 2012, date: onWeekdays(fixed(7, 5), [FRIDAY]), close: ONE_PM },
  { name: 'Day before Independence Day', from: 2013, date: onWeekdays(fixed(7, 3), MON_TO_THU), close: ONE_PM },
  // The day after Thanksgiving traded full hours until 1991.
  { name: 'Day after Thanksgiving', from: 1992, to: 1992, date: plusDays(THANKSGIVING, 1), close: TWO_PM },
  { name: 'Day after Thanksgiving', from: 1993, date: plusDays(THANKSGIVING, 1), close: ONE_PM },
  // A Friday Dec 24 is the observed Christmas holiday, so only Mon–Thu can be shortened.
  { name: 'Christmas Eve', to: 1992, date: onWeekdays(fixed(12, 24), MON_TO_THU), close: TWO_PM },
  { name: 'Christmas Eve', from: 1993, date: onWeekdays(fixed(12, 24), MON_TO_THU), close: ONE_PM },
];


/**
 * The New York Stock Exchange calendar (also right for Nasdaq's regular session): America/New_York,
 * 09:30–16:00, every NYSE holiday and early-close rule in force 1990–2099 (13:00 closes, the 14:00
 * closes before 1993, the July 5 closes of 1996–2012), plus the one-off closures, early closes
 * and late opens in `xnys-special-days.ts`. Extended hours 04:00–09:30 and 16:00–20:00 (to 17:00
 * after a 13:00 close). Each year is built on first use; lookups are binary searches.
 *
 * @example
 * ```ts
 * const xnys = createXnysCalendar();
 * xnys.sessions('2024-01-01', '2024-12-31').length; // 252
 * xnys.session('2024-11-29'); // { date: '2024-11-29', open: 1732890600000, close: 1732903200000, earlyClose: true }
 * xnys.holidays('2025-01-01', '2025-01-31'); // [{ date: '2025-01-01', reason: "New Year's Day" }, { date: '2025-01-09', reason: 'National Day of Mourning for President Jimmy Carter' }, …]
 * ```
 */
export function createXnysCalendar(): TradingCalendar {
  return createYearCachedCalendar({
    name: 'XNYS',
    timezone: 'America/New_York',
    firstYear: FIRST_YEAR,
    lastYear: LAST_YEAR,
    preMarketMinute: PRE_MARKET,
    postMarketMinutes: POST_MARKET_MINUTES,
    regularHours: { open: OPEN, close: CLOSE },
    buildYear: xnysYear,
  });
}

/** What the rules say about one weekday that is not a regular session. */
interface DayNote {
  closed?: string;
  early?: { readonly minute: number; readonly reason: string };
  late?: { readonly minute: number; readonly reason: string };
}

// One-off days by year, so a year's build touches only its own handful.
const SPECIALS_BY_YEAR = new Map<number, Array<[day: number, apply: (note: DayNote) => void]>>();
function addSpecial(date: string, source: string, apply: (note: DayNote) => void): void {
  const day = parseDay(date, source);
  const year = Number(date.slice(0, 4));
  let list = SPECIALS_BY_YEAR.get(year);
  if (list === undefined) SPECIALS_BY_YEAR.set(year, (list = []));
  list.push([day, apply]);
}
for (const c of XNYS_SPECIAL_CLOSURES) addSpecial(c.date, `XNYS_SPECIAL_CLOSURES(${c.date})`, (note) => (note.closed = c.reason));
for (const c of XNYS_SPECIAL_EARLY_CLOSES) {
  const early = { minute: parseClockTime(c.close, `XNYS_SPECIAL_EARLY_CLOSES(${c.date}).close`), reason: c.reason };
  addSpecial(c.date, `XNYS_SPECIAL_EARLY_CLOSES(${c.date})`, (note) => (note.early = early));
}
for (const o of XNYS_LATE_OPENS) {
  const late = { minute: parseClockTime(o.open, `XNYS_LATE_OPENS(${o.date}).open`), reason: o.reason };
  addSpecial(o.date, `XNYS_LATE_OPENS(${o.date})`, (note) => (note.late = late));
}

function xnysYear(year: number, out: YearBuilder): void {
  const first = dayNumber(year, 1, 1);
  const end = dayNumber(year, 12, 31);
  const notes = new Map<number, DayNote>();
  const noteOn = (day: number): DayNote => {
    let note = notes.get(day);
    if (note === undefined) notes.set(day, (note = {}));
    return note;
  };
  // No NYSE observance crosses New Year (a Saturday January 1 is simply not observed), so each
  // year's rules are evaluated for that year alone.
  for (const rule of HOLIDAYS) {
    if (!inForce(rule, year)) continue;
    const date = rule.date(year);
    if (date === undefined) continue;
    const observed = rule.observe(date);
    if (observed >= first && observed <= end) noteOn(observed).closed = observed === date ? rule.name : `${rule.name} (observed)`;
  }
  for (const rule of EARLY_CLOSES) {
    if (!inForce(rule, year)) continue;
    const date = rule.date(year);
    if (date !== undefined) noteOn(date).early = { minute: rule.close, reason: rule.name };
  }
  // One-off days win over the rules, so they are applied last.
  for (const [day, apply] of SPECIALS_BY_YEAR.get(year) ?? []) apply(noteOn(day));
  const marked = [...notes.keys()].sort((a, b) => a - b);

  let k = 0;
  for (let day = first, weekday = weekdayOf(first); day <= end; day++, weekday = weekday === SATURDAY ? SUNDAY : weekday + 1) {
    if (weekday === SATURDAY || weekday === SUNDAY) continue;
    while (k < marked.length && marked[k]! < day) k++;
    if (k === marked.length || marked[k] !== day) {
      out.session(day, OPEN, CLOSE, false);
      continue;
    }
    const { closed, early, late } = notes.get(day)!;
    if (closed !== undefined) {
      out.closed(day, closed);
      continue;
    }
    const reason = late !== undefined && early !== undefined && late.reason !== early.reason ? `${late.reason}; ${early.reason}` : (late?.reason ?? early!.reason);
    out.session(day, late?.minute ?? OPEN, early?.minute ?? CLOSE, early !== undefined, reason);
  }
}

function inForce(rule: { readonly from?: number; readonly to?: number }, year: number): boolean {
  return (rule.from === undefined || year >= rule.from) && (rule.to === undefined || year <= rule.to);
}
