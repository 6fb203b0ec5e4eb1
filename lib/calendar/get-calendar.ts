import { ConfigError } from '../errors.ts';
import type { CalendarDefinitionInput } from './calendar-definition.ts';
import { CALENDARS } from './calendar-registry.ts';
import { createCustomCalendar } from './custom-calendar.ts';
import type { TradingCalendar } from './types.ts';

// Definitions from configs are usually the same object text run after run; build each once.
const fromDefinitions = new Map<string, TradingCalendar>();

/**
 * The calendar for `name` (case-insensitive): `'XNYS'` (aliases `'NYSE'`, `'XNAS'`, `'NASDAQ'`,
 * `'US_EQUITY'`, all returning the same instance, named `'XNYS'`), `'24/7'`, `'24/5'` or a name
 * given to {@link registerCalendar}. A calendar definition object (the session config's object
 * form, e.g. `{ extends: 'XNYS', holidays: ['2024-03-11'] }`) is built with
 * `createCustomCalendar`, once per distinct definition. Throws a {@link ConfigError} at path
 * `calendar` listing the known names for anything else, with `did you mean "…"?` for a near miss.
 *
 * @example
 * ```ts
 * getCalendar('NYSE') === getCalendar('XNYS'); // true
 * getCalendar({ extends: 'XNYS', holidays: ['2024-03-11'] }).isSession('2024-03-11'); // false
 * getCalendar('XLON'); // throws ConfigError: calendar: expected one of "XNYS", "NYSE", …, got "XLON"
 * getCalendar('XNSY'); // throws ConfigError: calendar: expected one of …, got "XNSY"; did you mean "XNYS"?
 * ```
 */
export function getCalendar(name: string | CalendarDefinitionInput): TradingCalendar {
  if (name !== null && typeof name === 'object') {
    const key = JSON.stringify(name);
    let calendar = fromDefinitions.get(key);
    if (calendar === undefined) fromDefinitions.set(key, (calendar = createCustomCalendar(name)));
    return calendar;
  }
  return CALENDARS.get(name, 'calendar');
}

/**
 * Register a calendar under a name so {@link getCalendar}, configs (`"calendar": "MYCAL"`) and
 * other definitions (`extends`) can use it. `calendar` is either a ready {@link TradingCalendar}
 * (registered under its `name`) or a definition with a `name` (built with
 * `createCustomCalendar`). A name already taken, built-in names and aliases included, is refused
 * with a {@link ConfigError} unless `{ override: true }`. Returns the registered calendar.
 *
 * @example
 * ```ts
 * registerCalendar({ name: 'XNYS-OFFICE', extends: 'XNYS', holidays: [{ date: '2024-03-11', reason: 'Office move' }] });
 * getCalendar('xnys-office').isSession('2024-03-11'); // false
 * registerCalendar({ name: 'XNYS-OFFICE', extends: 'XNYS' }); // throws ConfigError: name taken
 * ```
 */
export function registerCalendar(calendar: TradingCalendar | CalendarDefinitionInput, options: { override?: boolean } = {}): TradingCalendar {
  const ready = isTradingCalendar(calendar);
  const name = calendar.name;
  if (typeof name !== 'string' || name.trim() === '') throw ConfigError.at('calendar.name', name, 'a calendar name to register under');
  const built = ready ? calendar : createCustomCalendar(calendar);
  CALENDARS.register(name, built, options.override ?? false);
  return built;
}

/**
 * The canonical names {@link getCalendar} accepts (aliases not repeated): the built-ins, then
 * registered calendars in registration order.
 *
 * @example
 * ```ts
 * listCalendars(); // ['XNYS', '24/7', '24/5']
 * ```
 */
export function listCalendars(): string[] {
  return CALENDARS.names();
}

function isTradingCalendar(value: TradingCalendar | CalendarDefinitionInput): value is TradingCalendar {
  const candidate = value as Partial<TradingCalendar>;
  return typeof candidate.sessions === 'function' && typeof candidate.sessionAt === 'function' && typeof candidate.timezone === 'string';
}
