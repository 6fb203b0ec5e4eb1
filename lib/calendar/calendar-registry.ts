import { Registry, unknownNameError, type RegistryItem } from '../registry.ts';
import { createAlwaysOpenCalendar } from './always-open.ts';
import type { TradingCalendar } from './types.ts';
import { createWeekdaysOpenCalendar } from './weekdays-open.ts';
import { createXnysCalendar } from './xnys.ts';

/**
 * A named calendar as the registry holds it: it describes itself like every other registered
 * extension, and builds its {@link TradingCalendar} on first use, so a process that never asks
 * for XNYS never builds its holiday tables.
 */
export interface CalendarEntry extends RegistryItem {
  readonly kind: 'calendar';
  /** Shipped with sessionflow (`XNYS`, `24/7`, `24/5`) rather than registered by the user. */
  readonly builtIn: boolean;
  /** The calendar, created on the first call and shared by every name and alias of the entry. */
  calendar(): TradingCalendar;
}

function calendarEntry(name: string, description: string, create: () => TradingCalendar, builtIn: boolean): CalendarEntry {
  let instance: TradingCalendar | undefined;
  return { kind: 'calendar', name, description, builtIn, calendar: () => (instance ??= create()) };
}

/**
 * The process-wide table of named calendars behind `getCalendar`, `registerCalendar` and
 * custom calendars' `extends`, on the generic {@link Registry}: names are case-insensitive;
 * aliases share their calendar's entry, so every alias returns the same instance and each year
 * is built once per process.
 *
 * @example
 * ```ts
 * CALENDARS.lookup('nasdaq')?.name; // 'XNYS'
 * ```
 */
export class CalendarRegistry {
  /** The entries, for listing them as they describe themselves. */
  readonly entries = new Registry<CalendarEntry>('calendar');

  constructor() {
    // US equity venues share NYSE's holidays and regular hours, so they map to one instance.
    this.entries.register(calendarEntry('XNYS', 'New York Stock Exchange: regular hours 09:30–16:00 America/New_York, NYSE holidays and early closes (also NASDAQ)', createXnysCalendar, true), { aliases: ['NYSE', 'XNAS', 'NASDAQ', 'US_EQUITY'] });
    this.entries.register(calendarEntry('24/7', 'always open, UTC days (crypto, synthetic data)', createAlwaysOpenCalendar, true));
    this.entries.register(calendarEntry('24/5', 'open around the clock Monday to Friday, UTC days', createWeekdaysOpenCalendar, true));
  }

  /** The calendar registered under `name` (or an alias), created on first use; `undefined` if unknown. */
  lookup(name: string): TradingCalendar | undefined {
    return this.entries.find(name)?.calendar();
  }

  /**
   * The calendar registered under `name` (or an alias), or a ConfigError at `path` quoting every
   * accepted name and, for a near miss, `did you mean "…"?`.
   */
  get(name: string, path = 'calendar'): TradingCalendar {
    const calendar = this.lookup(name);
    if (calendar !== undefined) return calendar;
    throw unknownNameError(path, name, `one of ${this.accepted().map((n) => JSON.stringify(n)).join(', ')}`, this.accepted());
  }

  /** Canonical names, built-ins first, then registrations in order. */
  names(): string[] {
    return this.entries.names();
  }

  /** Every name and alias accepted, as spelled when registered (for error messages). */
  accepted(): string[] {
    return this.entries.accepted();
  }

  /**
   * Register `calendar` under `name`. A name already taken (a built-in name or alias included)
   * is refused with a {@link ConfigError} unless `override` is set; overriding an alias moves
   * only that alias, the calendar keeps its other names.
   */
  register(name: string, calendar: TradingCalendar, override: boolean): void {
    this.entries.register(calendarEntry(name.trim(), `registered calendar ${JSON.stringify(calendar.name)} (${calendar.timezone})`, () => calendar, false), { override });
  }
}

/** The process-wide registry. */
export const CALENDARS = new CalendarRegistry();
