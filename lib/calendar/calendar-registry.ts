import { ConfigError } from '../errors.ts';
import { createAlwaysOpenCalendar } from './always-open.ts';
import type { TradingCalendar } from './types.ts';
import { createWeekdaysOpenCalendar } from './weekdays-open.ts';
import { createXnysCalendar } from './xnys.ts';

interface Entry {
  /** Canonical name, as registered. */
  readonly name: string;
  readonly create: () => TradingCalendar;
  instance?: TradingCalendar;
  readonly builtIn: boolean;
}

/**
 * The process-wide table of named calendars behind `getCalendar`, `registerCalendar` and
 * custom calendars' `extends`. Names are case-insensitive; aliases share their calendar's
 * entry, so every alias returns the same instance and each year is built once per process.
 *
 * @example
 * ```ts
 * CALENDARS.lookup('nasdaq')?.name; // 'XNYS'
 * ```
 */
export class CalendarRegistry {
  /** Upper-cased name or alias → entry. */
  readonly #entries = new Map<string, Entry>();
  /** Upper-cased name or alias → the spelling it was registered with. */
  readonly #spellings = new Map<string, string>();
  /** One entry per calendar, in registration order (built-ins first). */
  readonly #canonical: Entry[] = [];

  constructor() {
    // US equity venues share NYSE's holidays and regular hours, so they map to one instance.
    this.#add(['XNYS', 'NYSE', 'XNAS', 'NASDAQ', 'US_EQUITY'], { name: 'XNYS', create: createXnysCalendar, builtIn: true });
    this.#add(['24/7'], { name: '24/7', create: createAlwaysOpenCalendar, builtIn: true });
    this.#add(['24/5'], { name: '24/5', create: createWeekdaysOpenCalendar, builtIn: true });
  }

  /** The calendar registered under `name` (or an alias), created on first use; `undefined` if unknown. */
  lookup(name: string): TradingCalendar | undefined {
    const entry = typeof name === 'string' ? this.#entries.get(name.trim().toUpperCase()) : undefined;
    if (entry === undefined) return undefined;
    return (entry.instance ??= entry.create());
  }

  /** Canonical names, built-ins first, then registrations in order. */
  names(): string[] {
    return this.#canonical.map((e) => e.name);
  }

  /** Every name and alias accepted, as spelled when registered (for error messages). */
  accepted(): string[] {
    return [...this.#spellings.values()];
  }

  /**
   * Register `calendar` under `name`. A name already taken (a built-in name or alias included)
   * is refused with a {@link ConfigError} unless `override` is set.
   */
  register(name: string, calendar: TradingCalendar, override: boolean): void {
    const spelling = name.trim();
    const key = spelling.toUpperCase();
    const existing = this.#entries.get(key);
    if (existing !== undefined && !override) {
      throw ConfigError.at('calendar.name', name, `a name that is not taken (${JSON.stringify(this.#spellings.get(key))} is registered; pass { override: true } to replace it)`);
    }
    const entry: Entry = { name: spelling, create: () => calendar, instance: calendar, builtIn: false };
    if (existing === undefined) {
      this.#add([spelling], entry);
      return;
    }
    // The name moves to the new calendar; the old one keeps its other aliases, if any.
    this.#entries.set(key, entry);
    this.#spellings.set(key, spelling);
    const stillNamed = [...this.#entries.values()].includes(existing);
    const at = this.#canonical.indexOf(existing);
    if (stillNamed) this.#canonical.push(entry);
    else this.#canonical.splice(at, 1, entry);
  }

  #add(names: readonly string[], entry: Entry): void {
    for (const n of names) {
      this.#entries.set(n.toUpperCase(), entry);
      this.#spellings.set(n.toUpperCase(), n);
    }
    this.#canonical.push(entry);
  }
}

/** The process-wide registry. */
export const CALENDARS = new CalendarRegistry();
