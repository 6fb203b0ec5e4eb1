import { momentTz } from './moment-tz.ts';
import { ConfigError } from '../errors.ts';
import { DAY_MS, MINUTE_MS } from './civil-date.ts';

/** Turns a local wall-clock time (day number + minutes after midnight) into an epoch-ms instant. */
export type LocalTimeConverter = (day: number, minute: number) => number;

/**
 * A converter from local wall-clock time in `timezone` to UTC instants. The zone's transition
 * table is read from moment-timezone ONCE, here; every conversion afterwards is a binary search
 * over a `Float64Array` plus arithmetic, which is what lets a calendar build 1990–2099 in a few
 * milliseconds instead of paying ~2 µs of `moment` per open and close (DESIGN §3).
 *
 * Local times that do not exist (the hour skipped when clocks spring forward) move forward by
 * the gap, like moment's default; local times that occur twice (the hour repeated in autumn)
 * resolve to the first occurrence. Minutes past 24:00 roll into the next day, whose offset may
 * differ. Throws a {@link ConfigError} naming `path` for an unknown zone.
 *
 * @example
 * ```ts
 * const toInstant = createLocalTimeConverter('America/New_York');
 * toInstant(dayNumber(2024, 3, 11), 9 * 60 + 30); // 1710163800000 = 2024-03-11T13:30:00Z
 * ```
 */
export function createLocalTimeConverter(timezone: string, path = 'timezone'): LocalTimeConverter {
  if (timezone === 'UTC' || timezone === 'Etc/UTC') return (day, minute) => day * DAY_MS + minute * MINUTE_MS;
  const zone = typeof timezone === 'string' ? momentTz().tz.zone(timezone) : null;
  if (zone === null) throw ConfigError.at(path, timezone, 'an IANA time zone such as "America/New_York"');
  const count = zone.untils.length;
  // Offset i (minutes west of UTC) holds for instants before untils[i]; in local terms period i
  // ends at localEnds[i] and starts at localStarts[i].
  const offsetsMs = new Float64Array(count);
  const localEnds = new Float64Array(count);
  const localStarts = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    offsetsMs[i] = zone.offsets[i]! * MINUTE_MS;
    localEnds[i] = zone.untils[i]! - offsetsMs[i]!;
    localStarts[i] = i === 0 ? Number.NEGATIVE_INFINITY : zone.untils[i - 1]! - offsetsMs[i]!;
  }
  // Calendars convert days in ascending order, so the period that held the previous time almost
  // always holds the next one: check it first, binary-search only when it does not.
  let hint = 0;
  return (day, minute) => {
    const local = day * DAY_MS + minute * MINUTE_MS;
    let i = hint;
    if (!(local < localEnds[i]! && (i === 0 || local >= localEnds[i - 1]!))) {
      // First period whose local end is after `local`: the earliest period that can contain it.
      let lo = 0;
      let hi = count - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (localEnds[mid]! <= local) lo = mid + 1;
        else hi = mid;
      }
      hint = i = lo;
    }
    // Before the period starts locally = inside a spring-forward gap: keep the offset in force
    // before the gap, which lands the same distance past the transition.
    const offset = local < localStarts[i]! && i > 0 ? offsetsMs[i - 1]! : offsetsMs[i]!;
    return local + offset;
  };
}
