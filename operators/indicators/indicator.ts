import { parseInterval } from '../../lib/calendar/interval.ts';
import { ConfigError, namedBy } from '../../lib/errors.ts';
import type { BarSeries } from '../../lib/session/bar-series.ts';
import type { TickBars } from '../../lib/session/tick-bars.ts';
import type { SlicePipeline, TimeSlice } from '../../lib/session/time-slice.ts';
import type { BarInput, Indicator } from '../../lib/indicators/types.ts';
import { sliceOperator } from '../internal/slice-operator.ts';

/** Which bar field feeds a price indicator. */
export type PriceInput = 'open' | 'high' | 'low' | 'close' | 'volume';

/** What an indicator is fed: one bar field (price indicators) or the whole bar. */
export type IndicatorInput = PriceInput | 'bar';

const INPUTS: readonly IndicatorInput[] = ['open', 'high', 'low', 'close', 'volume', 'bar'];
/** Index of each input in {@link INPUTS}: `feed` switches on it instead of a keyed access (`bars[input](k)`), which every indicator stage shares and turns megamorphic. */
type InputCode = 0 | 1 | 2 | 3 | 4 | 5;
const BAR = 5;
const COLUMN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Options of {@link indicator}. */
export interface IndicatorOptions {
  /** Interval whose closed bars update the indicator, e.g. `'5m'`. */
  readonly interval: string;
  /**
   * Column name in SessionData, e.g. `'ema_9'`. An indicator with several outputs writes one
   * column per output, `<as>_<output>` (`macd_12_macd`, `macd_12_signal`, …).
   */
  readonly as: string;
  /** Bar field fed to the indicator, or `'bar'` for the whole bar (default `'close'`). */
  readonly input?: IndicatorInput;
  /**
   * Output names of a multi-output indicator (e.g. `['upper', 'middle', 'lower']`), so its
   * columns exist from the first bar; when left out they are created at the first value.
   */
  readonly outputs?: readonly string[];
}

/** Writes one indicator value into the SessionData row of the bar it belongs to. */
type Writer = (series: BarSeries, row: number, value: unknown) => void;

/**
 * The indicator operator contract: on each closed bar of `interval`, for each symbol,
 * update that symbol's own indicator instance (made by `factory`, so state is never
 * shared) and write the value into the SessionData column `as`, aligned with the bar.
 * Each instance is first warmed on the symbol's trailing history at that interval
 * (sessions strictly before today), so the value at the first bar of the day equals a
 * continuous run over history + today; `startSession()` is called before each session's
 * first bar, history included. Symbols joining mid-session are warmed the same way.
 *
 * @example
 * ```ts
 * indicator(() => new EMA(9), { interval: '5m', as: 'ema_9' })
 * indicator(() => new BollingerBands({ period: 20, stdDev: 2 }), { interval: '5m', as: 'bb_20', outputs: ['upper', 'middle', 'lower'] })
 * indicator(() => new ATR(14), { interval: '15m', as: 'atr_14', input: 'bar' })
 * ```
 */
