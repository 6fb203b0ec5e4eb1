import moment from 'moment-timezone';
import { ConfigError } from '../errors.ts';
import { DAY_MS, MINUTE_MS, dayNumber, formatDay, parseDay, yearOf } from './civil-date.ts';
import type { Session, TradingCalendar } from './types.ts';

/** One trading day as a rule set describes it: local wall-clock minutes, no instants yet. */
export interface TradingDay {
  /** Day number (see `civil-date.ts`) of the trading date in the exchange time zone. */
  readonly day: number;
  /** Local open, minutes after midnight (570 = 09:30). */
  readonly openMinute: number;
  /** Local close, minutes after midnight; may exceed 1440 for a session ending after midnight. */
  readonly closeMinute: number;
  readonly earlyClose: boolean;
}

/** What a concrete calendar supplies to {@link createYearCachedCalendar}. */
export interface YearCachedCalendarSpec {
  readonly name: string;
  /** IANA time zone; `'UTC'` skips the time-zone database entirely. */
  readonly timezone: string;
  /** First and last year the rules are known to be right for; lookups outside throw. */
  readonly firstYear: number;
  readonly lastYear: number;
  /** The trading days of `year`, ascending. Called at most once per year. */
  tradingDays(year: number): readonly TradingDay[];
}

interface YearTable {
  readonly sessions: readonly Session[];
  readonly days: Int32Array;
  readonly opens: Float64Array;
  readonly closes: Float64Array;
}

/**
 * Turn a per-year rule set into a {@link TradingCalendar}. Each year's sessions are built on
 * first use (the only place the time-zone database is consulted: two offset look-ups per day)
 * and cached, so every later call, `sessionAt` included, is a binary search over typed arrays.
 * Session objects are frozen and shared, so they can be used as map keys.
 *
 * @example
 * ```ts
 * const weekdays = createYearCachedCalendar({
 *   name: 'WEEKDAYS', timezone: 'UTC', firstYear: 2000, lastYear: 2100,
 *   tradingDays(year) {
 *     const days: TradingDay[] = [];
 *     for (let day = dayNumber(year, 1, 1); day <= dayNumber(year, 12, 31); day++) {
 *       if (weekdayOf(day) % 6 !== 0) days.push({ day, openMinute: 0, closeMinute: 1440, earlyClose: false });
 *     }
 *     return days;
 *   },
 * });
 * weekdays.isSession('2024-03-09'); // false
 * ```
 */
export function createYearCachedCalendar(spec: YearCachedCalendarSpec): TradingCalendar {
  const { name, timezone, firstYear, lastYear } = spec;
  const toInstant = instantConverter(timezone, name);
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
    const tradingDays = spec.tradingDays(year);
    const n = tradingDays.length;
    const days = new Int32Array(n);
    const opens = new Float64Array(n);
    const closes = new Float64Array(n);
    const sessions: Session[] = new Array<Session>(n);
    for (let i = 0; i < n; i++) {
      const t = tradingDays[i]!;
      const open = toInstant(t.day, t.openMinute);
      const close = toInstant(t.day, t.closeMinute);
      days[i] = t.day;
      opens[i] = open;
      closes[i] = close;
      sessions[i] = Object.freeze({ date: formatDay(t.day), open, close, earlyClose: t.earlyClose });
    }
    return { sessions, days, opens, closes };
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
      if (i < t.sessions.length) return t.sessions[i]!;
    }
    throw ConfigError.at('date', text, `a date before the last session of calendar ${JSON.stringify(name)} (${formatDay(lastDay)})`);
  }

  function previousBefore(day: number, text: string): Session {
    for (let year = yearOf(day); year >= firstYear; year--) {
      const t = table(year)!;
      const i = lowerBound(t.days, day) - 1;
      if (i >= 0) return t.sessions[i]!;
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

  function session(date: string): Session | undefined {
    const day = dayIn(date, 'date');
    const t = table(yearOf(day))!;
    const i = lowerBound(t.days, day);
    return i < t.days.length && t.days[i] === day ? t.sessions[i] : undefined;
  }

  // Methods are closures, not `this`-based, so `const { sessionAt } = calendar` keeps working.
  return {
    name,
    timezone,
    sessions: (from: string, to: string): Session[] => {
      const start = dayIn(from, 'from');
      const end = dayIn(to, 'to');
      const out: Session[] = [];
      for (let year = yearOf(start); year <= yearOf(end); year++) {
        const t = table(year)!;
        const lo = lowerBound(t.days, start);
        const hi = upperBound(t.days, end);
        for (let i = lo; i < hi; i++) out.push(t.sessions[i]!);
      }
      return out;
    },
    isSession: (date: string): boolean => session(date) !== undefined,
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
      if (i >= 0) hit = t!.sessions[i];
      else if (i === -1) {
        const prev = table(year - 1);
        const j = prev === undefined ? -3 : find(prev, instant);
        if (j >= 0) hit = prev!.sessions[j];
      } else if (i === -2) {
        const next = table(year + 1);
        const j = next === undefined ? -3 : find(next, instant);
        if (j >= 0) hit = next!.sessions[j];
      }
      if (hit !== undefined) lastHit = hit;
      return hit;
    },
    minutes(session: Session): number {
      return Math.round((session.close - session.open) / MINUTE_MS);
    },
  };
}

/**
 * Local wall-clock → UTC instant. moment-timezone's `zone.parse` resolves the offset that applies
 * at a local time (DST-aware), which is exactly the per-day work DESIGN §1 allows.
 */
function instantConverter(timezone: string, name: string): (day: number, minute: number) => number {
  if (timezone === 'UTC') return (day, minute) => day * DAY_MS + minute * MINUTE_MS;
  const zone = moment.tz.zone(timezone);
  if (zone === null) throw ConfigError.at(`calendar(${name}).timezone`, timezone, 'an IANA time zone such as "America/New_York"');
  return (day, minute) => {
    // Minutes past 24:00 belong to the next local day, whose offset may differ across a DST change.
    const local = (day + Math.floor(minute / 1440)) * DAY_MS + (minute % 1440) * MINUTE_MS;
    return local + zone.parse(local) * MINUTE_MS;
  };
}

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
