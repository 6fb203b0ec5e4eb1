/**
 * One-off NYSE closures, early closes and late opens that no recurring rule produces (days of
 * mourning, disasters, storms, systems problems, moments of silence), 1990 onwards. Kept as
 * plain data so the list can be audited line by line against its source and extended without
 * touching the rules in `xnys.ts`. Circuit-breaker halts after which trading resumed the same
 * day are not here: the session's hours did not change.
 *
 * Sources, cited per entry:
 * - [NYSE-HIST] NYSE "Closings and early closings" history (nyse.com/pdfs/closings.pdf; the copy
 *   github.com/rsheftel/pandas_market_calendars/files/6827110/Stocks.NYSE-Closings.pdf), as
 *   transcribed in pandas_market_calendars `holidays/nyse.py` (MIT).
 * - [NYSE-2025] NYSE Group announcement (December 2024): U.S. equity markets close on
 *   Thursday 9 January 2025 for the National Day of Mourning for former President Jimmy Carter.
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

/** A date whose session opened after 09:30. */
export interface SpecialLateOpen extends SpecialClosure {
  /** Local open time `'HH:MM'` (America/New_York). */
  readonly open: string;
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
  { date: '1994-04-27', reason: 'National Day of Mourning for President Richard Nixon', source: 'NYSE-HIST' },
  { date: '2001-09-11', reason: 'September 11 attacks', source: 'NYSE-HIST' },
  { date: '2001-09-12', reason: 'September 11 attacks', source: 'NYSE-HIST' },
  { date: '2001-09-13', reason: 'September 11 attacks', source: 'NYSE-HIST' },
  { date: '2001-09-14', reason: 'September 11 attacks', source: 'NYSE-HIST' },
  { date: '2004-06-11', reason: 'National Day of Mourning for President Ronald Reagan', source: 'NYSE-HIST' },
  { date: '2007-01-02', reason: 'National Day of Mourning for President Gerald Ford', source: 'NYSE-HIST' },
  { date: '2012-10-29', reason: 'Hurricane Sandy', source: 'NYSE-HIST' },
  { date: '2012-10-30', reason: 'Hurricane Sandy', source: 'NYSE-HIST' },
  { date: '2018-12-05', reason: 'National Day of Mourning for President George H. W. Bush', source: 'NYSE-HIST' },
  { date: '2025-01-09', reason: 'National Day of Mourning for President Jimmy Carter', source: 'NYSE-2025' },
];

/**
 * One-off early closes, 1990 onwards: the two Fridays after Christmas the exchange shortened,
 * and the unscheduled closes (storms, the 1997 circuit breaker, a systems failure).
 *
 * @example
 * ```ts
 * XNYS_SPECIAL_EARLY_CLOSES.find((c) => c.date === '2003-12-26')?.close; // '13:00'
 * ```
 */
export const XNYS_SPECIAL_EARLY_CLOSES: readonly SpecialEarlyClose[] = [
  { date: '1994-02-11', close: '14:30', reason: 'Snowstorm', source: 'NYSE-HIST' },
  { date: '1996-01-08', close: '14:00', reason: 'Snowstorm', source: 'NYSE-HIST' },
  { date: '1997-10-27', close: '15:30', reason: 'Circuit breaker triggered by the market drop', source: 'NYSE-HIST' },
  { date: '1997-12-26', close: '13:00', reason: 'Day after Christmas', source: 'NYSE-HIST' },
  { date: '2003-12-26', close: '13:00', reason: 'Day after Christmas', source: 'NYSE-HIST' },
  { date: '2005-06-01', close: '15:56', reason: 'Systems communication problem', source: 'NYSE-HIST' },
];

/**
 * Late opens, 1990 onwards (moments of silence, storms, systems problems).
 *
 * @example
 * ```ts
 * XNYS_LATE_OPENS.find((o) => o.date === '2001-09-17')?.open; // '09:33'
 * ```
 */
export const XNYS_LATE_OPENS: readonly SpecialLateOpen[] = [
  { date: '1990-12-27', open: '09:31', reason: 'Con Edison transformer explosion', source: 'NYSE-HIST' },
  { date: '1991-01-17', open: '09:31', reason: 'Moment of silence for the troops in the Persian Gulf', source: 'NYSE-HIST' },
  { date: '1991-02-25', open: '09:31', reason: 'Moment of silence for the troops in the Persian Gulf', source: 'NYSE-HIST' },
  { date: '1995-12-18', open: '10:30', reason: 'Computer systems troubles', source: 'NYSE-HIST' },
  { date: '1996-01-08', open: '11:00', reason: 'Snowstorm', source: 'NYSE-HIST' },
  { date: '2001-09-17', open: '09:33', reason: 'Moments of silence for the victims of the September 11 attacks', source: 'NYSE-HIST' },
  { date: '2001-10-08', open: '09:31', reason: 'Moment of silence for the Operation Enduring Freedom troops', source: 'NYSE-HIST' },
  { date: '2002-09-11', open: '12:00', reason: 'First anniversary of the September 11 attacks', source: 'NYSE-HIST' },
  { date: '2003-03-20', open: '09:32', reason: 'Moment of silence for Operation Iraqi Freedom', source: 'NYSE-HIST' },
  { date: '2004-06-07', open: '09:32', reason: 'Moment of silence for President Ronald Reagan', source: 'NYSE-HIST' },
  { date: '2006-12-27', open: '09:32', reason: 'Moment of silence for President Gerald Ford', source: 'NYSE-HIST' },
];