export function indicator(factory: () => Indicator<never, unknown>, options: IndicatorOptions): SlicePipeline {
  const interval = parseInterval(options.interval, 'indicator.interval').name;
  if (typeof options.as !== 'string' || !COLUMN.test(options.as)) throw ConfigError.at('indicator.as', options.as, 'a column name (letters, digits, _)');
  const input = options.input ?? 'close';
  if (!INPUTS.includes(input)) throw ConfigError.at('indicator.input', input, `one of ${INPUTS.map((i) => JSON.stringify(i)).join(', ')}`);
  for (const output of options.outputs ?? []) if (!COLUMN.test(output)) throw ConfigError.at('indicator.outputs', output, 'output names made of letters, digits, _');
  const column = options.as;
  const inputCode = INPUTS.indexOf(input) as InputCode;
  const write = writerFor(column, options.outputs);
  const columnNames = options.outputs ? options.outputs.map((o) => `${column}_${o}`) : [column];
  return sliceOperator(() => {
    // Per-symbol instances indexed by the symbol's slot in the session (an array, not a map:
    // this lookup runs for every closed bar of every symbol).
    const instances: Array<Indicator<never, unknown> | undefined> = [];
    // Per slot, the `column` array last written, its series and that series' storage version:
    // a number is written straight into it instead of through a lookup by name per write.
    const columns: Array<Float64Array | undefined> = [];
    const owners: Array<BarSeries | undefined> = [];
    const versions: number[] = [];
    /** Per slot: whether its instance writes its values itself (`updateInto`, see writesInto). */
    const writers: boolean[] = [];
    // One bar object for every update of this subscription: indicators copy what they need.
    const bar = { open: 0, high: 0, low: 0, close: 0, volume: 0 };
    let checked = false;
    /**
     * A new instance for `series`' symbol, warmed on its trailing history at this interval
     * (sessions strictly before today), whose values are kept in the history's own column so
     * a stage can compare today's first bar with yesterday's last (a crossover at the open).
     */
    // The output column of `series`, looked up again only when its storage moved.
    const columnOf = (series: BarSeries): Float64Array => {
      const slot = series.slot;
      let target = columns[slot];
      if (target === undefined || owners[slot] !== series || versions[slot] !== series.storageVersion) {
        target = columns[slot] = series.column(column);
        owners[slot] = series;
        versions[slot] = series.storageVersion;
      }
      return target;
    };
    const warm = (series: BarSeries, slice: TimeSlice): Indicator<never, unknown> => {
      const ind = factory();
      const direct = inputCode !== BAR && writesInto(ind);
      writers[series.slot] = direct;
      const symbolData = slice.data.get(series.symbol);
      const history = symbolData?.history.get(interval);
      if (history) {
        const starts = symbolData!.historySessionStarts.get(interval) ?? [];
        let next = 0;
        // The history does not grow during the warm-up, so its column is fetched once.
        let historyColumn: Float64Array | undefined;
        for (let i = 0; i < history.length; i++) {
          while (next < starts.length && starts[next]! <= i) {
            if (starts[next] === i) ind.startSession?.();
            next++;
          }
          if (direct) {
            ind.updateInto!(fieldOf(history, i, inputCode), (historyColumn ??= history.column(column)), i);
            continue;
          }
          const v = feedHistory(ind, history, i, inputCode, bar);
          if (typeof v === 'number') (historyColumn ??= history.column(column))[i] = v;
          else if (v !== undefined) write(history, i, v);
        }
      }
      // Columns exist from the first bar, so an indicator still warming up at the close
      // exports as NaN instead of going missing.
      for (const name of columnNames) series.column(name);
      ind.startSession?.();
      return ind;
    };
    return (slice, subscriber) => {
      if (!checked) {
        checked = true;
        // An interval that is not a stream would silently never update: refuse it.
        if (!slice.data.intervals.some((i) => i.name === interval)) throw ConfigError.at(`indicator(${column}).interval`, interval, `one of the session's streams (${slice.data.intervals.map((i) => i.name).join(', ')})`);
      }
      // Symbols joining (every symbol on the Phase 2 warm-up slice, a late symbol on its
      // catch-up): warm their instances now, so values are current before the open.
      const added = slice.added;
      for (let a = 0; a < added.length; a++) {
        const series = slice.data.get(added[a]!)?.bars.get(interval);
        if (series !== undefined && instances[series.slot] === undefined) instances[series.slot] = warm(series, slice);
      }
      const closed = slice.closed.get(interval);
      if (closed !== undefined) {
        const n = closed.count;
        let k = 0;
        try {
          for (; k < n; k++) {
          const series = closed.series(k);
          const slot = series.slot;
          let ind = instances[slot];
          // A symbol no warm-up slice announced (a pipeline driven without one): warmed at its first bar.
          if (ind === undefined) ind = instances[slot] = warm(series, slice);
          // One number from one field: written into the column by the indicator (nothing boxed).
          if (writers[slot] === true) {
            ind.updateInto!(tickField(closed, k, inputCode), columnOf(series), closed.row(k));
            continue;
          }
          const value = feed(ind, closed, k, inputCode, bar);
          if (typeof value === 'number') columnOf(series)[closed.row(k)] = value;
          else if (value !== undefined) write(series, closed.row(k), value);
          }
        } catch (error) {
          // Around the loop, not in it: the symbol for the message costs nothing per bar.
          throw namedBy(error, `indicator ${column}`, closed.series(k).symbol);
        }
      }
      subscriber.next(slice);
    };
  });
}

