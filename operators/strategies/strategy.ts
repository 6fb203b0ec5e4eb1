import { Observable } from 'rxjs';
import { ConfigError } from '../../lib/errors.ts';
import { BAR_VALUE_STRIDE } from '../../lib/session/bar-series.ts';
import type { ClosedBars, Signal, SlicePipeline, TimeSlice } from '../../lib/session/time-slice.ts';

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
  return (source) =>
    new Observable<TimeSlice>((subscriber) => {
      const state = (handler.init ? handler.init() : undefined) as S;
      return source.subscribe({
        next: (slice) => {
          try {
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
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}

/**
 * The slice as a strategy sees it: without the bars of symbols a scan dropped. The same slice
 * when nothing was dropped (the normal case: no copy); otherwise a copy whose `closed` lists
 * only active symbols, sharing `signals` with the original.
 */
function activeView(slice: TimeSlice): TimeSlice {
  const data = slice.data;
  let anyDropped = false;
  for (const list of slice.closed.values()) {
    for (let k = 0; k < list.series.length && !anyDropped; k++) if (!data.isActive(list.series[k]!.symbol)) anyDropped = true;
    if (anyDropped) break;
  }
  if (!anyDropped) return slice;
  const closed = new Map<string, ClosedBars>();
  for (const [interval, list] of slice.closed) {
    const keep: number[] = [];
    for (let k = 0; k < list.series.length; k++) if (data.isActive(list.series[k]!.symbol)) keep.push(k);
    const values = list.values;
    closed.set(interval, {
      series: keep.map((k) => list.series[k]!),
      rows: keep.map((k) => list.rows[k]!),
      ...(values ? { values: pickValues(values, keep) } : {}),
    });
  }
  return { ...slice, closed };
}

function pickValues(values: Float64Array, keep: readonly number[]): Float64Array {
  const out = new Float64Array(keep.length * BAR_VALUE_STRIDE);
  keep.forEach((k, i) => out.set(values.subarray(k * BAR_VALUE_STRIDE, (k + 1) * BAR_VALUE_STRIDE), i * BAR_VALUE_STRIDE));
  return out;
}
