import { Observable } from 'rxjs';
import { parseInterval } from '../../lib/calendar/interval.ts';
import { ConfigError } from '../../lib/errors.ts';
import type { BarSeries } from '../../lib/session/bar-series.ts';
import type { ClosedBars, SlicePipeline, TimeSlice } from '../../lib/session/time-slice.ts';

/** Running aggregate of one symbol's current window at one derived interval. */
interface WindowState {
  target: BarSeries;
  window: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  filled: boolean;
}

/**
 * Derive larger bars (5m, 15m, 1h, …) from the base bars of each time slice, in windows
 * anchored at the session open (DESIGN §1) so DST and half-hour opens cannot shift them.
 * A window is emitted when the clock reaches its end, from the base bars present; the last
 * window is cut at the close and flagged `partial`; a window without base bars emits
 * nothing (and counts against quality). Derived bars are appended to SessionData and
 * listed in `slice.closed` under their interval.
 *
 * @example
 * ```ts
 * pipeline: () => pipe(deriveBars(['5m', '15m']), ema(9, { interval: '5m' }))
 * ```
 */
export function deriveBars(intervals: readonly string[]): SlicePipeline {
  const parsed = intervals.map((text, i) => parseInterval(text, `deriveBars.intervals[${i}]`));
  for (const [i, interval] of parsed.entries()) {
    if (interval.sessions > 0) throw ConfigError.at(`deriveBars.intervals[${i}]`, intervals[i], 'an intraday interval (s, m or h)');
  }
  return (source) =>
    new Observable<TimeSlice>((subscriber) => {
      // State lives in the subscription: one subscription = one session.
      const states = parsed.map(() => new Map<string, WindowState>());
      const nextBoundary = parsed.map(() => Number.NEGATIVE_INFINITY);
      let validated = false;
      return source.subscribe({
        next: (slice) => {
          try {
            const { session, data } = slice;
            if (!validated) {
              validated = true;
              for (const [i, interval] of parsed.entries()) {
                if (!data.intervals.some((x) => x.name === interval.name)) throw ConfigError.at(`deriveBars.intervals[${i}]`, interval.name, `an interval registered in SessionData (${data.intervals.map((x) => x.name).join(', ')})`);
                if (interval.ms % data.intervals[0]!.ms !== 0) throw ConfigError.at(`deriveBars.intervals[${i}]`, interval.name, `a multiple of the base interval ${data.baseInterval}`);
                nextBoundary[i] = session.open + interval.ms;
              }
            }
            const base = slice.closed.get(data.baseInterval);
            const time = slice.time;
            for (let j = 0; j < parsed.length; j++) {
              const width = parsed[j]!.ms;
              const name = parsed[j]!.name;
              const open = session.open;
              const byName = states[j]!;
              let out: ClosedBars | undefined;
              if (base) {
                for (let k = 0; k < base.rows.length; k++) {
                  const src = base.series[k]!;
                  const row = base.rows[k]!;
                  const start = src.start[row]!;
                  const window = Math.floor((start - open) / width);
                  let st = byName.get(src.symbol);
                  if (st === undefined) {
                    st = { target: data.series(src.symbol, name), window, open: 0, high: 0, low: 0, close: 0, volume: 0, filled: false };
                    byName.set(src.symbol, st);
                  } else if (st.filled && st.window !== window) {
                    // Only reachable when a tick skipped a window end (coarse clock): close it now.
                    out = emit(st, session.open, session.close, width, out);
                  }
                  if (!st.filled) {
                    st.window = window;
                    st.open = src.open[row]!;
                    st.high = src.high[row]!;
                    st.low = src.low[row]!;
                    st.volume = 0;
                    st.filled = true;
                  } else {
                    const h = src.high[row]!;
                    const l = src.low[row]!;
                    if (h > st.high) st.high = h;
                    if (l < st.low) st.low = l;
                  }
                  st.close = src.close[row]!;
                  st.volume += src.volume[row]!;
                }
              }
              if (time >= nextBoundary[j]! || time >= session.close) {
                const closedBefore = Math.floor((time - open) / width);
                for (const st of byName.values()) {
                  if (st.filled && (st.window < closedBefore || time >= session.close)) out = emit(st, session.open, session.close, width, out);
                }
                nextBoundary[j] = open + (closedBefore + 1) * width;
              }
              if (out) slice.closed.set(name, sortBySymbol(out));
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

function emit(st: WindowState, open: number, close: number, width: number, out: ClosedBars | undefined): ClosedBars {
  const start = open + st.window * width;
  const fullEnd = start + width;
  const end = fullEnd < close ? fullEnd : close;
  const row = st.target.append(start, end, st.open, st.high, st.low, st.close, st.volume, end < fullEnd);
  st.filled = false;
  const target = out ?? { series: [], rows: [] };
  target.series.push(st.target);
  target.rows.push(row);
  return target;
}

// Windows close together for all symbols; keep the (end, symbol) order promised by the drain.
function sortBySymbol(out: ClosedBars): ClosedBars {
  let sorted = true;
  for (let k = 1; k < out.series.length && sorted; k++) if (out.series[k - 1]!.symbol > out.series[k]!.symbol) sorted = false;
  if (sorted) return out;
  const order = out.series.map((_, k) => k).sort((a, b) => (out.series[a]!.symbol < out.series[b]!.symbol ? -1 : 1));
  return { series: order.map((k) => out.series[k]!), rows: order.map((k) => out.rows[k]!) };
}
