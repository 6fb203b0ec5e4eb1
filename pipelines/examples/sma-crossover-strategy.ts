import * as v from 'valibot';
import { ConfigError } from '../../lib/errors.ts';
import { defineStrategy } from '../../operators/strategies/define-strategy.ts';

/** Parameters of {@link smaCrossoverStrategy} (validated, defaults filled in). */
export interface SmaCrossoverParams extends Record<string, unknown> {
  readonly fast: number;
  readonly slow: number;
  readonly interval: string;
  readonly shares: number;
}

const PERIOD = v.pipe(v.number(), v.integer('a whole number'), v.minValue(1, 'a period >= 1'));

/**
 * Example strategy, the classic to sweep: on each closed bar of `interval`, when SMA(fast)
 * crosses above SMA(slow) it targets `shares` (a market order, filled at the next bar's
 * open); on the cross below it goes flat. Both SMAs are warmed on history, so the day's first
 * bar compares against yesterday's values. The column names are made once a day (setup),
 * not per bar: a sweep runs this for every parameter set at every bar.
 *
 * @example
 * ```sh
 * sessionflow sweep s.json --grid 'strategies[0].params.fast=5..30:5' --grid 'strategies[0].params.slow=[50,100,200]'
 * ```
 */
export const smaCrossoverStrategy = defineStrategy<SmaCrossoverParams, { fast: string; slow: string }>({
  name: 'sma-crossover',
  description: 'target `shares` when SMA(fast) crosses above SMA(slow) on a closed bar of `interval`, flat on the cross below',
  params: {
    fast: { description: 'fast SMA period', default: 10, schema: PERIOD },
    slow: { description: 'slow SMA period (> fast)', default: 30, schema: PERIOD },
    interval: { description: 'bars the SMAs and crosses are computed on', default: '1m', schema: v.pipe(v.string(), v.regex(/^[1-9][0-9]*[smh]$/, 'an interval such as "1m"')) },
    shares: { description: 'position size when long', default: 100, schema: v.pipe(v.number(), v.integer('a whole number'), v.minValue(1, 'at least 1 share')) },
  },
  indicators: (p) => {
    if (!(p.fast < p.slow)) throw ConfigError.at('params.fast', p.fast, `a period smaller than slow (${p.slow})`);
    return [
      { name: 'sma', period: p.fast, as: `sma_${p.fast}` },
      { name: 'sma', period: p.slow, as: `sma_${p.slow}` },
    ];
  },
  setup: (ctx) => ({ fast: `sma_${ctx.params.fast}`, slow: `sma_${ctx.params.slow}` }),
  onBar(ctx, bar) {
    const cross = ctx.cross(bar.symbol, ctx.state.fast, ctx.state.slow);
    if (cross > 0) ctx.target(bar.symbol, { quantity: ctx.params.shares });
    else if (cross < 0) ctx.target(bar.symbol, { quantity: 0 });
  },
});
