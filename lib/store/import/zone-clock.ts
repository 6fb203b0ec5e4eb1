import { momentTz } from '../../calendar/moment-tz.ts';
import { DAY_MS } from '../../calendar/civil-date.ts';
import { ConfigError } from '../../errors.ts';

const HOUR_MS = 3_600_000;

/**
 * Conversions between UTC instants and one time zone's wall clock, with the zone's UTC offset
 * looked up once per UTC hour and cached (DESIGN §1: no `moment` call per bar). Zone
 * transitions fall on whole hours in every zone a US or European exchange uses, so an hourly
 * cache is exact for them.
 *
 * @example
 * ```ts
 * const ny = new ZoneClock('America/New_York');
 * ny.toUtc(Date.UTC(2024, 0, 2, 9, 30)); // 2024-01-02T14:30:00Z in epoch ms
 * ny.localDay(Date.UTC(2024, 0, 3, 2)); // day number of 2024-01-02 (21:00 in New York)
 * ```
 */
export class ZoneClock {
  readonly timezone: string;
  private readonly offsets = new Map<number, number>();

  /** Throws a {@link ConfigError} naming `field` for an unknown IANA zone. */
  constructor(timezone: string, field = 'timezone') {
    if (typeof timezone !== 'string' || momentTz().tz.zone(timezone) === null) {
      throw ConfigError.at(field, timezone, 'an IANA time zone such as "America/New_York" or "UTC"');
    }
    this.timezone = timezone;
  }

  /** Offset of the zone from UTC (local − UTC, in ms) at UTC instant `utc`. */
  offsetAt(utc: number): number {
    const hour = Math.floor(utc / HOUR_MS);
    let offset = this.offsets.get(hour);
    if (offset === undefined) {
      offset = momentTz().tz(hour * HOUR_MS, this.timezone).utcOffset() * 60_000;
      this.offsets.set(hour, offset);
    }
    return offset;
  }

  /**
   * The UTC instant of a wall-clock time given as "wall time read as if it were UTC" (e.g.
   * `Date.UTC(2024, 0, 2, 9, 30)` for 09:30 local). In the repeated hour of a fall-back
   * transition the first occurrence wins; a time skipped by a spring-forward transition maps
   * to the instant one offset later (as moment-timezone does).
   */
  toUtc(wall: number): number {
    const guess = wall - this.offsetAt(wall);
    const offset = this.offsetAt(guess);
    const utc = wall - offset;
    // The first guess can sit on the wrong side of a transition; one more step settles it.
    return this.offsetAt(utc) === offset ? utc : wall - this.offsetAt(utc);
  }

  /** Day number (days since 1970-01-01, see civil-date.ts) of the local date at `utc`. */
  localDay(utc: number): number {
    return Math.floor((utc + this.offsetAt(utc)) / DAY_MS);
  }

  /** Local wall time of `utc` as `HH:MM`. */
  localTime(utc: number): string {
    const local = utc + this.offsetAt(utc);
    const minutes = Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return `${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}`;
  }

  /** UTC instant of local midnight starting the day `day` (a civil-date day number). */
  startOfDay(day: number): number {
    return this.toUtc(day * DAY_MS);
  }
}
