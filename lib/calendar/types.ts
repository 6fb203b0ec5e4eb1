/**
 * One regular trading session. `date` is the trading date in the exchange's time zone;
 * `open`/`close` are epoch milliseconds UTC, computed once per day so the hot path does
 * arithmetic only (DESIGN §1).
 */
export interface Session {
  readonly date: string;
  readonly open: number;
  readonly close: number;
  readonly earlyClose: boolean;
}

/**
 * A trading calendar. Keep this interface stable: the clock, derived bars, quality and
 * validation all depend on it.
 *
 * @example
 * ```ts
 * const xnys = getCalendar('XNYS');
 * xnys.sessions('2024-01-01', '2024-12-31').length; // 252
 * ```
 */
export interface TradingCalendar {
  readonly name: string;
  /** IANA time zone of the exchange, e.g. `America/New_York`. */
  readonly timezone: string;
  /** Sessions whose date is in `[from, to]` (inclusive, `'YYYY-MM-DD'`), in order. */
  sessions(from: string, to: string): Session[];
  /** Whether `date` is a trading day. */
  isSession(date: string): boolean;
  /** The session on `date`, or `undefined` on a weekend or holiday. */
  session(date: string): Session | undefined;
  /** The first session strictly after `date` (which need not be a session). */
  nextSession(date: string): Session;
  /** The last session strictly before `date` (which need not be a session). */
  previousSession(date: string): Session;
  /** The session whose `[open, close)` contains `instant`, or `undefined`. */
  sessionAt(instant: number): Session | undefined;
  /** Expected regular-session minutes of `session` (390 on a normal XNYS day, 210 on a 13:00 close). */
  minutes(session: Session): number;
  /**
   * Days of the calendar's regular week (Mon–Fri for XNYS) without a session in `[from, to]`,
   * with the reason, in order: the weekday closures a `--holidays` listing shows.
   */
  holidays(from: string, to: string): ClosedDay[];
  /**
   * Every day in `[from, to]` that differs from a regular session: the closed weekdays of
   * {@link holidays} plus the sessions that open late or close early, each with its reason.
   */
  specialDays(from: string, to: string): SpecialDay[];
  /**
   * Extended (pre- and post-market) hours around `session`, for stores that carry them:
   * XNYS 04:00 to the open and the close to 20:00 (17:00 after a 13:00 close). Calendars
   * without extended hours return the session's own open and close.
   */
  extendedHours(session: Session): ExtendedHours;
}

/** A weekday on which the exchange does not trade. */
export interface ClosedDay {
  readonly date: string;
  /** Why, e.g. `'Thanksgiving Day'`, `'National Day of Mourning for President Jimmy Carter'`. */
  readonly reason: string;
}

/**
 * A day that is not a regular session: `'closed'` (see {@link ClosedDay}) or `'shortened'`
 * (a session that opened late and/or closed early; `session` is that day's session).
 */
export type SpecialDay =
  | { readonly date: string; readonly kind: 'closed'; readonly reason: string }
  | { readonly date: string; readonly kind: 'shortened'; readonly reason: string; readonly session: Session };

/** Pre-market start and post-market end of one session, epoch ms UTC. */
export interface ExtendedHours {
  /** Start of pre-market trading; equals `session.open` when there is none. */
  readonly preOpen: number;
  /** End of post-market trading; equals `session.close` when there is none. */
  readonly postClose: number;
}
