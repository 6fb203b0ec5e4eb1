import * as v from 'valibot';
import { ConfigError } from '../../lib/errors.ts';
import { defineStrategy } from '../../operators/strategies/define-strategy.ts';

/** Parameters of {@link dailySmaCrossover} (validated, defaults filled in). */
export interface DailySmaCrossoverParams extends Record<string, unknown> {
  readonly fast: number;
  readonly slow: number;
  readonly allocation: number;
  readonly short: boolean;
}

const PERIOD = v.pipe(v.number(), v.integer('a whole number'), v.minValue(1, 'a period >= 1'));

/**
 * Example strategy on daily bars (`"streams": ["1d"]`): when the fast SMA of the closes
 * crosses above the slow one at a session's close, target `allocation` of equity (a market
 * order, filled at the next session's open); on the cross below go flat (or short). The
 * classic SMA(10)/SMA(20) crossover of backtesting.py's tutorial, on the same engine as the
 * intraday strategies. Both SMAs are warmed on daily history, so the first session trades.
 *
 * @example
 * ```json
 * "streams": ["1d"],
 * "strategies": [{ "name": "daily-sma-crossover", "params": { "fast": 10, "slow": 20 } }]
 * ```
 */
export const dailySmaCrossover = defineStrategy<DailySmaCrossoverParams>({
  name: 'daily-sma-crossover',
  description: 'on daily bars: target a fraction of equity when the fast SMA crosses above the slow SMA at the close (filled at the next open), flat (or short) on the opposite cross',
  params: {
    fast: { description: 'fast SMA period (sessions)', default: 10, schema: PERIOD },
    slow: { description: 'slow SMA period (sessions, > fast)', default: 20, schema: PERIOD },
    allocation: { description: 'fraction of equity when long', default: 1, schema: v.pipe(v.number(), v.gtValue(0, 'a fraction > 0'), v.maxValue(1, 'a fraction <= 1')) },
    short: { description: 'go short on a cross below instead of flat', default: false, schema: v.boolean() },
  },
  interval: '1d',
  // Warmed on daily history, so the first session trades.
  indicators: (p) => {
    if (!(p.fast < p.slow)) throw ConfigError.at('params.fast', p.fast, `a period smaller than slow (${p.slow})`);
    return [
      { name: 'sma', period: p.fast, as: `sma_${p.fast}` },
      { name: 'sma', period: p.slow, as: `sma_${p.slow}` },
    ];
  },
  onBar(ctx, bar) {
    const { fast, slow, allocation, short } = ctx.params;
    const cross = ctx.cross(bar.symbol, `sma_${fast}`, `sma_${slow}`);
    if (cross > 0) ctx.target(bar.symbol, { percent: allocation });
    else if (cross < 0) ctx.target(bar.symbol, { percent: short ? -allocation : 0 });
  },
});
