import { Observable } from 'rxjs';
import { parseInterval } from '../../lib/calendar/interval.ts';
import { ConfigError } from '../../lib/errors.ts';
import type { BarSeries } from '../../lib/session/bar-series.ts';
import type { ClosedBars, SlicePipeline, TimeSlice } from '../../lib/session/time-slice.ts';

/**
 * Running aggregates of every symbol's current window at one derived interval, as typed
 * columns indexed by the symbol's slot: no boxed numbers and no map lookups per bar.
 */
class WindowColumns {
  targets: Array<BarSeries | undefined> = [];
  window: Float64Array = new Float64Array(16);
  open: Float64Array = new Float64Array(16);
  high: Float64Array = new Float64Array(16);
  low: Float64Array = new Float64Array(16);
  close: Float64Array = new Float64Array(16);
  volume: Float64Array = new Float64Array(16);
  filled = new Uint8Array(16);

  ensure(slot: number): void {
    if (slot < this.filled.length) return;
    const size = Math.max(slot + 1, this.filled.length * 2);
    const widen = (a: Float64Array): Float64Array => {
      const b = new Float64Array(size);
      b.set(a);
      return b;
    };
    this.window = widen(this.window);
    this.open = widen(this.open);
    this.high = widen(this.high);
    this.low = widen(this.low);
    this.close = widen(this.close);
    this.volume = widen(this.volume);
    const filled = new Uint8Array(size);
    filled.set(this.filled);
    this.filled = filled;
  }
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
      const states = parsed.map(() => new WindowColumns());
      const nextBoundary = parsed.map(() => Number.NEGATIVE_INFINITY);
      const widths = parsed.map((i) => i.ms);
      const names = parsed.map((i) => i.name);
      const count = parsed.length;
      let validated = false;
      return source.subscribe({
        next: (slice) => {
          try {
            const { session, data } = slice;
            const open = session.open;
            const close = session.close;
            if (!validated) {
              validated = true;
              for (const [i, interval] of parsed.entries()) {
                if (!data.intervals.some((x) => x.name === interval.name)) throw ConfigError.at(`deriveBars.intervals[${i}]`, interval.name, `an interval registered in SessionData (${data.intervals.map((x) => x.name).join(', ')})`);
                if (interval.ms % data.intervals[0]!.ms !== 0) throw ConfigError.at(`deriveBars.intervals[${i}]`, interval.name, `a multiple of the base interval ${data.baseInterval}`);
                nextBoundary[i] = open + interval.ms;
              }
            }
            const base = slice.closed.get(data.baseInterval);
            const outs: Array<ClosedBars | undefined> = new Array(count);
            if (base) {
              const rows = base.rows;
              for (let k = 0; k < rows.length; k++) {
                const src = base.series[k]!;
                const row = rows[k]!;
                const slot = src.slot;
                const start = src.start[row]!;
                const o = src.open[row]!;
                const h = src.high[row]!;
                const l = src.low[row]!;
                const c = src.close[row]!;
                const v = src.volume[row]!;
                for (let j = 0; j < count; j++) {
                  const width = widths[j]!;
                  const window = Math.floor((start - open) / width);
                  const w = states[j]!;
                  if (slot >= w.filled.length) w.ensure(slot);
                  if (w.targets[slot] === undefined) w.targets[slot] = data.series(src.symbol, names[j]!);
                  // Only true when a tick skipped a window end (coarse clock): close it now.
                  if (w.filled[slot] === 1 && w.window[slot] !== window) outs[j] = emit(w, slot, open, close, width, outs[j]);
                  if (w.filled[slot] === 0) {
                    w.window[slot] = window;
                    w.open[slot] = o;
                    w.high[slot] = h;
                    w.low[slot] = l;
                    w.volume[slot] = v;
                    w.filled[slot] = 1;
                  } else {
                    if (h > w.high[slot]!) w.high[slot] = h;
                    if (l < w.low[slot]!) w.low[slot] = l;
                    w.volume[slot] = w.volume[slot]! + v;
                  }
                  w.close[slot] = c;
                }
              }
            }
            const time = slice.time;
            for (let j = 0; j < count; j++) {
              if (time >= nextBoundary[j]! || time >= close) {
                const width = widths[j]!;
                const closedBefore = Math.floor((time - open) / width);
                const w = states[j]!;
                const filled = w.filled;
                for (let slot = 0; slot < filled.length; slot++) {
                  if (filled[slot] === 1 && (w.window[slot]! < closedBefore || time >= close)) outs[j] = emit(w, slot, open, close, width, outs[j]);
                }
                nextBoundary[j] = open + (closedBefore + 1) * width;
              }
              const out = outs[j];
              if (out) slice.closed.set(names[j]!, sortBySymbol(out));
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

function emit(w: WindowColumns, slot: number, open: number, close: number, width: number, out: ClosedBars | undefined): ClosedBars {
  const start = open + w.window[slot]! * width;
  const fullEnd = start + width;
  const end = fullEnd < close ? fullEnd : close;
  const target = w.targets[slot]!;
  const row = target.append(start, end, w.open[slot]!, w.high[slot]!, w.low[slot]!, w.close[slot]!, w.volume[slot]!, end < fullEnd);
  w.filled[slot] = 0;
  const list = out ?? { series: [], rows: [] };
  list.series.push(target);
  list.rows.push(row);
  return list;
}

// Windows close together for all symbols; keep the (end, symbol) order promised by the drain.
function sortBySymbol(out: ClosedBars): ClosedBars {
  let sorted = true;
  for (let k = 1; k < out.series.length && sorted; k++) if (out.series[k - 1]!.symbol > out.series[k]!.symbol) sorted = false;
  if (sorted) return out;
  const order = out.series.map((_, k) => k).sort((a, b) => (out.series[a]!.symbol < out.series[b]!.symbol ? -1 : 1));
  return { series: order.map((k) => out.series[k]!), rows: order.map((k) => out.rows[k]!) };
}
