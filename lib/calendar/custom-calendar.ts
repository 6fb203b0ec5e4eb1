import * as v from 'valibot';
import { ConfigError, type ConfigProblem, quote } from '../errors.ts';
import { closestName } from '../registry.ts';
import { CalendarDefinitionSchema, WEEKDAY_NAMES, type CalendarDefinition } from './calendar-definition.ts';
import { CALENDARS } from './calendar-registry.ts';
import { dayNumber, parseClockTime, parseDay, weekdayOf, yearOf } from './civil-date.ts';
import type { TradingCalendar } from './types.ts';
import { createYearCachedCalendar, rulesOf, type YearBuilder, type YearCachedCalendarSpec } from './year-cached-calendar.ts';

// A calendar of its own has no exchange history to bound it; the same span as 24/7.
const FIRST_YEAR = 1970;
const LAST_YEAR = 2199;
const DEFAULT_WEEK = [1, 2, 3, 4, 5];

/**
 * Build a calendar from a definition (the object form of the session config's `calendar`, see
 * `CalendarDefinitionSchema`): either a calendar of its own — `{ timezone, open, close,
 * weekdays?, holidays?, earlyCloses?, preMarket?, postMarket? }` — or a variation of a named
 * calendar — `{ extends: 'XNYS', holidays?, earlyCloses? }` — that keeps the base's sessions,
 * hours, DST handling and reasons and applies the extra holidays and early closes. The result is
 * a full {@link TradingCalendar} (year-cached, binary-search lookups) that can itself be
 * registered and extended.
 *
 * Every problem is reported at once as a {@link ConfigError} whose paths start with `path`
 * (default `'calendar'`): bad fields, an unknown base, an early close that is not before the
 * regular close of a session, a holiday or early close on a day that is not a trading weekday.
 *
 * @example
 * ```ts
 * const office = createCustomCalendar({ extends: 'XNYS', holidays: [{ date: '2024-03-11', reason: 'Office move' }] });
 * office.isSession('2024-03-11'); // false
 * office.holidays('2024-03-11', '2024-03-11'); // [{ date: '2024-03-11', reason: 'Office move' }]
 *
 * const lse = createCustomCalendar({ name: 'LSE-LIKE', timezone: 'Europe/London', open: '08:00', close: '16:30', holidays: ['2024-12-25', '2024-12-26'] });
 * lse.session('2024-07-01')?.open; // 1719817200000 (07:00Z, British Summer Time)
 * ```
 */
export function createCustomCalendar(definition: unknown, options: { path?: string } = {}): TradingCalendar {
  const path = options.path ?? 'calendar';
  const parsed = v.safeParse(CalendarDefinitionSchema, definition, { abortEarly: false, abortPipeEarly: true });
  if (!parsed.success) throw problemsError(path, parsed.issues.map((issue) => toProblem(path, issue)));
  const def = parsed.output as CalendarDefinition;
  const problems: ConfigProblem[] = [];
  const spec = def.extends !== undefined ? extendingRules(def, def.extends, path, problems) : standaloneRules(def, path, problems);
  if (problems.length > 0 || spec === undefined) throw problemsError(path, problems);
  return createYearCachedCalendar(spec);
}

interface ExtraDay {
  readonly reason: string;
  /** Local close minute for an early close; undefined for a holiday. */
  readonly close?: number;
}

/** The definition's holidays and early closes by day number. */
function extraDays(def: CalendarDefinition, path: string, problems: ConfigProblem[]): Map<number, ExtraDay> {
  const extra = new Map<number, ExtraDay>();
  (def.holidays ?? []).forEach((h, i) => {
    const date = typeof h === 'string' ? h : h.date;
    const reason = (typeof h === 'string' ? undefined : h.reason) ?? 'Holiday';
    extra.set(parseDay(date, `${path}.holidays[${i}]`), { reason });
  });
  (def.earlyCloses ?? []).forEach((e, i) => {
    const day = parseDay(e.date, `${path}.earlyCloses[${i}].date`);
    if (extra.has(day)) problems.push(problem(`${path}.earlyCloses[${i}].date`, e.date, 'a date that is not also listed in holidays', `${e.date} is also a holiday`));
    else extra.set(day, { reason: e.reason ?? 'Early close', close: parseClockTime(e.close, `${path}.earlyCloses[${i}].close`) });
  });
  return extra;
}

