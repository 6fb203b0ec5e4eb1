import { ConfigError } from '../errors.ts';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** A parsed interval such as `5m`. `1d` means one whole session, whatever its length. */
export interface Interval {
  /** Canonical text, e.g. `'5m'`, `'1d'`. */
  readonly name: string;
  /** Length in ms for intraday intervals; `Infinity` for session (`Nd`) intervals. */
  readonly ms: number;
  /** Number of sessions for `Nd` intervals, otherwise 0. */
  readonly sessions: number;
}

const INTERVAL_PATTERN = /^([1-9][0-9]*)([smhd])$/;

/**
 * Parse an interval written `Ns`, `Nm`, `Nh` or `Nd` (DESIGN §1). Throws a
 * {@link ConfigError} quoting the bad text.
 *
 * @example
 * ```ts
 * parseInterval('15m').ms; // 900000
 * ```
 */
export function parseInterval(text: string, path = 'interval'): Interval {
  const match = typeof text === 'string' ? INTERVAL_PATTERN.exec(text) : null;
  if (!match) throw ConfigError.at(path, text, 'an interval like "1m", "5m", "1h" or "1d"');
  const count = Number(match[1]);
  const unit = match[2] as 's' | 'm' | 'h' | 'd';
  if (unit === 'd') return { name: `${count}d`, ms: Number.POSITIVE_INFINITY, sessions: count };
  return { name: `${count}${unit}`, ms: count * UNIT_MS[unit], sessions: 0 };
}

/** Interval length in ms; throws for session intervals, which have no fixed length. */
export function intervalMs(text: string, path = 'interval'): number {
  const interval = parseInterval(text, path);
  if (interval.sessions > 0) throw ConfigError.at(path, text, 'an intraday interval (s, m or h)');
  return interval.ms;
}

/**
 * How long one bar of `interval` lasts in `session`: its fixed length for intraday intervals;
 * the whole session for `1d` (a daily stream is one bar per session, `[open, close)`, so early
 * closes shorten it).
 *
 * @example
 * ```ts
 * barMs(parseInterval('1d'), session); // session.close - session.open
 * ```
 */
export function barMs(interval: Interval, session: { readonly open: number; readonly close: number }): number {
  return interval.sessions > 0 ? session.close - session.open : interval.ms;
}
