import { momentTz } from './moment-tz.ts';
import * as v from 'valibot';

const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const isRealDate = (s: string): boolean => DATE_TEXT.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const DATE = v.pipe(v.string(), v.check(isRealDate, 'a real date "YYYY-MM-DD"'));
const CLOCK = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time "HH:MM" between "00:00" and "23:59"'));
const CLOCK_OR_MIDNIGHT = v.pipe(v.string(), v.regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a time "HH:MM" between "00:00" and "24:00"'));
const NAME = v.pipe(v.string(), v.regex(/^\S(.*\S)?$/, 'a calendar name such as "XNYS" (no surrounding spaces)'));
const REASON = v.pipe(v.string(), v.minLength(1, 'a non-empty reason'));
const TIMEZONE = v.pipe(v.string(), v.check((tz) => momentTz().tz.zone(tz) !== null, 'an IANA time zone such as "America/New_York"'));

/** Weekday names accepted in `weekdays`, in `Date#getUTCDay` order (0 = Sunday). */
export const WEEKDAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const WEEKDAY = v.union([v.picklist(WEEKDAY_NAMES), v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(6))], 'a weekday "Mon"…"Sun" or a number 0 (Sunday) … 6 (Saturday)');
const WEEKDAYS = v.pipe(
  v.array(WEEKDAY),
  v.minLength(1, 'at least one weekday'),
  v.check((days) => new Set(days.map((d) => (typeof d === 'number' ? d : WEEKDAY_NAMES.indexOf(d)))).size === days.length, 'each weekday once'),
);
const HOLIDAY = v.union([DATE, v.strictObject({ date: DATE, reason: v.optional(REASON) })], 'a date "YYYY-MM-DD" or {"date": "YYYY-MM-DD", "reason": "…"}');
const EARLY_CLOSE = v.strictObject({ date: DATE, close: CLOCK, reason: v.optional(REASON) });
const unique = (dates: (string | { date: string })[]): boolean => new Set(dates.map((d) => (typeof d === 'string' ? d : d.date))).size === dates.length;
const uniqueDates = (items: { date: string }[]): boolean => unique(items);

/** A key that is not allowed in the form of the definition at hand (see {@link CalendarDefinitionSchema}). */
const notWith = (why: string) => v.optional(v.never(why));
const WITH_EXTENDS = 'a key that is not given together with "extends" (the base calendar decides it)';

const COMMON = {
  name: v.optional(NAME),
  holidays: v.optional(v.pipe(v.array(HOLIDAY), v.check((items) => unique(items), 'each holiday date once'))),
  earlyCloses: v.optional(v.pipe(v.array(EARLY_CLOSE), v.check((items) => uniqueDates(items), 'each early-close date once'))),
  preMarket: v.optional(CLOCK),
  postMarket: v.optional(CLOCK_OR_MIDNIGHT),
};

/** A calendar of its own: time zone and regular hours are required. */
const STANDALONE = v.strictObject({
  ...COMMON,
  extends: v.optional(v.undefined()),
  timezone: TIMEZONE,
  open: CLOCK,
  close: CLOCK_OR_MIDNIGHT,
  weekdays: v.optional(WEEKDAYS),
});

/** A variation of a known calendar: its hours, time zone and week come from the base. */
const EXTENDING = v.strictObject({
  ...COMMON,
  extends: NAME,
  timezone: notWith(WITH_EXTENDS),
  open: notWith(WITH_EXTENDS),
  close: notWith(WITH_EXTENDS),
  weekdays: notWith(WITH_EXTENDS),
});

const extendsSomething = (input: unknown): boolean => input !== null && typeof input === 'object' && (input as Record<string, unknown>).extends !== undefined;

/**
 * valibot schema of a calendar definition (the object form of the session config's `calendar`):
 *
 * - a calendar of its own: `{ timezone, open, close, weekdays?, holidays?, earlyCloses?,
 *   preMarket?, postMarket?, name? }` — `open`/`close` are local `'HH:MM'` (`close` may be
 *   `'24:00'`), `weekdays` default Monday–Friday (`'Mon'`…`'Sun'` or 0 = Sunday … 6 = Saturday);
 * - or a variation of a known calendar: `{ extends: 'XNYS', holidays?, earlyCloses?,
 *   preMarket?, postMarket?, name? }`, which inherits the base's sessions, hours, time zone and
 *   reasons and adds the extra holidays and early closes.
 *
 * `holidays` are dates or `{date, reason}`; `earlyCloses` are `{date, close, reason?}`. Every
 * problem is reported with its path (the schema picks the form by the presence of `extends`, so
 * the problems are those of the form meant).
 *
 * @example
 * ```ts
 * v.parse(CalendarDefinitionSchema, { extends: 'XNYS', holidays: [{ date: '2024-03-11', reason: 'Office move' }] });
 * v.parse(CalendarDefinitionSchema, { timezone: 'Europe/London', open: '08:00', close: '16:30' });
 * ```
 */
export const CalendarDefinitionSchema = v.lazy((input: unknown) => (extendsSomething(input) ? EXTENDING : STANDALONE));

/** A validated calendar definition (see {@link CalendarDefinitionSchema}). */
export type CalendarDefinition = v.InferOutput<typeof CalendarDefinitionSchema>;
/** A calendar definition as written, before validation. */
export type CalendarDefinitionInput = v.InferInput<typeof CalendarDefinitionSchema>;

/**
 * valibot schema of the session config's `calendar` field: a calendar name (`'XNYS'`, an alias,
 * `'24/7'`, `'24/5'` or a registered name) or a {@link CalendarDefinitionSchema} object.
 *
 * @example
 * ```ts
 * v.parse(CalendarFieldSchema, 'NYSE'); // 'NYSE'
 * ```
 */
export const CalendarFieldSchema = v.lazy((input: unknown) => (typeof input === 'string' ? NAME : extendsSomething(input) ? EXTENDING : STANDALONE));
