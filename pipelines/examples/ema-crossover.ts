import { pipe } from 'rxjs';
import { ConfigError } from '../../lib/errors.ts';
import type { SlicePipeline } from '../../lib/session/time-slice.ts';
import { ema } from '../../operators/indicators/ema.ts';
import { strategy, type SignalIntent } from '../../operators/strategies/strategy.ts';

/** Parameters of {@link emaCrossover}. */
export interface EmaCrossoverParams {
  readonly fast?: number;
  readonly slow?: number;
  readonly interval?: string;
}

/**
 * Example strategy: buy when the fast EMA crosses above the slow EMA on a closed bar of
 * `interval`, sell when it crosses below. A composition of public operators — two `ema`
 * indicators (warmed on history) and the `strategy` hook reading them back from
 * SessionData — with no state of its own: the previous bar's EMAs are in the series.
 *
 * @example
 * ```ts
 * pipeline: () => pipe(deriveBars(['5m']), emaCrossover({ fast: 9, slow: 21, interval: '5m' }))
 * ```
 */
export function emaCrossover(params: EmaCrossoverParams = {}): SlicePipeline {
  const fast = params.fast ?? 9;
  const slow = params.slow ?? 21;
  const interval = params.interval ?? '5m';
  if (!(fast < slow)) throw ConfigError.at('strategies.params.fast', fast, `a period smaller than slow (${slow})`);
  const fastCol = `ema_${fast}`;
  const slowCol = `ema_${slow}`;
  return pipe(
    ema(fast, { interval, as: fastCol }),
    ema(slow, { interval, as: slowCol }),
    strategy({
      name: 'ema-crossover',
      onSlice(slice) {
        const closed = slice.closed.get(interval);
        if (!closed) return;
        const out: SignalIntent[] = [];
        for (let k = 0; k < closed.count; k++) {
          const series = closed.series(k);
          const row = closed.row(k);
          const now = series.value(fastCol, row) - series.value(slowCol, row);
          // At the first bar of the day the previous bar is the history's last one.
          const prev = row > 0 ? series : slice.data.get(series.symbol)?.history.get(interval);
          const prevRow = row > 0 ? row - 1 : (prev?.length ?? 0) - 1;
          if (!prev || prevRow < 0) continue;
          const before = prev.value(fastCol, prevRow) - prev.value(slowCol, prevRow);
          if (Number.isNaN(now) || Number.isNaN(before)) continue;
          if (before <= 0 && now > 0) out.push({ symbol: series.symbol, side: 'buy', price: closed.close(k), reason: `${fastCol} crossed above ${slowCol}` });
          else if (before >= 0 && now < 0) out.push({ symbol: series.symbol, side: 'sell', price: closed.close(k), reason: `${fastCol} crossed below ${slowCol}` });
        }
        return out;
      },
    }),
  );
}
