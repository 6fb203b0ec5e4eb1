import { momentTz } from './moment-tz.ts';
import { ConfigError } from '../errors.ts';
import { DAY_MS, MINUTE_MS } from './civil-date.ts';

/**
 * One time zone's wall clock against UTC, both ways: the one converter of the project (the
 * calendars' session times, the store's naive timestamps, the importer's dates and local
 * days). The zone's transition table is read from moment-timezone ONCE, here; every
 * conversion afterwards is arithmetic plus, when the instant left the period of the previous
 * call, a binary search over a `Float64Array` (DESIGN §1, §3: no `moment` call per bar, per
 * open or per close). Callers go forward in time, so the period of the last call is checked
 * first.
 *
 * Wall times that do not exist (the hour skipped when clocks spring forward) move forward by
 * the gap, as moment-timezone does; wall times that occur twice (the hour repeated in autumn)
 * resolve to the first occurrence.
 *
 * @example
 * ```ts
 * const ny = new ZoneClock('America/New_York');
 * ny.toUtc(Date.UTC(2024, 0, 2, 9, 30)); // Date.UTC(2024, 0, 2, 14, 30)
 * ny.localDay(Date.UTC(2024, 0, 3, 2)); // the day number of 2024-01-02 (21:00 in New York)
 * ```
 */
export class ZoneClock {
  readonly timezone: string;
  /** Offset of period i in ms to ADD to wall time to get UTC (moment's minutes west of UTC). */
  private readonly offsets: Float64Array;
  /** UTC instant where period i ends (exclusive). */
  private readonly untils: Float64Array;
  /** Wall time where period i ends and starts (the start is where the previous one ended). */
  private readonly localEnds: Float64Array;
  private readonly localStarts: Float64Array;
  private wallHint = 0;
  private utcHint = 0;

  /** Throws a {@link ConfigError} naming `field` for a zone moment-timezone does not know. */
  constructor(timezone: string, field = 'timezone') {
    const zone = typeof timezone === 'string' ? momentTz().tz.zone(timezone) : null;
    if (zone === null) throw ConfigError.at(field, timezone, 'an IANA time zone such as "America/New_York" or "UTC"');
    this.timezone = timezone;
    const count = zone.untils.length;
    this.offsets = Float64Array.from(zone.offsets, (minutes) => minutes * MINUTE_MS);
    this.untils = Float64Array.from(zone.untils, (until) => (until === null ? Number.POSITIVE_INFINITY : until));
    this.localEnds = new Float64Array(count);
    this.localStarts = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      this.localEnds[i] = this.untils[i]! - this.offsets[i]!;
      this.localStarts[i] = i === 0 ? Number.NEGATIVE_INFINITY : this.untils[i - 1]! - this.offsets[i]!;
    }
  }

  /**
   * Epoch ms UTC of a wall-clock time given as "wall time read as if it were UTC"
   * (`Date.UTC(2024, 0, 2, 9, 30)` for 09:30 local), which is how naive Parquet timestamps
   * and parsed local dates arrive. NaN stays NaN.
   */
  toUtc(wall: number): number {
    if (wall !== wall) return wall;
    // The earliest period whose wall end is after `wall` (a repeated hour: its first occurrence).
    const i = (this.wallHint = periodOf(this.localEnds, wall, this.wallHint));
    // Before the period starts on the wall clock = inside a spring-forward gap: keep the offset
    // in force before the gap, which lands the same distance past the transition.
    return wall + (wall < this.localStarts[i]! && i > 0 ? this.offsets[i - 1]! : this.offsets[i]!);
  }

  /** {@link toUtc} over a column, in place. */
  toUtcInPlace(values: Float64Array): void {
    for (let i = 0; i < values.length; i++) values[i] = this.toUtc(values[i]!);
  }

  /** Offset of the wall clock from UTC (local − UTC, in ms) at UTC instant `utc`. */
  offsetAt(utc: number): number {
    this.utcHint = periodOf(this.untils, utc, this.utcHint);
    return -this.offsets[this.utcHint]!;
  }

  /** Day number (days since 1970-01-01, see civil-date.ts) of the local date at `utc`. */
  localDay(utc: number): number {
    return Math.floor((utc + this.offsetAt(utc)) / DAY_MS);
  }

  /** Local wall time of `utc` as `HH:MM`. */
  localTime(utc: number): string {
    const local = utc + this.offsetAt(utc);
    const minutes = Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return `${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}`;
  }

  /** UTC instant of the local midnight starting day `day` (a civil-date day number). */
  startOfDay(day: number): number {
    return this.toUtc(day * DAY_MS);
  }
}

/**
 * Index of the first period whose (ascending) end is after `x`. Callers go forward in time,
 * so the period of the last call (`hint`) is checked first; a binary search otherwise.
 */
function periodOf(ends: Float64Array, x: number, hint: number): number {
  if (x < ends[hint]! && (hint === 0 || x >= ends[hint - 1]!)) return hint;
  let lo = 0;
  let hi = ends.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