/** Update `ind` with bar `k` of a tick's view: one field, or the whole bar through the reused object. */
function feed(ind: Indicator<never, unknown>, bars: TickBars, k: number, input: InputCode, bar: { open: number; high: number; low: number; close: number; volume: number }): unknown {
  const update = ind.update as (x: number | BarInput) => unknown;
  switch (input) {
    case 0:
      return update.call(ind, bars.open(k));
    case 1:
      return update.call(ind, bars.high(k));
    case 2:
      return update.call(ind, bars.low(k));
    case 3:
      return update.call(ind, bars.close(k));
    case 4:
      return update.call(ind, bars.volume(k));
  }
  bar.open = bars.open(k);
  bar.high = bars.high(k);
  bar.low = bars.low(k);
  bar.close = bars.close(k);
  bar.volume = bars.volume(k);
  return update.call(ind, bar);
}

/**
 * Whether `ind` has an `updateInto` that goes with its `update`: both found on the same object
 * of its prototype chain. A wrapper or subclass that overrides `update` alone keeps being
 * called through `update`.
 */
function writesInto(ind: Indicator<never, unknown>): boolean {
  if (typeof ind.updateInto !== 'function') return false;
  for (let o: object | null = ind; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    const hasUpdate = Object.prototype.hasOwnProperty.call(o, 'update');
    const hasInto = Object.prototype.hasOwnProperty.call(o, 'updateInto');
    if (hasUpdate || hasInto) return hasUpdate && hasInto;
  }
  return false;
}

/** One field of bar `k` of a tick's view, by input code (the order of {@link INPUTS}; not BAR). */
function tickField(bars: TickBars, k: number, input: InputCode): number {
  switch (input) {
    case 0:
      return bars.open(k);
    case 1:
      return bars.high(k);
    case 2:
      return bars.low(k);
    case 3:
      return bars.close(k);
    default:
      return bars.volume(k);
  }
}

/** Update `ind` with row `row` of a history series (the warm-up, which reads columns: the history is no tick's view). */
function feedHistory(ind: Indicator<never, unknown>, series: BarSeries, row: number, input: InputCode, bar: { open: number; high: number; low: number; close: number; volume: number }): unknown {
  const update = ind.update as (x: number | BarInput) => unknown;
  if (input !== BAR) return update.call(ind, fieldOf(series, row, input));
  bar.open = series.open[row]!;
  bar.high = series.high[row]!;
  bar.low = series.low[row]!;
  bar.close = series.close[row]!;
  bar.volume = series.volume[row]!;
  return update.call(ind, bar);
}

/** One bar field of `series` at `row`, by input code (the order of {@link INPUTS}). */
function fieldOf(series: BarSeries, row: number, input: InputCode): number {
  switch (input) {
    case 0:
      return series.open[row]!;
    case 1:
      return series.high[row]!;
    case 2:
      return series.low[row]!;
    case 3:
      return series.close[row]!;
    default:
      return series.volume[row]!;
  }
}

/**
 * How values reach SessionData: a number into `column`; an object of numbers into one column
 * per output (`<column>_<output>`), known up front or taken from the first value. Anything
 * else is a bug in the indicator and fails loudly instead of writing NaN.
 */
function writerFor(column: string, outputs: readonly string[] | undefined): Writer {
  let keys = outputs;
  // Column names built once: a template string per write would be hashed anew every time.
  let names = outputs?.map((o) => `${column}_${o}`);
  return (series, row, value) => {
    if (typeof value === 'number') {
      series.setValue(column, row, value);
      return;
    }
    if (value === null || typeof value !== 'object') throw new TypeError(`indicator ${column} returned ${String(value)}; expected a number or an object of numbers`);
    if (keys === undefined || names === undefined) {
      keys = Object.keys(value);
      names = keys.map((k) => `${column}_${k}`);
    }
    const record = value as Record<string, unknown>;
    for (let k = 0; k < keys.length; k++) {
      const v = record[keys[k]!];
      if (typeof v !== 'number') throw new TypeError(`indicator ${column} returned ${keys[k]}=${String(v)}; expected a number`);
      series.setValue(names[k]!, row, v);
    }
  };
}
