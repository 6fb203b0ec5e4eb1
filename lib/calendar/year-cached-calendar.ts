import { ConfigError } from '../errors.ts';
import { DAY_MS, MINUTE_MS, dayNumber, formatDay, parseDay, yearOf } from './civil-date.ts';
import { createLocalTimeConverter } from './local-time.ts';
import type { ClosedDay, ExtendedHours, Session, SpecialDay, TradingCalendar } from './types.ts';

/**
 * Receives one year's days from a rule set, in ascending date order. Sessions are given in local
 * wall-clock minutes; the calendar turns them into instants as they arrive, so a year is built
 * in one pass without intermediate objects.
 */
export interface YearBuilder {
  /**
   * A trading day: `openMinute`/`closeMinute` are local minutes after midnight (570 = 09:30;
   * the close may exceed 1440 for a session ending after midnight). `reason` says why the
   * session is shortened (early close, late open) and is given exactly for shortened sessions.
   */
  session(day: number, openMinute: number, closeMinute: number, earlyClose: boolean, reason?: string): void;
  /** A day of the regular week without a session (weekends of a Mon–Fri week are not listed). */
  closed(day: number, reason: string): void;
}

/** What a concrete calendar supplies to {@link createYearCachedCalendar}. */
export interface YearCachedCalendarSpec {
  readonly name: string;
  /** IANA time zone; `'UTC'` skips the time-zone database entirely. */
  readonly timezone: string;
  /** First and last year the rules are known to be right for; lookups outside throw. */
  readonly firstYear: number;
  readonly lastYear: number;
  /** Report the days of `year` (day numbers, see `civil-date.ts`) to `out`. Called at most once per year. */
  buildYear(year: number, out: YearBuilder): void;
  /** Local start of pre-market trading, minutes after midnight (e.g. 240 = 04:00); omit for none. */
  readonly preMarketMinute?: number;
  /** Length of post-market trading after each session's close, minutes (240 for XNYS); omit for none. */
  readonly postMarketMinutes?: number;
  /** Regular local open and close, minutes after midnight, where the calendar has fixed hours (XNYS 570–960). */
  readonly regularHours?: { readonly open: number; readonly close: number };
}

// The rules behind each calendar this module built, so a definition can extend any of them.
const RULES = new WeakMap<TradingCalendar, YearCachedCalendarSpec>();

/**
 * The rule set a calendar was built from by {@link createYearCachedCalendar}, or `undefined` for
 * a calendar implemented some other way. Custom calendars use it to extend a base calendar.
 *
 * @example
 * ```ts
 * rulesOf(getCalendar('XNYS'))?.timezone; // 'America/New_York'
 * ```
 */
export function rulesOf(calendar: TradingCalendar): YearCachedCalendarSpec | undefined {
  return RULES.get(calendar);
}

interface YearTable {
  /** Session objects, created on first access (most years of a long calendar are only searched). */
  readonly sessions: (Session | undefined)[];
  readonly days: Int32Array;
  readonly opens: Float64Array;
  readonly closes: Float64Array;
  /** 1 where the session closes early. */
  readonly early: Uint8Array;
  /** Session index → why it is shortened; only shortened sessions are present. */
  readonly reasons: ReadonlyMap<number, string>;
  readonly closed: readonly ClosedDay[];
  readonly closedDays: Int32Array;
  /** Formats the date of a day number of this year. */
  readonly dateOf: (day: number) => string;
}

/** The session at index `i` of `t`, created (frozen) and cached on first access. */
function sessionOf(t: YearTable, i: number): Session {
  return (t.sessions[i] ??= Object.freeze({ date: t.dateOf(t.days[i]!), open: t.opens[i]!, close: t.closes[i]!, earlyClose: t.early[i] === 1 }));
}

/**
 * Turn a per-year rule set into a {@link TradingCalendar}. Each year's table (dates, opens,
 * closes as typed arrays) is built on first use and cached, so every later call, `sessionAt`
 * included, is a binary search over typed arrays. Wall-clock times become instants through
 * {@link createLocalTimeConverter}, which reads the time-zone table once per calendar; no
 * `moment` or `Intl` call happens per day or per lookup.
 * Session objects are created on first access, frozen and shared, so they can be used as map keys.
 *
 * @example
 * ```ts
 * const weekdays = createYearCachedCalendar({
 *   name: 'WEEKDAYS', timezone: 'UTC', firstYear: 2000, lastYear: 2100,
 *   buildYear(year, out) {
 *     for (let day = dayNumber(year, 1, 1); day <= dayNumber(year, 12, 31); day++) {
 *       if (weekdayOf(day) % 6 !== 0) out.session(day, 0, 1440, false);
 *     }
 *   },
 * });
 * weekdays.isSession('2024-03-09'); // false
 * ```
 */
