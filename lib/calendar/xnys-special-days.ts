/**
 * One-off NYSE closures and shortened sessions that no recurring rule produces (funerals, days
 * of mourning, disasters). Kept as plain data so the list can be audited line by line against
 * its source and extended without touching the rules in `xnys.ts`.
 *
 * Scope: 1990 onwards (the calendar's range), full-day closures and scheduled early closes.
 * Not yet here (a later issue makes the table exhaustive): unscheduled intraday events such as
 * late opens after a moment of silence or a systems problem, and circuit-breaker halts.
 *
 * Sources, cited per entry:
 * - [NYSE-HIST] NYSE "Closings and early closings" history (nyse.com/pdfs/closings.pdf, the
 *   `Stocks.NYSE-Closings.pdf` attached to pandas_market_calendars), as transcribed in
 *   pandas_market_calendars `holidays_nyse.py`.
 * - [NYSE-2025] NYSE Group announcement (December 2024) that U.S. equity markets close on
 *   2025-01-09 for the National Day of Mourning for President Jimmy Carter.
 */

/** A date on which the exchange did not trade although the rules say it would. */
export interface SpecialClosure {
  /** `'YYYY-MM-DD'` in America/New_York. */
  readonly date: string;
  readonly reason: string;
  readonly source: string;
}

/** A date whose session closed early although the rules give it full hours. */
export interface SpecialEarlyClose extends SpecialClosure {
  /** Local close time `'HH:MM'` (America/New_York). */
  readonly close: string;
}

/**
 * Full-day NYSE closures outside the holiday rules, 1990 onwards.
 *
 * @example
 * ```ts
 * XNYS_SPECIAL_CLOSURES.some((c) => c.date === '2012-10-29'); // true (Hurricane Sandy)
 * ```
 */
export const XNYS_SPECIAL_CLOSURES: readonly SpecialClosure[] = [
  { date: '1994-04-27', reason: 'National Day of Mourning, President Richard Nixon', source: 'NYSE-HIST' },
  { date: '2001-09-11', reason: 'September 11 attacks', source: 'NYSE-HIST' },
  { date: '2001-09-12', reason: 'September 11 attacks', source: 'NYSE-HIST' },
  { date: '2001-09-13', reason: 'September 11 attacks', source: 'NYSE-HIST' },
  { date: '2001-09-14', reason: 'September 11 attacks', source: 'NYSE-HIST' },
  { date: '2004-06-11', reason: 'National Day of Mourning, President Ronald Reagan', source: 'NYSE-HIST' },
  { date: '2007-01-02', reason: 'National Day of Mourning, President Gerald Ford', source: 'NYSE-HIST' },
  { date: '2012-10-29', reason: 'Hurricane Sandy', source: 'NYSE-HIST' },
  { date: '2012-10-30', reason: 'Hurricane Sandy', source: 'NYSE-HIST' },
  { date: '2018-12-05', reason: 'National Day of Mourning, President George H. W. Bush', source: 'NYSE-HIST' },
  { date: '2025-01-09', reason: 'National Day of Mourning, President Jimmy Carter', source: 'NYSE-2025' },
];

/**
 * Scheduled one-off early closes, 1990 onwards (the Friday after Christmas twice).
 *
 * @example
 * ```ts
 * XNYS_SPECIAL_EARLY_CLOSES.find((c) => c.date === '2003-12-26')?.close; // '13:00'
 * ```
 */
export const XNYS_SPECIAL_EARLY_CLOSES: readonly SpecialEarlyClose[] = [
  { date: '1997-12-26', close: '13:00', reason: 'Day after Christmas', source: 'NYSE-HIST' },
  { date: '2003-12-26', close: '13:00', reason: 'Day after Christmas', source: 'NYSE-HIST' },
];
