import { ConfigError } from '../../lib/errors.ts';
import type { BarInput, Indicator } from '../../lib/indicators/types.ts';
import type { SessionData, SymbolData } from '../../lib/session/session-data.ts';
import type { SlicePipeline } from '../../lib/session/time-slice.ts';
import { sliceOperator } from '../internal/slice-operator.ts';

const COLUMN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Options of {@link sessionIndicator}. */
export interface SessionIndicatorOptions {
  /** Key in `SymbolData.sessionValues`; multi-output indicators write `<as>_<output>`. */
  readonly as: string;
  /** Output names of a multi-output indicator, so every key exists even before it is ready. */
  readonly outputs?: readonly string[];
  /** Daily-bar field fed to a price indicator, or `'bar'` for the whole daily bar (default). */
  readonly input?: 'open' | 'high' | 'low' | 'close' | 'volume' | 'bar';
}

/**
 * A session-level indicator: computed once per session per symbol from the daily (`1d`)
 * bars of the trailing history — sessions strictly before today, never today's — and stored
 * in `SymbolData.sessionValues` before the first bar of the session reaches the next stage.
 * Symbols that join mid-session get theirs when they join. Values the history is too short
 * for are `NaN`, so a strategy can tell "not enough history" from a real value.
 *
 * Each daily bar also carries its trading `date` (for calendar-time windows such as 52 weeks).
 *
 * Needs `1d` in the history (`history: [{trailingSessions: N, intervals: ['1d']}]`, or the
 * warm-up requirement the config pipeline passes to the plan).
 *
 * @example
 * ```ts
 * sessionIndicator(() => new AverageVolume(20), { as: 'avg_volume_20' })
 * // in a strategy: slice.data.get('SPY')!.sessionValues.get('avg_volume_20')
 * ```
 */
export function sessionIndicator(factory: () => Indicator<never, unknown>, options: SessionIndicatorOptions): SlicePipeline {
  if (typeof options.as !== 'string' || !COLUMN.test(options.as)) throw ConfigError.at('sessionIndicator.as', options.as, 'a name (letters, digits, _)');
  const input = options.input ?? 'bar';
  const keys = options.outputs ? options.outputs.map((o) => `${options.as}_${o}`) : [options.as];
  return sliceOperator(() => {
    const done = new Set<SymbolData>();
    let seen = 0;
    return (slice, subscriber) => {
      // Symbols only ever join, so a changed count is the cheap test for newcomers (symbolCount
      // builds no array: this runs on every slice).
      if (slice.data.symbolCount !== seen) {
        seen = slice.data.symbolCount;
        for (const entry of slice.data.entries()) {
          if (done.has(entry)) continue;
          done.add(entry);
          computeFor(entry, slice.data, factory, input, options.as, keys);
        }
      }
      subscriber.next(slice);
    };
  });
}

function computeFor(entry: SymbolData, data: SessionData, factory: () => Indicator<never, unknown>, input: SessionIndicatorOptions['input'] & string, as: string, keys: readonly string[]): void {
  const daily = entry.history.get('1d');
  if (!daily) throw new ConfigError(`session indicator ${as} needs daily bars: add "1d" to history intervals (history has ${[...entry.history.keys()].join(', ') || 'nothing'}) for ${entry.symbol} on ${data.session.date}`, [{ path: 'history', message: `"1d" among the intervals for ${as}` }]);
  const ind = factory();
  const update = ind.update as (x: number | BarInput) => unknown;
  // Daily indicators measured in calendar time (52-week high/low) also get the bar's date.
  const bar = { open: 0, high: 0, low: 0, close: 0, volume: 0, date: '' };
  const starts = entry.historySessionStarts.get('1d') ?? [];
  const dates = entry.historySessionDates.get('1d') ?? [];
  let session = -1;
  let value: unknown;
  for (let i = 0; i < daily.length; i++) {
    while (session + 1 < starts.length && starts[session + 1]! <= i) session++;
    bar.date = dates[session] ?? '';
    // History holds sessions strictly before today (DESIGN look-ahead rules); assert it anyway.
    if (daily.start[i]! >= data.session.open) throw new Error(`look-ahead: ${entry.symbol} daily history bar at ${new Date(daily.start[i]!).toISOString()} is not before the session open`);
    if (input === 'bar') {
      bar.open = daily.open[i]!;
      bar.high = daily.high[i]!;
      bar.low = daily.low[i]!;
      bar.close = daily.close[i]!;
      bar.volume = daily.volume[i]!;
      value = update.call(ind, bar);
    } else value = update.call(ind, daily[input][i]!);
  }
  for (const key of keys) entry.sessionValues.set(key, Number.NaN);
  if (value === undefined) return;
  if (typeof value === 'number') entry.sessionValues.set(as, value);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) entry.sessionValues.set(`${as}_${k}`, Number(v));
}