function standaloneRules(def: CalendarDefinition & { extends?: undefined }, path: string, problems: ConfigProblem[]): YearCachedCalendarSpec | undefined {
  const standalone = def as Extract<CalendarDefinition, { timezone: string }>;
  const open = parseClockTime(standalone.open, `${path}.open`);
  const close = parseClockTime(standalone.close, `${path}.close`, { allowEndOfDay: true });
  if (close <= open) problems.push(problem(`${path}.close`, standalone.close, `a close after the open (${standalone.open})`, `closes at or before the open ${standalone.open}`));
  const week = new Set((standalone.weekdays ?? DEFAULT_WEEK).map((d) => (typeof d === 'number' ? d : WEEKDAY_NAMES.indexOf(d))));
  const extra = extraDays(def, path, problems);
  (def.holidays ?? []).forEach((h, i) => {
    const date = typeof h === 'string' ? h : h.date;
    if (!week.has(weekdayOf(parseDay(date)))) problems.push(problem(`${path}.holidays[${i}]`, h, 'a date on one of the calendar weekdays', `${date} is a ${WEEKDAY_NAMES[weekdayOf(parseDay(date))]}, not a trading weekday`));
  });
  (def.earlyCloses ?? []).forEach((e, i) => {
    const closeAt = parseClockTime(e.close, `${path}.earlyCloses[${i}].close`);
    if (!week.has(weekdayOf(parseDay(e.date)))) problems.push(problem(`${path}.earlyCloses[${i}].date`, e.date, 'a date on one of the calendar weekdays', `${e.date} is a ${WEEKDAY_NAMES[weekdayOf(parseDay(e.date))]}, not a trading weekday`));
    if (closeAt <= open || closeAt >= close) problems.push(problem(`${path}.earlyCloses[${i}].close`, e.close, `a time after the open ${standalone.open} and before the close ${standalone.close}`, `${e.close} is not between the open ${standalone.open} and the close ${standalone.close}`));
  });
  const preMarket = extendedStart(def, open, path, problems);
  const postMarketMinutes = extendedLength(def, close, path, problems);
  for (const [day] of extra) {
    const year = yearOf(day);
    if (year < FIRST_YEAR || year > LAST_YEAR) problems.push(problem(path, def, `dates between ${FIRST_YEAR} and ${LAST_YEAR}`, `a date in ${year} is outside ${FIRST_YEAR}–${LAST_YEAR}`));
  }
  if (problems.length > 0) return undefined;
  return {
    name: def.name ?? 'CUSTOM',
    timezone: standalone.timezone,
    firstYear: FIRST_YEAR,
    lastYear: LAST_YEAR,
    regularHours: { open, close },
    ...(preMarket !== undefined ? { preMarketMinute: preMarket } : {}),
    ...(postMarketMinutes !== undefined ? { postMarketMinutes } : {}),
    buildYear(year: number, out: YearBuilder): void {
      const end = dayNumber(year, 12, 31);
      for (let day = dayNumber(year, 1, 1), weekday = weekdayOf(day); day <= end; day++, weekday = (weekday + 1) % 7) {
        if (!week.has(weekday)) continue;
        const special = extra.get(day);
        if (special === undefined) out.session(day, open, close, false);
        else if (special.close === undefined) out.closed(day, special.reason);
        else out.session(day, open, special.close, true, special.reason);
      }
    },
  };
}