export function createYearCachedCalendar(spec: YearCachedCalendarSpec): TradingCalendar {
  const { name, timezone, firstYear, lastYear, preMarketMinute, postMarketMinutes } = spec;
  const toInstant = createLocalTimeConverter(timezone, `calendar(${name}).timezone`);
  const tables: (YearTable | undefined)[] = new Array<YearTable | undefined>(lastYear - firstYear + 1);
  const firstDay = dayNumber(firstYear, 1, 1);
  const lastDay = dayNumber(lastYear, 12, 31);
  const rangeText = `a date between ${formatDay(firstDay)} and ${formatDay(lastDay)} (the range of calendar ${JSON.stringify(name)})`;
  // Ticks arrive in order, so the session that answered the previous sessionAt usually answers the next.
  let lastHit: Session | undefined;
  // Likewise the UTC year of the previous instant, which saves a civil-date conversion per miss.
  let utcYear = 0;
  let utcYearFirstDay = 1;
  let utcYearLastDay = 0;

  function table(year: number): YearTable | undefined {
    if (year < firstYear || year > lastYear) return undefined;
    const index = year - firstYear;
    return (tables[index] ??= buildTable(year));
  }

  function buildTable(year: number): YearTable {
    let capacity = 372;
    let days = new Int32Array(capacity);
    let opens = new Float64Array(capacity);
    let closes = new Float64Array(capacity);
    let early = new Uint8Array(capacity);
    const reasons = new Map<number, string>();
    const closed: ClosedDay[] = [];
    const closedDays: number[] = [];
    const yearStart = dayNumber(year, 1, 1);
    const yearText = String(year).padStart(4, '0');
    const suffixes = isLeapYear(year) ? LEAP_SUFFIXES : COMMON_SUFFIXES;
    const dateOf = (day: number): string => {
      const dayOfYear = day - yearStart;
      return dayOfYear >= 0 && dayOfYear < suffixes.length ? yearText + suffixes[dayOfYear]! : formatDay(day);
    };
    let n = 0;
    spec.buildYear(year, {
      session(day, openMinute, closeMinute, earlyClose, reason) {
        if (n === capacity) {
          capacity *= 2;
          days = grow(days, new Int32Array(capacity));
          opens = grow(opens, new Float64Array(capacity));
          closes = grow(closes, new Float64Array(capacity));
          early = grow(early, new Uint8Array(capacity));
        }
        days[n] = day;
        opens[n] = toInstant(day, openMinute);
        closes[n] = toInstant(day, closeMinute);
        if (earlyClose) early[n] = 1;
        if (reason !== undefined) reasons.set(n, reason);
        n++;
      },
      closed(day, reason) {
        closedDays.push(day);
        closed.push(Object.freeze({ date: dateOf(day), reason }));
      },
    });
    return { sessions: new Array<Session | undefined>(n), days: days.subarray(0, n), opens: opens.subarray(0, n), closes: closes.subarray(0, n), early: early.subarray(0, n), reasons, closed, closedDays: Int32Array.from(closedDays), dateOf };
  }

  function dayIn(text: string, path: string): number {
    const day = parseDay(text, path);
    if (day < firstDay || day > lastDay) throw ConfigError.at(path, text, rangeText);
    return day;
  }

  function nextAfter(day: number, text: string): Session {
    for (let year = yearOf(day); year <= lastYear; year++) {
      const t = table(year)!;
      const i = upperBound(t.days, day);
      if (i < t.days.length) return sessionOf(t, i);
    }
    throw ConfigError.at('date', text, `a date before the last session of calendar ${JSON.stringify(name)} (${formatDay(lastDay)})`);
  }

  function previousBefore(day: number, text: string): Session {
    for (let year = yearOf(day); year >= firstYear; year--) {
      const t = table(year)!;
      const i = lowerBound(t.days, day) - 1;
      if (i >= 0) return sessionOf(t, i);
    }
    throw ConfigError.at('date', text, `a date after the first session of calendar ${JSON.stringify(name)} (${formatDay(firstDay)})`);
  }

  /** Index of the session in `t` whose [open, close) holds `instant`, else -1 / -2 for "before all" / "after all". */
  function find(t: YearTable, instant: number): number {
    const i = upperBound(t.opens, instant) - 1;
    if (i < 0) return -1;
    if (instant < t.closes[i]!) return i;
    return i === t.opens.length - 1 ? -2 : -3;
  }

  /** Index of the session on `date` in its year's table, or -1. */
  function indexOf(date: string): [YearTable, number] {
    const day = dayIn(date, 'date');
    const t = table(yearOf(day))!;
    const i = lowerBound(t.days, day);
    return [t, i < t.days.length && t.days[i] === day ? i : -1];
  }

  function session(date: string): Session | undefined {
    const [t, i] = indexOf(date);
    return i < 0 ? undefined : sessionOf(t, i);
  }

  /** Calls `visit(table, lo, hi, closedLo, closedHi)` for each year overlapping [from, to]. */
  function eachYear(from: string, to: string, visit: (t: YearTable, lo: number, hi: number, closedLo: number, closedHi: number) => void): void {
    const start = dayIn(from, 'from');
    const end = dayIn(to, 'to');
    for (let year = yearOf(start); year <= yearOf(end); year++) {
      const t = table(year)!;
      visit(t, lowerBound(t.days, start), upperBound(t.days, end), lowerBound(t.closedDays, start), upperBound(t.closedDays, end));
    }
  }

  // Methods are closures, not `this`-based, so `const { sessionAt } = calendar` keeps working.
  const calendar: TradingCalendar = {
    name,
    timezone,
    sessions: (from: string, to: string): Session[] => {
      const out: Session[] = [];
      eachYear(from, to, (t, lo, hi) => {
        for (let i = lo; i < hi; i++) out.push(sessionOf(t, i));
      });
      return out;
    },
    isSession: (date: string): boolean => indexOf(date)[1] >= 0,
    session,
    nextSession: (date: string): Session => nextAfter(dayIn(date, 'date'), date),
    previousSession: (date: string): Session => previousBefore(dayIn(date, 'date'), date),
    sessionAt(instant: number): Session | undefined {
      if (lastHit !== undefined && instant >= lastHit.open && instant < lastHit.close) return lastHit;
      if (!Number.isFinite(instant)) return undefined;
      // A session's date is within a day of its UTC date, so only the neighbouring year can hold it.
      const utcDay = Math.floor(instant / DAY_MS);
      if (utcDay < utcYearFirstDay || utcDay > utcYearLastDay) {
        utcYear = yearOf(utcDay);
        utcYearFirstDay = dayNumber(utcYear, 1, 1);
        utcYearLastDay = dayNumber(utcYear, 12, 31);
      }
      const year = utcYear;
      const t = table(year);
      let hit: Session | undefined;
      const i = t === undefined ? -1 : find(t, instant);
      if (i >= 0) hit = sessionOf(t!, i);
      else if (i === -1) {
        const prev = table(year - 1);
        const j = prev === undefined ? -3 : find(prev, instant);
        if (j >= 0) hit = sessionOf(prev!, j);
      } else if (i === -2) {
        const next = table(year + 1);
        const j = next === undefined ? -3 : find(next, instant);
        if (j >= 0) hit = sessionOf(next!, j);
      }
      if (hit !== undefined) lastHit = hit;
      return hit;
    },
    minutes(session: Session): number {
      return Math.round((session.close - session.open) / MINUTE_MS);
    },
    holidays(from: string, to: string): ClosedDay[] {
      const out: ClosedDay[] = [];
      eachYear(from, to, (t, _lo, _hi, closedLo, closedHi) => {
        for (let i = closedLo; i < closedHi; i++) out.push(t.closed[i]!);
      });
      return out;
    },
    specialDays(from: string, to: string): SpecialDay[] {
      const out: SpecialDay[] = [];
      eachYear(from, to, (t, lo, hi, closedLo, closedHi) => {
        // Merge the year's closed days and shortened sessions, both already in date order.
        let c = closedLo;
        const shortened = [...t.reasons.keys()].filter((i) => i >= lo && i < hi).sort((a, b) => a - b);
        for (const i of shortened) {
          for (; c < closedHi && t.closedDays[c]! < t.days[i]!; c++) out.push({ kind: 'closed', ...t.closed[c]! });
          const session = sessionOf(t, i);
          out.push({ date: session.date, kind: 'shortened', reason: t.reasons.get(i)!, session });
        }
        for (; c < closedHi; c++) out.push({ kind: 'closed', ...t.closed[c]! });
      });
      return out;
    },
    extendedHours(session: Session): ExtendedHours {
      const preOpen = preMarketMinute === undefined ? session.open : Math.min(session.open, toInstant(parseDay(session.date, 'session.date'), preMarketMinute));
      const postClose = postMarketMinutes === undefined ? session.close : session.close + postMarketMinutes * MINUTE_MS;
      return { preOpen, postClose };
    },
  };
  RULES.set(calendar, spec);
  return calendar;
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** `'-MM-DD'` by day of year, so a year's dates are one concatenation each instead of a civil-date conversion. */
function monthDaySuffixes(leap: boolean): readonly string[] {
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  const out: string[] = [];
  lengths.forEach((length, m) => {
    for (let d = 1; d <= length; d++) out.push(`-${m < 9 ? '0' : ''}${m + 1}-${d < 10 ? '0' : ''}${d}`);
  });
  return out;
}
const COMMON_SUFFIXES = monthDaySuffixes(false);
const LEAP_SUFFIXES = monthDaySuffixes(true);

/** First index whose value is >= `x`. */
function lowerBound(values: Int32Array | Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > `x`. */
function upperBound(values: Int32Array | Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
