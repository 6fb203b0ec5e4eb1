import type moment from 'moment-timezone';
import { momentTz } from '../calendar/moment-tz.ts';
import { ConfigError } from '../errors.ts';

const DAY_MS = 86_400_000;

/**
 * Converts naive wall-clock timestamps (Parquet `TIMESTAMP` with `isAdjustedToUTC=false`,
 * written by tools that store exchange-local times) to epoch ms UTC in one IANA zone.
 *
 * The zone offset is looked up once per wall-clock day (DESIGN §1: moment-timezone costs
 * microseconds per call, per-day arithmetic nanoseconds); only on a day whose offset changes
 * (a DST switch) is every row of that day looked up on its own. A wall time that does not
 * exist (the hour skipped in spring) or exists twice (the hour repeated in autumn) resolves
 * the way moment-timezone resolves it: the later offset for a gap, the earlier (DST) one for
 * an overlap.
 *
 * @example
 * ```ts
 * const ny = new WallClockZone('America/New_York');
 * ny.toUtc(Date.UTC(2024, 0, 2, 9, 30)); // Date.UTC(2024, 0, 2, 14, 30)
 * ```
 */
export class WallClockZone {
  readonly name: string;
  private readonly zone: moment.MomentZone;
  private cachedDay = Number.NaN;
  /** Offset (ms to add to wall time) of `cachedDay`, or NaN when the day has a DST switch. */
  private cachedOffset = Number.NaN;

  /** Throws a {@link ConfigError} for a zone moment-timezone does not know. */
  constructor(name: string) {
    const zone = typeof name === 'string' ? momentTz().tz.zone(name) : null;
    if (!zone) throw ConfigError.at('store.timezone', name, 'an IANA time zone such as "America/New_York"');
    this.name = name;
    this.zone = zone;
  }

  /**
   * Epoch ms UTC of the wall-clock instant `wall` (wall-clock fields encoded as if UTC, which
   * is how naive Parquet timestamps arrive). NaN stays NaN.
   *
   * @example
   * ```ts
   * new WallClockZone('Europe/Berlin').toUtc(Date.UTC(2024, 6, 1, 12)); // Date.UTC(2024, 6, 1, 10)
   * ```
   */
  toUtc(wall: number): number {
    if (wall !== wall) return wall;
    const day = Math.floor(wall / DAY_MS);
    if (day !== this.cachedDay) this.prepareDay(day);
    const offset = this.cachedOffset;
    // moment's offsets are minutes WEST of UTC, so adding them turns local into UTC.
    return offset === offset ? wall + offset : wall + this.zone.parse(Math.floor(wall)) * 60_000;
  }

  /**
   * Convert a column of wall-clock times in place (rows are usually sorted, so the per-day
   * cache hits almost always).
   *
   * @example
   * ```ts
   * zone.toUtcInPlace(timestamps);
   * ```
   */
  toUtcInPlace(values: Float64Array): void {
    for (let i = 0; i < values.length; i++) values[i] = this.toUtc(values[i]!);
  }

  private prepareDay(day: number): void {
    const first = this.zone.parse(day * DAY_MS);
    const last = this.zone.parse(day * DAY_MS + DAY_MS - 1);
    this.cachedDay = day;
    this.cachedOffset = first === last ? first * 60_000 : Number.NaN;
  }
}
