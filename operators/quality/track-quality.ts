import { Observable } from 'rxjs';
import { expectedWindows } from '../../lib/metrics/quality.ts';
import type { IntervalQuality, SymbolData } from '../../lib/session/session-data.ts';
import type { SlicePipeline, TimeSlice } from '../../lib/session/time-slice.ts';

/**
 * Keep each symbol's quality current during the session: for every interval, bars
 * present / bars expected so far (windows whose end the clock has reached) × 100, and the
 * missing windows as `[start, end)` gaps. Readable by strategies and scanners through
 * `data.get(symbol).quality`. Place it after `deriveBars` so derived intervals count.
 *
 * Work per tick is O(intervals) except when a window ends, when each symbol's record is
 * refreshed once: no per-bar allocation.
 *
 * @example
 * ```ts
 * pipe(deriveBars(['5m']), trackQuality())
 * ```
 */
export function trackQuality(): SlicePipeline {
  return (source) =>
    new Observable<TimeSlice>((subscriber) => {
      let expected: number[] = [];
      return source.subscribe({
        next: (slice) => {
          try {
            const { data, session, time } = slice;
            const intervals = data.intervals;
            if (expected.length !== intervals.length) expected = intervals.map(() => -1);
            for (let j = 0; j < intervals.length; j++) {
              const { name, ms } = intervals[j]!;
              // Gaps: a bar starting after the previous one ended means windows were skipped.
              const closed = slice.closed.get(name);
              if (closed) {
                for (let k = 0; k < closed.rows.length; k++) {
                  const series = closed.series[k]!;
                  const row = closed.rows[k]!;
                  const prevEnd = row > 0 ? series.end[row - 1]! : session.open;
                  const start = series.start[row]!;
                  if (start > prevEnd) recordOf(data.get(series.symbol), name).gaps.push([prevEnd, start]);
                }
              }
              const exp = expectedWindows(session, ms, time);
              if (exp === expected[j]) continue;
              expected[j] = exp;
              for (const entry of data.entries()) {
                const q = recordOf(entry, name);
                const series = entry.bars.get(name)!;
                q.expected = exp;
                q.present = Math.min(series.length, exp);
                q.score = exp === 0 ? 100 : (100 * q.present) / exp;
                if (slice.isClose) {
                  const lastEnd = series.length > 0 ? series.end[series.length - 1]! : session.open;
                  if (lastEnd < session.close) q.gaps.push([lastEnd, session.close]);
                }
              }
            }
            subscriber.next(slice);
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}

function recordOf(entry: SymbolData | undefined, interval: string): IntervalQuality {
  if (!entry) throw new Error(`quality: bar for an unregistered symbol at ${interval}`);
  let q = entry.quality.get(interval);
  if (!q) {
    q = { interval, expected: 0, present: 0, score: 100, gaps: [] };
    entry.quality.set(interval, q);
  }
  return q;
}
