import { parseDay } from '../calendar/civil-date.ts';
import { parseInterval } from '../calendar/interval.ts';
import { createLocalTimeConverter, type LocalTimeConverter } from '../calendar/local-time.ts';
import type { Session } from '../calendar/types.ts';
import { ConfigError, type ConfigProblem } from '../errors.ts';

/** One parsed schedule entry. */
export type ScheduleEntry =
  | { readonly kind: 'pre'; readonly text: string }
  /** An exchange-local wall-clock time, minutes after midnight. */
  | { readonly kind: 'at'; readonly text: string; readonly minute: number }
  /** Every `ms` from the open, before the close. */
  | { readonly kind: 'every'; readonly text: string; readonly ms: number }
  /** `ms` after the open (`open+5m`) or before the close (`close-10m`). */
  | { readonly kind: 'open' | 'close'; readonly text: string; readonly ms: number };

/** A parsed schedule, ready to give each session's instants. */
export interface ScanSchedule {
  readonly entries: readonly ScheduleEntry[];
  /** Whether it runs before the open (Phase 2). */
  readonly pre: boolean;
  /** The intraday instants for `session`, ascending and distinct, in `(open, close]`. */
  instants(session: Session): number[];
}

const AT = /^(\d{1,2}):(\d{2})$/;
const EVERY = /^every\s+(\S+)$/;
const OFFSET = /^(open|close)\s*([+-])\s*(\S+)$/;

/**
 * Parse a scan schedule: `"pre"` (before the open), exchange times `"HH:MM"` (in the
 * calendar's zone, DST-exact), repeats `"every 15m"` (from the open, before the close) and
 * offsets `"open+5m"` / `"close-10m"`, which follow early closes and late opens. Every problem
 * is reported with its path (`scanners[0].schedule[1]`).
 *
 * @example
 * ```ts
 * const schedule = parseScanSchedule(['pre', '10:00', 'every 15m'], 'America/New_York');
 * schedule.instants(session); // 10:00 and 09:45, 10:00, …, 15:45 as UTC instants
 * ```
 */
export function parseScanSchedule(texts: readonly string[], timezone: string, path = 'schedule'): ScanSchedule {
  const problems: ConfigProblem[] = [];
  const entries: ScheduleEntry[] = [];
  texts.forEach((raw, i) => {
    const at = `${path}[${i}]`;
    const text = typeof raw === 'string' ? raw.trim() : '';
    try {
      entries.push(parseEntry(text, at, raw));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  });
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `${p.path}: ${p.message}`).join('\n'), problems);
  const hasClock = entries.some((e) => e.kind === 'at');
  const toInstant: LocalTimeConverter | undefined = hasClock ? createLocalTimeConverter(timezone, `${path}.timezone`) : undefined;
  return {
    entries,
    pre: entries.some((e) => e.kind === 'pre'),
    instants(session) {
      const out = new Set<number>();
      const { open, close } = session;
      for (const e of entries) {
        if (e.kind === 'at') {
          const t = toInstant!(parseDay(session.date), e.minute);
          if (t > open && t <= close) out.add(t);
        } else if (e.kind === 'every') {
          for (let t = open + e.ms; t < close; t += e.ms) out.add(t);
        } else if (e.kind === 'open') {
          const t = open + e.ms;
          if (t > open && t <= close) out.add(t);
        } else if (e.kind === 'close') {
          const t = close - e.ms;
          if (t > open && t <= close) out.add(t);
        }
      }
      return [...out].sort((a, b) => a - b);
    },
  };
}

function parseEntry(text: string, path: string, raw: unknown): ScheduleEntry {
  const expected = '"pre", a time "HH:MM", "every <interval>" (e.g. "every 15m"), "open+<interval>" or "close-<interval>"';
  if (text === 'pre') return { kind: 'pre', text };
  const at = AT.exec(text);
  if (at) {
    const hours = Number(at[1]);
    const minutes = Number(at[2]);
    if (hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) throw ConfigError.at(path, raw, 'a time of day between "00:00" and "24:00"');
    return { kind: 'at', text, minute: hours * 60 + minutes };
  }
  const every = EVERY.exec(text);
  if (every) return { kind: 'every', text, ms: intradayMs(every[1]!, path, raw) };
  const offset = OFFSET.exec(text);
  if (offset) {
    const [, anchor, sign, amount] = offset;
    if ((anchor === 'open' && sign !== '+') || (anchor === 'close' && sign !== '-')) throw ConfigError.at(path, raw, '"open+<interval>" or "close-<interval>" (inside the session)');
    return { kind: anchor as 'open' | 'close', text, ms: intradayMs(amount!, path, raw) };
  }
  throw ConfigError.at(path, raw, expected);
}

function intradayMs(text: string, path: string, raw: unknown): number {
  let interval;
  try {
    interval = parseInterval(text, path);
  } catch {
    throw ConfigError.at(path, raw, 'an intraday interval such as "5m", "15m" or "1h"');
  }
  if (interval.sessions > 0 || !Number.isFinite(interval.ms) || interval.ms <= 0) throw ConfigError.at(path, raw, 'an intraday interval such as "5m", "15m" or "1h"');
  return interval.ms;
}
