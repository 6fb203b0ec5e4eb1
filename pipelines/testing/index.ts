/**
 * `sessionflow/testing`: drive a stage (any `SlicePipeline`) through a day the way the engine
 * does — the real base-bar queues and drain, the real tick instants and tick driver — without
 * a store or a config. What the stage sees is what it would see in a backtest: a warm-up slice
 * at the open (every symbol in `added`), then one slice per tick whose `closed` views are
 * built by the engine.
 *
 * @example
 * ```ts
 * import { runSlices } from 'sessionflow/testing';
 * import { deriveBars } from 'sessionflow/operators';
 *
 * const session = { date: '2024-03-15', open: Date.parse('2024-03-15T13:30Z'), close: Date.parse('2024-03-15T13:40Z'), earlyClose: false };
 * const run = runSlices(deriveBars(['5m']), { session, intervals: ['1m', '5m'], bars: { SPY: minuteBars } });
 * run.closed('5m'); // the 5m bars, with the tick at which each appeared
 * run.rows('SPY', '5m'); // what SessionData holds
 * run.dispose();
 * ```
 */
import { asyncScheduler } from 'rxjs';
import { parseInterval } from '../../lib/calendar/interval.ts';
import type { Session } from '../../lib/calendar/types.ts';
import { driveTicks } from '../../lib/clock/drive-ticks.ts';
import { RunControl } from '../../lib/clock/run-control.ts';
import { sessionTicks } from '../../lib/clock/session-ticks.ts';
import { ConfigError } from '../../lib/errors.ts';
import { BarQueues } from '../../lib/session/bar-queue.ts';
import { BarSeries, type Bar } from '../../lib/session/bar-series.ts';
import { RunMemory } from '../../lib/session/run-memory.ts';
import { SessionData } from '../../lib/session/session-data.ts';
import type { TickBars } from '../../lib/session/tick-bars.ts';
import type { SlicePipeline, TimeSlice } from '../../lib/session/time-slice.ts';

