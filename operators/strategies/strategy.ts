import { ConfigError } from '../../lib/errors.ts';
import { BAR_VALUE, BAR_VALUE_STRIDE, type BarSeries } from '../../lib/session/bar-series.ts';
import type { SessionData } from '../../lib/session/session-data.ts';
import { TickBars } from '../../lib/session/tick-bars.ts';
import type { Signal, SlicePipeline, TimeSlice } from '../../lib/session/time-slice.ts';
import { sliceOperator } from '../internal/slice-operator.ts';

/** What a strategy returns for a slice: signals without the time and strategy name, which the hook stamps. */
export type SignalIntent = Omit<Signal, 'time' | 'strategy'>;

/** A strategy: sees each time slice (read access to SessionData) and may emit signals. */
export interface StrategyHandler<S> {
  readonly name: string;
  /** Per-session state, created at subscription (one session). */
  readonly init?: () => S;
  /** Called once per tick after bars, indicators and quality are updated. */
  onSlice(slice: TimeSlice, state: S): SignalIntent | readonly SignalIntent[] | void;
}

/**
 * The strategy hook: run `handler.onSlice` on every time slice and record what it returns
 * as signals (stamped with the tick time and the strategy name) in `slice.signals`, from
 * where the engine collects them into the day's results. State made by `init` lives in the
 * subscription, so each session starts fresh.
 *
 * @example
 * ```ts
 * strategy({ name: 'first-bar', onSlice: (s) => (s.index === 0 ? { symbol: 'SPY', side: 'buy' } : undefined) })
 * ```
 */
export function strategy<S = undefined>(handler: StrategyHandler<S>): SlicePipeline {
  if (!handler || typeof handler.onSlice !== 'function') throw ConfigError.at('strategy.onSlice', handler?.onSlice, 'a function (slice, state) => signals');
  if (!handler.name) throw ConfigError.at('strategy.name', handler.name, 'a non-empty name');
  return sliceOperator(() => {
    const state = (handler.init ? handler.init() : undefined) as S;
    return (slice, subscriber) => {
      // Strategies act on live ticks only: never on Phase 2 slices or a joining symbol's replayed past.
      if (slice.kind !== 'tick') {
        subscriber.next(slice);
        return;
      }
      const out = handler.onSlice(activeView(slice), state);
      if (out) {
        const list = Array.isArray(out) ? (out as readonly SignalIntent[]) : [out as SignalIntent];
        for (const intent of list) slice.signals.push({ ...intent, time: slice.time, strategy: handler.name });
      }
      subscriber.next(slice);
    };
  });
}

/**
 * The slice as a strategy sees it: without the bars of symbols a scan dropped. The same slice
 * when nothing was dropped (the normal case: no copy); otherwise a copy whose `closed` views
 * list only active symbols, sharing `signals` with the original.
 */
function activeView(slice: TimeSlice): TimeSlice {
  const data = slice.data;
  let anyDropped = false;
  for (const bars of slice.closed.values()) {
    for (let k = 0; k < bars.count && !anyDropped; k++) if (!data.isActive(bars.symbol(k))) anyDropped = true;
    if (anyDropped) break;
  }
  if (!anyDropped) return slice;
  const closed = new Map<string, TickBars>();
  for (const [interval, bars] of slice.closed) {
    const series: BarSeries[] = [];
    const rows: number[] = [];
    for (let k = 0; k < bars.count; k++) {
      if (!data.isActive(bars.symbol(k))) continue;
      series.push(bars.series(k));
      rows.push(bars.row(k));
    }
    // From the day's arena: like every view's values, they go back to the run with the day.
    closed.set(interval, new TickBars(series, rows, activeValues(bars, data, data.arena.takeColumn(rows.length * BAR_VALUE_STRIDE))));
  }
  return { ...slice, closed };
}

/** The values of the bars of `bars` whose symbol is active, in order, into `out`. */
function activeValues(bars: TickBars, data: SessionData, out: Float64Array): Float64Array {
  let y = 0;
  for (let k = 0; k < bars.count; k++) {
    if (!data.isActive(bars.symbol(k))) continue;
    out[y + BAR_VALUE.start] = bars.start(k);
    out[y + BAR_VALUE.end] = bars.end(k);
    out[y + BAR_VALUE.open] = bars.open(k);
    out[y + BAR_VALUE.high] = bars.high(k);
    out[y + BAR_VALUE.low] = bars.low(k);
    out[y + BAR_VALUE.close] = bars.close(k);
    out[y + BAR_VALUE.volume] = bars.volume(k);
    out[y + BAR_VALUE.previousEnd] = bars.previousEnd(k);
    y += BAR_VALUE_STRIDE;
  }
  return out;
}
