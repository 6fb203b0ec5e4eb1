import type { OperatorFunction } from 'rxjs';
import type { Session } from '../calendar/types.ts';
import type { SessionData } from './session-data.ts';
import type { TickBars } from './tick-bars.ts';

/**
 * The bars of one interval that became visible at one tick: the engine-built view
 * {@link TickBars} (`count`, and per bar `symbol(k)`, `series(k)`, `row(k)`, `start(k)`,
 * `end(k)`, `open(k)` … `volume(k)`, `previousEnd(k)`). The name stages use.
 */
export type ClosedBars = TickBars;

/** A trading signal emitted by a strategy and recorded in the results. */
export interface Signal {
  /** Tick instant at which the signal was produced (epoch ms UTC). */
  readonly time: number;
  readonly symbol: string;
  /** E.g. `'buy'`, `'sell'`, `'flat'`. */
  readonly side: string;
  /** Name of the strategy that produced it. */
  readonly strategy: string;
  /** Reference price (usually the close of the bar that triggered it). */
  readonly price?: number;
  readonly reason?: string;
}

/**
 * What a slice is:
 * - `'warmup'`: Phase 2, at the open, no bars. Every symbol of the day is in `added`: stages
 *   set up their per-symbol state from the trailing history (indicators are warmed here, so
 *   components' `setup()` and pre-session scans read current values).
 * - `'pre'`: Phase 2, at the open, after the components' `setup()`: pre-session scans run.
 * - `'tick'`: Phase 3, one per clock tick; strategies act on these only.
 * - `'replay'`: a symbol joining mid-session (listed in `added`) is caught up: a bar-less
 *   slice at the join time to warm its state, then its bars with `end <= T` at their own
 *   times, before the next tick. Stages that keep data (derived bars, indicators, quality)
 *   process them like ticks; stages that act (strategies, scanners) skip them, so nothing
 *   acts on the past.
 */
export type SliceKind = 'warmup' | 'pre' | 'tick' | 'replay';

/**
 * The one event per tick that flows through a session pipeline (DESIGN §2). Stages read
 * and annotate it and pass the same object on: a pipeline must emit every slice it
 * receives exactly once, in order, because the clock waits for it (back-pressure).
 */
export interface TimeSlice {
  /** See {@link SliceKind}: only `'tick'` slices are live clock ticks. */
  readonly kind: SliceKind;
  /** The tick instant T: everything with `end <= T` is visible, nothing later is. */
  readonly time: number;
  /** 0-based tick number within the session (-1 for Phase 2 slices; the tick it precedes for replays). */
  readonly index: number;
  readonly session: Session;
  readonly data: SessionData;
  /**
   * Interval name → the bars that closed at this tick, as one view each (see TickBars). The
   * base interval is filled by the drain, derived intervals by `deriveBars`.
   */
  readonly closed: Map<string, ClosedBars>;
  /** True on the last tick, which is exactly the close. */
  readonly isClose: boolean;
  /** Signals produced at this tick; strategies append to it. */
  readonly signals: Signal[];
  /**
   * Symbols that joined at this slice: every symbol of the day on the `'warmup'` slice, the
   * symbols being caught up on `'replay'` slices, and on a `'tick'` the symbols that joined
   * the live drain at it (added by a scan at the previous tick).
   */
  readonly added: string[];
}

/** A session pipeline: the stages every time slice passes through. */
export type SlicePipeline = OperatorFunction<TimeSlice, TimeSlice>;
