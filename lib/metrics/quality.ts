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
 * The quality score, one formula for the session loop and `sessionflow data check`:
 * 100 × present / max(expected, present + rejected), where `present` is capped at
 * `expected`. Missing bars lower it, and so do rejected rows (invalid, misaligned or
 * repeated), even on a day whose every window has a bar: a day whose file held a bad row
 * never scores 100. 100 when nothing is expected and nothing was rejected.
 *
 * @example
 * ```ts
 * qualityScore(390, 390, 0); // 100
 * qualityScore(390, 390, 1); // 99.74…
 * qualityScore(0, 390, 390); // 0 (bars stamped hh:mm:30)
 * ```
 */
export function qualityScore(present: number, expected: number, rejected: number): number {
  const counted = Math.min(present, expected);
  const denominator = Math.max(expected, counted + rejected);
  return denominator === 0 ? 100 : (100 * counted) / denominator;
}

/**
 * Quality of a series at `time`: {@link qualityScore} of the bars present, the bars
 * expected so far and the rejected rows the clock has passed. Bars present counts bars
 * whose end is at or before `time` (all of them during a live session); a rejected row
 * counts once its bar would have ended (`rejectedStarts` ascending, look-ahead safe).
 */
export function seriesQuality(series: QualitySeries, session: Session, time: number, rejectedStarts?: ArrayLike<number>): { expected: number; present: number; rejected: number; score: number } {
  const expected = expectedWindows(session, series.intervalMs, time);
  let present = series.length;
  while (present > 0 && series.end[present - 1]! > time) present--;
  const rejected = rejectedStarts === undefined ? 0 : rejectedBefore(rejectedStarts, time - series.intervalMs);
  return { expected, present, rejected, score: qualityScore(present, expected, rejected) };
}

/** How many of the ascending `starts` are at or before `last`. */
export function rejectedBefore(starts: ArrayLike<number>, last: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= last) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