function extendingRules(def: CalendarDefinition, baseName: string, path: string, problems: ConfigProblem[]): YearCachedCalendarSpec | undefined {
  const baseCalendar = CALENDARS.lookup(baseName);
  const base = baseCalendar === undefined ? undefined : rulesOf(baseCalendar);
  if (base === undefined) {
    const known = CALENDARS.accepted().map((n) => JSON.stringify(n)).join(', ');
    const guess = closestName(baseName, CALENDARS.accepted());
    const unknown = (found: ConfigProblem): ConfigProblem => (guess === undefined ? found : { ...found, message: `${found.message}; did you mean ${JSON.stringify(guess)}?` });
    problems.push(baseCalendar === undefined ? unknown(problem(`${path}.extends`, baseName, `one of ${known}`, `unknown calendar ${quote(baseName)}; known: ${known}`)) : problem(`${path}.extends`, baseName, 'a calendar built from rules (a name, alias or definition)', `calendar ${quote(baseName)} cannot be extended`));
    return undefined;
  }
  const extra = extraDays(def, path, problems);
  // Each extra day must fall on a base session (a holiday on a day the base already closes is
  // harmless, but an early close needs a session to shorten, and one after its close is a typo).
  const sessionsOnExtraDays = new Map<number, { open: number; close: number }>();
  const years = new Set([...extra.keys()].map((day) => yearOf(day)));
  for (const year of years) {
    if (year < base.firstYear || year > base.lastYear) continue;
    base.buildYear(year, {
      session: (day, open, close) => {
        if (extra.has(day)) sessionsOnExtraDays.set(day, { open, close });
      },
      closed: () => undefined,
    });
  }
  const where = new Map<number, string>();
  (def.holidays ?? []).forEach((h, i) => where.set(parseDay(typeof h === 'string' ? h : h.date), `${path}.holidays[${i}]`));
  (def.earlyCloses ?? []).forEach((e, i) => where.set(parseDay(e.date), `${path}.earlyCloses[${i}]`));
  for (const [day, special] of extra) {
    const at = where.get(day)!;
    const year = yearOf(day);
    if (year < base.firstYear || year > base.lastYear) {
      problems.push(problem(at, def, `a date between ${base.firstYear}-01-01 and ${base.lastYear}-12-31 (the range of ${base.name})`, `date outside ${base.firstYear}–${base.lastYear}, the range of ${base.name}`));
      continue;
    }
    if (special.close === undefined) continue;
    const session = sessionsOnExtraDays.get(day);
    const early = (def.earlyCloses ?? []).find((e) => parseDay(e.date) === day)!;
    if (session === undefined) problems.push(problem(`${at}.date`, early.date, `a ${base.name} session`, `${early.date} is not a ${base.name} session`));
    else if (special.close <= session.open || special.close >= session.close) problems.push(problem(`${at}.close`, early.close, `a time within that day's ${base.name} session`, `${early.close} is not inside the ${base.name} session of ${early.date}`));
  }
  const preMarket = def.preMarket === undefined ? base.preMarketMinute : extendedStart(def, base.regularHours?.open ?? 1440, path, problems);
  let postMarketMinutes = base.postMarketMinutes;
  if (def.postMarket !== undefined) {
    if (base.regularHours === undefined) problems.push(problem(`${path}.postMarket`, def.postMarket, `nothing: ${base.name} has no fixed regular close to measure it from`, `${base.name} has no fixed regular close`));
    else postMarketMinutes = extendedLength(def, base.regularHours.close, path, problems);
  }
  if (problems.length > 0) return undefined;
  return {
    ...base,
    name: def.name ?? `${base.name}+custom`,
    ...(preMarket !== undefined ? { preMarketMinute: preMarket } : {}),
    ...(postMarketMinutes !== undefined ? { postMarketMinutes } : {}),
    buildYear(year: number, out: YearBuilder): void {
      base.buildYear(year, {
        session(day, open, close, earlyClose, reason) {
          const special = extra.get(day);
          if (special === undefined) out.session(day, open, close, earlyClose, reason);
          else if (special.close === undefined) out.closed(day, special.reason);
          else out.session(day, open, special.close, true, reason === undefined ? special.reason : `${reason}; ${special.reason}`);
        },
        closed: (day, reason) => out.closed(day, reason),
      });
    },
  };
}

/** `preMarket` as a local minute; it must start before the open. */
function extendedStart(def: CalendarDefinition, open: number, path: string, problems: ConfigProblem[]): number | undefined {
  if (def.preMarket === undefined) return undefined;
  const start = parseClockTime(def.preMarket, `${path}.preMarket`);
  if (start >= open) problems.push(problem(`${path}.preMarket`, def.preMarket, 'a time before the regular open', `${def.preMarket} is not before the regular open`));
  return start;
}

/** `postMarket` (an end time) as minutes after the regular close; it must end after the close. */
function extendedLength(def: CalendarDefinition, close: number, path: string, problems: ConfigProblem[]): number | undefined {
  if (def.postMarket === undefined) return undefined;
  const end = parseClockTime(def.postMarket, `${path}.postMarket`, { allowEndOfDay: true });
  if (end <= close) problems.push(problem(`${path}.postMarket`, def.postMarket, 'a time after the regular close', `${def.postMarket} is not after the regular close`));
  return end - close;
}

function problem(path: string, value: unknown, expected: string, message: string): ConfigProblem {
  return { path, value, expected, message: `${message}; got ${quote(value)}` };
}

function problemsError(path: string, problems: readonly ConfigProblem[]): ConfigError {
  const lines = problems.map((p) => `  ${p.path}: ${p.message}`);
  return new ConfigError(`${path}: invalid calendar definition (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`, problems);
}

/** A valibot issue as a problem at its JSON path under `root`. */
function toProblem(root: string, issue: v.BaseIssue<unknown>): ConfigProblem {
  const keys = (issue.path ?? []).map((item) => item.key);
  const path = root + keys.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
  if (issue.type === 'strict_object' && issue.expected === 'never') return problem(path, keys.at(-1), 'a known key', `unknown key ${quote(keys.at(-1))}`);
  if (issue.received === 'undefined') return { path, expected: issue.expected ?? 'a value', message: `missing required key ${quote(keys.at(-1))}` };
  const expected = /^Invalid /.test(issue.message) ? (issue.expected ?? 'a valid value') : issue.message;
  return problem(path, issue.input, expected, expected);
}
