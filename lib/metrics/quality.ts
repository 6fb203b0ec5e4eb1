import type { Session } from '../calendar/types.ts';

/**
 * Number of windows of `intervalMs` (anchored at the open, the last one cut at the close)
 * whose end is at or before `time`. This is the "bars expected so far" of the quality
 * score; at the close it is the session's full count (390 1m bars on a normal XNYS day).
 *
 * @example
 * ```ts
 * expectedWindows(session, 300_000, session.close); // 78
 * ```
 */
export function expectedWindows(session: Session, intervalMs: number, time: number): number {
  const t = Math.min(time, session.close);
  if (t <= session.open) return 0;
  const full = Math.floor((t - session.open) / intervalMs);
  // The truncated last window ends exactly at the close.
  const lastFull = Math.floor((session.close - session.open) / intervalMs);
  const truncated = (session.close - session.open) % intervalMs !== 0;
  return full + (truncated && t === session.close && full === lastFull ? 1 : 0);
}

/**
 * What {@link seriesQuality} reads of a series: a `BarSeries` (lib/session) fits. Stated here
 * so that metrics does not import the session layer above it.
 */
export interface QualitySeries {
  readonly intervalMs: number;
  /** Number of bars. */
  readonly length: number;
  /** Bar end instants (epoch ms), ascending; entries at or beyond `length` are ignored. */
  readonly end: ArrayLike<number>;
}

/**
 * Quality of a series at `time`: 100 × bars present / bars expected so far. Bars present
 * counts bars whose end is at or before `time` (all of them during a live session).
 */
export function seriesQuality(series: QualitySeries, session: Session, time: number): { expected: number; present: number; score: number } {
  const expected = expectedWindows(session, series.intervalMs, time);
  let present = series.length;
  while (present > 0 && series.end[present - 1]! > time) present--;
  return { expected, present, score: expected === 0 ? 100 : (100 * Math.min(present, expected)) / expected };
}
