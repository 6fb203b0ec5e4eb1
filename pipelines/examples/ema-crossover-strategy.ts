import * as v from 'valibot';
import { ConfigError } from '../../lib/errors.ts';
import { defineStrategy } from '../../operators/strategies/define-strategy.ts';

/** Parameters of {@link emaCrossoverStrategy} (validated, defaults filled in). */
export interface EmaCrossoverStrategyParams extends Record<string, unknown> {
  readonly fast: number;
  readonly slow: number;
  readonly interval: string;
  readonly allocation: number;
  readonly short: boolean;
}

const PERIOD = v.pipe(v.number(), v.integer('a whole number'), v.minValue(1, 'a period >= 1'));

/**
 * Example strategy that trades: on a closed bar of `interval`, when the fast EMA crosses
 * above the slow one it targets `allocation` of equity in the symbol (market order, sized at
 * the fill price); on the cross below it goes flat (or short the same fraction with
 * `short`). Each cross is also recorded as a signal. The two EMAs are warmed on history, so
 * the first bar of a day compares against yesterday's values.
 *
 * @example
 * ```json
 * "strategies": [{ "name": "ema-crossover", "params": { "fast": 9, "slow": 21, "interval": "5m", "allocation": 0.2 } }]
 * ```
 */
export const emaCrossoverStrategy = defineStrategy<EmaCrossoverStrategyParams>({
  name: 'ema-crossover',
  description: 'buy (target a fraction of equity) when the fast EMA crosses above the slow EMA on a closed bar, go flat (or short) on the opposite cross',
  params: {
    fast: { description: 'fast EMA period', default: 9, schema: PERIOD },
    slow: { description: 'slow EMA period (> fast)', default: 21, schema: PERIOD },
    interval: { description: 'bars the EMAs and crosses are computed on', default: '5m', schema: v.pipe(v.string(), v.regex(/^[1-9][0-9]*[smh]$/, 'an interval such as "5m"')) },
    allocation: { description: 'fraction of equity per position', default: 0.1, schema: v.pipe(v.number(), v.gtValue(0, 'a fraction > 0'), v.maxValue(1, 'a fraction <= 1')) },
    short: { description: 'go short on a cross below instead of flat', default: false, schema: v.boolean() },
  },
  // Computed on `interval` and warmed on its history, so the first bar of a day compares against yesterday's values.
  indicators: (p) => {
    if (!(p.fast < p.slow)) throw ConfigError.at('params.fast', p.fast, `a period smaller than slow (${p.slow})`);
    return [
      { name: 'ema', period: p.fast, as: `ema_${p.fast}` },
      { name: 'ema', period: p.slow, as: `ema_${p.slow}` },
    ];
  },
  onBar(ctx, bar) {
    const { fast, slow, allocation, short } = ctx.params;
    const cross = ctx.cross(bar.symbol, `ema_${fast}`, `ema_${slow}`);
    if (cross > 0) {
      ctx.signal(bar.symbol, 'buy', `ema_${fast} crossed above ema_${slow}`, bar.close);
      ctx.target(bar.symbol, { percent: allocation });
    } else if (cross < 0) {
      ctx.signal(bar.symbol, 'sell', `ema_${fast} crossed below ema_${slow}`, bar.close);
      ctx.target(bar.symbol, { percent: short ? -allocation : 0 });
    }
  },
});
