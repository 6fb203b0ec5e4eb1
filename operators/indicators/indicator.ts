import { Observable } from 'rxjs';
import { parseInterval } from '../../lib/calendar/interval.ts';
import { ConfigError } from '../../lib/errors.ts';
import type { BarSeries } from '../../lib/session/bar-series.ts';
import type { SlicePipeline, TimeSlice } from '../../lib/session/time-slice.ts';
import type { Indicator } from '../../lib/indicators/types.ts';

/** Which bar field feeds a price indicator. */
export type PriceInput = 'open' | 'high' | 'low' | 'close' | 'volume';

/** Options of {@link indicator}. */
export interface IndicatorOptions {
  /** Interval whose closed bars update the indicator, e.g. `'5m'`. */
  readonly interval: string;
  /** Column name in SessionData, e.g. `'ema_9'`. */
  readonly as: string;
  /** Bar field fed to the indicator (default `'close'`). */
  readonly input?: PriceInput;
}

/**
 * The indicator operator contract: on each closed bar of `interval`, for each symbol,
 * update that symbol's own indicator instance (made by `factory`, so state is never
 * shared) and write the value into the SessionData column `as`, aligned with the bar.
 * Each instance is first warmed on the symbol's trailing history at that interval
 * (sessions strictly before today), so the value at the first bar of the day equals a
 * continuous run over history + today. Symbols joining mid-session are warmed the same way.
 *
 * @example
 * ```ts
 * indicator(() => new EMA(9), { interval: '5m', as: 'ema_9' })
 * ```
 */
export function indicator(factory: () => Indicator, options: IndicatorOptions): SlicePipeline {
  const interval = parseInterval(options.interval, 'indicator.interval').name;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.as)) throw ConfigError.at('indicator.as', options.as, 'a column name (letters, digits, _)');
  const input = options.input ?? 'close';
  if (!['open', 'high', 'low', 'close', 'volume'].includes(input)) throw ConfigError.at('indicator.input', input, 'one of "open", "high", "low", "close", "volume"');
  const column = options.as;
  return (source) =>
    new Observable<TimeSlice>((subscriber) => {
      const instances = new Map<BarSeries, Indicator>();
      let checked = false;
      return source.subscribe({
        next: (slice) => {
          try {
            if (!checked) {
              checked = true;
              // An interval that is not a stream would silently never update: refuse it.
              if (!slice.data.intervals.some((i) => i.name === interval)) throw ConfigError.at(`indicator(${column}).interval`, interval, `one of the session's streams (${slice.data.intervals.map((i) => i.name).join(', ')})`);
            }
            const closed = slice.closed.get(interval);
            if (closed) {
              for (let k = 0; k < closed.rows.length; k++) {
                const series = closed.series[k]!;
                let ind = instances.get(series);
                if (ind === undefined) {
                  ind = factory();
                  const history = slice.data.get(series.symbol)?.history.get(interval);
                  if (history) {
                    // The warm-up values are kept in the history's own column, so a stage can
                    // compare today's first bar with yesterday's last (e.g. a crossover at the open).
                    const values = history[input];
                    for (let i = 0; i < history.length; i++) {
                      const v = ind.update(values[i]!);
                      if (v !== undefined) history.setValue(column, i, v);
                    }
                  }
                  instances.set(series, ind);
                  series.column(column);
                }
                const row = closed.rows[k]!;
                const value = ind.update(series[input][row]!);
                if (value !== undefined) series.setValue(column, row, value);
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