/** A bar as input: its start and OHLCV; `end` defaults to `start` + the interval. */
export interface TestBar {
  readonly start: number;
  readonly end?: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

/** Bars per symbol: a record or a map (symbols register in its order unless `symbols` says otherwise). */
export type BarsBySymbol = Readonly<Record<string, readonly TestBar[]>> | ReadonlyMap<string, readonly TestBar[]>;

/** What {@link runSlices} runs. */
export interface SliceRunOptions {
  readonly session: Session;
  /** The day's streams, base first, e.g. `['1m', '5m']`. */
  readonly intervals: readonly string[];
  /** Today's base bars per symbol, sorted by start; they reach the stage at their end, through the drain. */
  readonly bars: BarsBySymbol;
  /** Symbols to register, in order (default: those of `bars`); a symbol without bars has an empty day. */
  readonly symbols?: readonly string[];
  /**
   * The clock: `'data'` (default: the distinct bar ends, window ends of the derived
   * intervals and the close, as a data-driven run), `'clock'` (every base interval up to the
   * close), or the tick instants themselves (ascending; e.g. a coarse clock).
   */
  readonly ticks?: 'data' | 'clock' | readonly number[];
  /**
   * Trailing history per symbol and interval (sessions strictly before today, oldest first):
   * what indicators warm on. A new past session starts where the UTC date of `start` changes.
   */
  readonly history?: Readonly<Record<string, Readonly<Record<string, readonly TestBar[]>>>>;
  /** Also emit the pre-session slice after the warm-up (what pre-session scans run on). */
  readonly pre?: boolean;
  /** The run memory the day's storage comes from (default: one of its own, released by `dispose()`). */
  readonly memory?: RunMemory;
}

/** A bar a slice listed, with its symbol and the tick at which it became visible. */
export type SeenBar = Bar & { readonly symbol: string; readonly at: number };

/** What a stage did over the day. */
export interface SliceRun {
  /** The day's SessionData (intact until {@link dispose}). */
  readonly data: SessionData;
  /** Every slice the stage emitted, in order (Phase 2 slices first). */
  readonly slices: readonly TimeSlice[];
  /** The `'tick'` slices among them. */
  readonly ticks: readonly TimeSlice[];
  /** The stage completed after the close. */
  readonly completed: boolean;
  /** What the stage sent on the error channel, if anything. */
  readonly error: unknown;
  /** Every bar the emitted slices listed under `interval`, with the tick at which it appeared. */
  closed(interval: string): SeenBar[];
  /** Today's series of `symbol` at `interval` as plain bars. */
  rows(symbol: string, interval: string): Bar[];
  /** Tear the day down like the engine does (its series then throw on reads, its memory goes back). */
  dispose(): void;
}

/**
 * Run `pipeline` over one day of `options.bars`, synchronously (the usual case: stages that
 * return no async work). Throws when the pipeline is still busy after the last synchronous
 * step: use {@link runSlicesAsync} for stages that wait for something.
 */
export function runSlices(pipeline: SlicePipeline, options: SliceRunOptions): SliceRun {
  const day = startDay(pipeline, options);
  if (!day.settled()) {
    day.run.dispose();
    throw new Error('runSlices: the pipeline did not finish synchronously (a stage returns async work); use runSlicesAsync');
  }
  return day.run;
}

/** Like {@link runSlices}, for stages that return async work: resolves once the day completed or failed. */
export async function runSlicesAsync(pipeline: SlicePipeline, options: SliceRunOptions): Promise<SliceRun> {
  const day = startDay(pipeline, options);
  await day.done;
  return day.run;
}

function startDay(pipeline: SlicePipeline, options: SliceRunOptions): { run: SliceRun; settled: () => boolean; done: Promise<void> } {
  const { session } = options;
  if (options.intervals.length === 0) throw ConfigError.at('intervals', options.intervals, 'at least the base interval');
  const intervals = options.intervals.map((text, i) => {
    const parsed = parseInterval(text, `intervals[${i}]`);
    if (parsed.sessions > 0) throw ConfigError.at(`intervals[${i}]`, text, 'an intraday interval (s, m or h)');
    return { name: parsed.name, ms: parsed.ms };
  });
  const base = intervals[0]!;
  const ownMemory = options.memory === undefined;
  const memory = options.memory ?? new RunMemory();
  const data = new SessionData(session, intervals, memory);
  const queues = new BarQueues(base.ms, data.arena);
  const bars = options.bars instanceof Map ? options.bars : new Map(Object.entries(options.bars as Readonly<Record<string, readonly TestBar[]>>));
  const symbols = options.symbols ?? [...bars.keys()];
  for (const symbol of symbols) {
    const entry = data.register(symbol);
    queues.add(columnsOf(bars.get(symbol) ?? []), entry.series(base.name));
    const history = options.history?.[symbol];
    if (history) for (const [interval, list] of Object.entries(history)) addHistory(data, symbol, interval, list);
  }
  const ticks =
    typeof options.ticks === 'object'
      ? Float64Array.from(options.ticks)
      : sessionTicks(session, { mode: options.ticks ?? 'data', baseMs: base.ms, windowMs: intervals.slice(1).map((i) => i.ms), barEnds: [queues.ends()] });

  const slices: TimeSlice[] = [];
  const ticked: TimeSlice[] = [];
  let completed = false;
  let error: unknown;
  let settle: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (settle = resolve));
  let step: 'warmup' | 'pre' | 'live' = 'warmup';
  const slice = (kind: TimeSlice['kind'], time: number, index: number, closed: Map<string, TickBars>, added: string[]): TimeSlice => ({ kind, time, index, session, data, closed, isClose: time >= session.close, signals: [], added });
  const subscription = driveTicks<TimeSlice>({
    ticks: () => ticks,
    start: session.open,
    speed: 0,
    scheduler: asyncScheduler,
    control: new RunControl(),
    pipeline,
    date: session.date,
    // Phase 2 as the engine runs it: the warm-up slice (every symbol joins), then, if asked, the pre-session slice.
    inject: () => {
      if (step === 'warmup') {
        step = options.pre === true ? 'pre' : 'live';
        return slice('warmup', session.open, -1, new Map(), data.symbols());
      }
      if (step === 'pre') {
        step = 'live';
        return slice('pre', session.open, -1, new Map(), []);
      }
      return undefined;
    },
    makeSlice: (time, index) => slice('tick', time, index, new Map([[base.name, queues.drain(time)]]), []),
  }).subscribe({
    next: (s) => {
      slices.push(s);
      if (s.kind === 'tick') ticked.push(s);
    },
    error: (e: unknown) => {
      error = e;
      settle();
    },
    complete: () => {
      completed = true;
      settle();
    },
  });
  let disposed = false;
  const run: SliceRun = {
    data,
    slices,
    ticks: ticked,
    get completed() {
      return completed;
    },
    get error() {
      return error;
    },
    closed(interval) {
      const out: SeenBar[] = [];
      for (const s of slices) {
        const view = s.closed.get(interval);
        for (let k = 0; view !== undefined && k < view.count; k++) out.push({ ...view.bar(k), symbol: view.symbol(k), at: s.time });
      }
      return out;
    },
    rows(symbol, interval) {
      const series = data.series(symbol, interval);
      return Array.from({ length: series.length }, (_, i) => series.bar(i)!);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      subscription.unsubscribe();
      queues.clear();
      data.clear();
      if (ownMemory) memory.release();
      settle();
    },
  };
  return { run, settled: () => completed || error !== undefined, done };
}

/** Today's bars of a symbol as the queues take them (columns). */
function columnsOf(bars: readonly TestBar[]): { length: number; start: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array } {
  const col = (f: (b: TestBar) => number) => Float64Array.from(bars, f);
  return { length: bars.length, start: col((b) => b.start), open: col((b) => b.open), high: col((b) => b.high), low: col((b) => b.low), close: col((b) => b.close), volume: col((b) => b.volume) };
}

/** A history series of `symbol` at `interval`, in the day's storage, with its past sessions' starts and dates. */
function addHistory(data: SessionData, symbol: string, interval: string, bars: readonly TestBar[]): void {
  const entry = data.get(symbol)!;
  const parsed = parseInterval(interval, `history.${symbol}`);
  const ms = Number.isFinite(parsed.ms) ? parsed.ms : 0;
  const series = new BarSeries(symbol, parsed.name, ms, bars.length, entry.slot, data.arena);
  const starts: number[] = [];
  const dates: string[] = [];
  for (const bar of bars) {
    const date = new Date(bar.start).toISOString().slice(0, 10);
    if (dates.at(-1) !== date) {
      starts.push(series.length);
      dates.push(date);
    }
    const end = bar.end ?? bar.start + ms;
    if (!(end > bar.start)) throw ConfigError.at(`history.${symbol}.${interval}`, bar, 'bars with an end after their start (give `end` for session intervals)');
    series.append(bar.start, end, bar.open, bar.high, bar.low, bar.close, bar.volume, false);
  }
  entry.history.set(parsed.name, series);
  entry.historySessionStarts.set(parsed.name, starts);
  entry.historySessionDates.set(parsed.name, dates);
}
