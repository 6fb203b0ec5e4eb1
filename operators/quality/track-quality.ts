import { expectedWindows, qualityScore, rejectedBefore } from '../../lib/metrics/quality.ts';
import type { BarSeries } from '../../lib/session/bar-series.ts';
import type { IntervalQuality, SessionData } from '../../lib/session/session-data.ts';
import type { SlicePipeline } from '../../lib/session/time-slice.ts';
import { sliceOperator } from '../internal/slice-operator.ts';

/** Windows ended so far at one interval, shared by every symbol's record. */
interface WindowClock {
  expected: number;
  /** The slice's time, for rejected rows counted as the clock passes them. */
  time: number;
}

/**
 * A symbol's quality at one interval, read live: `expected` comes from the clock shared by
 * all symbols and `present` from the series itself, so a tick costs O(intervals) however
 * many symbols there are, and a reading is always current. Own enumerable getters, so the
 * record spreads and serialises like plain data.
 */
function liveQuality(interval: string, series: BarSeries, clock: WindowClock, rejectedStarts: Float64Array | undefined): IntervalQuality {
  // Derived windows are built from kept base bars: rejected rows count at the base interval.
  const rejected = (): number => (rejectedStarts === undefined || rejectedStarts.length === 0 ? 0 : rejectedBefore(rejectedStarts, clock.time - series.intervalMs));
  return {
    interval,
    gaps: [],
    get expected() {
      return clock.expected;
    },
    get present() {
      return Math.min(series.length, clock.expected);
    },
    get rejected() {
      return rejected();
    },
    get score() {
      return qualityScore(series.length, clock.expected, rejected());
    },
  };
}

/**
 * Keep each symbol's quality current during the session: for every interval, bars
 * present / bars expected so far (windows whose end the clock has reached) × 100, and the
 * missing windows as `[start, end)` gaps. Readable by strategies and scanners through
 * `data.get(symbol).quality`. Place it after `deriveBars` so derived intervals count.
 *
 * @example
 * ```ts
 * pipe(deriveBars(['5m']), trackQuality())
 * ```
 */
export function trackQuality(): SlicePipeline {
  return sliceOperator(() => {
    let clocks: WindowClock[] = [];
    let tracked = 0;
    return (slice, subscriber) => {
      const { data, session, time } = slice;
      const intervals = data.intervals;
      if (clocks.length === 0) clocks = intervals.map(() => ({ expected: 0, time }));
      // Symbols registered since the last tick (the first tick, or a mid-session insertion).
      // symbolCount, not symbols().length: that built an array of every symbol per tick.
      if (tracked < data.symbolCount) tracked = trackNewSymbols(data, clocks, tracked);
      const open = session.open;
      for (let j = 0; j < intervals.length; j++) {
        const { name, ms } = intervals[j]!;
        clocks[j]!.expected = expectedWindows(session, ms, time);
        clocks[j]!.time = time;
        const closed = slice.closed.get(name);
        if (closed === undefined) continue;
        // A bar starting after the previous one ended means windows were skipped; both come
        // from the view's contiguous values (no series read at all).
        const n = closed.count;
        for (let k = 0; k < n; k++) {
          const start = closed.start(k);
          const prevEnd = closed.previousEnd(k);
          // The series' first bar is compared with the open. Two comparisons, not one against
          // `prevEnd` or `open` merged into a variable: the merge of the view's double with the
          // session's field boxed a number at every bar.
          const first = prevEnd === Number.NEGATIVE_INFINITY;
          if (first ? start > open : start > prevEnd) recordGap(data, closed.series(k), name, first ? open : prevEnd, start);
        }
      }
      if (slice.isClose) {
        for (const entry of data.entries()) {
          for (const [name, series] of entry.bars) {
            const lastEnd = series.length > 0 ? series.end[series.length - 1]! : session.open;
            if (lastEnd < session.close) entry.quality.get(name)?.gaps.push([lastEnd, session.close]);
          }
        }
      }
      subscriber.next(slice);
    };
  });
}

// Rare (a missing window): kept out of the loop above.
function recordGap(data: SessionData, series: BarSeries, interval: string, from: number, to: number): void {
  data.get(series.symbol)!.quality.get(interval)!.gaps.push([from, to]);
}

function trackNewSymbols(data: SessionData, clocks: WindowClock[], from: number): number {
  let index = 0;
  for (const entry of data.entries()) {
    if (index++ < from) continue;
    data.intervals.forEach(({ name }, j) => entry.quality.set(name, liveQuality(name, entry.series(name), clocks[j]!, j === 0 ? entry.rejectedToday : undefined)));
  }
  return index;
}
