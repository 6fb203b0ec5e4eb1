import { ConfigError } from '../errors.ts';
import { createAlwaysOpenCalendar } from './always-open.ts';
import type { TradingCalendar } from './types.ts';
import { createXnysCalendar } from './xnys.ts';

const FACTORIES = new Map<string, () => TradingCalendar>([
  ['XNYS', createXnysCalendar],
  ['24/7', createAlwaysOpenCalendar],
]);

// US equity venues share NYSE's holidays and regular hours, so they map to one instance.
const ALIASES = new Map<string, string>([
  ['XNYS', 'XNYS'],
  ['NYSE', 'XNYS'],
  ['XNAS', 'XNYS'],
  ['NASDAQ', 'XNYS'],
  ['US_EQUITY', 'XNYS'],
  ['24/7', '24/7'],
]);

const KNOWN_NAMES = [...ALIASES.keys()].map((name) => JSON.stringify(name)).join(', ');

// One instance per calendar so each year's session table is built once per process.
const instances = new Map<string, TradingCalendar>();

/**
 * The shared calendar for `name` (case-insensitive): `'XNYS'` (aliases `'NYSE'`, `'XNAS'`,
 * `'NASDAQ'`, `'US_EQUITY'`, all returning the same instance, named `'XNYS'`) or `'24/7'`.
 * Throws a {@link ConfigError} listing the known names for anything else.
 *
 * @example
 * ```ts
 * getCalendar('NYSE') === getCalendar('XNYS'); // true
 * getCalendar('XLON'); // throws ConfigError: calendar: expected one of "XNYS", "NYSE", …, got "XLON"
 * ```
 */
export function getCalendar(name: string): TradingCalendar {
  const canonical = typeof name === 'string' ? ALIASES.get(name.trim().toUpperCase()) : undefined;
  if (canonical === undefined) throw ConfigError.at('calendar', name, `one of ${KNOWN_NAMES}`);
  let calendar = instances.get(canonical);
  if (calendar === undefined) {
    calendar = FACTORIES.get(canonical)!();
    instances.set(canonical, calendar);
  }
  return calendar;
}

/**
 * The canonical names {@link getCalendar} accepts (aliases not repeated), for help texts and
 * config validation.
 *
 * @example
 * ```ts
 * listCalendars(); // ['XNYS', '24/7']
 * ```
 */
export function listCalendars(): string[] {
  return [...FACTORIES.keys()];
}
