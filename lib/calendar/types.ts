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
}
