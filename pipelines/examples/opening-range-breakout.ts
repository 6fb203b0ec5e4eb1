import * as v from 'valibot';
import { defineStrategy } from '../../operators/strategies/define-strategy.ts';

/** Parameters of {@link openingRangeBreakout} (validated, defaults filled in). */
export interface OpeningRangeBreakoutParams extends Record<string, unknown> {
  readonly minutes: number;
  readonly rewardRisk: number;
  readonly allocation: number;
  readonly short: boolean;
}

/** Per symbol and day: the opening range, and whether it traded. */
interface RangeState {
  high: number;
  low: number;
  traded: boolean;
}

/**
 * Example strategy: the opening-range breakout. The first `minutes` of the session set a
 * range per symbol; the first base bar that closes above it buys `allocation` of equity with
 * a bracket — stop-loss at the range's low, take-profit `rewardRisk` times the risk above
 * the entry — and (with `short`) the first close below it sells short the mirror image. One
 * trade per symbol and day; whatever is open 5 minutes before the close is flattened (and
 * the broker's `risk.flattenAtClose` in its config closes anything left at the close).
 *
 * @example
 * ```json
 * "strategies": [{ "name": "opening-range-breakout", "params": { "minutes": 30, "rewardRisk": 2 } }]
 * ```
 */
export const openingRangeBreakout = defineStrategy<OpeningRangeBreakoutParams, Map<string, RangeState>>({
  name: 'opening-range-breakout',
  description: 'trade the first close outside the opening range with a bracket (stop at the other side, take-profit at rewardRisk × risk), flat before the close',
  params: {
    minutes: { description: 'length of the opening range in minutes', default: 30, schema: v.pipe(v.number(), v.integer('a whole number of minutes'), v.minValue(1, 'at least 1 minute'), v.maxValue(240, 'at most 240 minutes')) },
    rewardRisk: { description: 'take-profit distance as a multiple of the risk (entry to stop)', default: 2, schema: v.pipe(v.number(), v.gtValue(0, 'a multiple > 0')) },
    allocation: { description: 'fraction of equity per trade', default: 0.1, schema: v.pipe(v.number(), v.gtValue(0, 'a fraction > 0'), v.maxValue(1, 'a fraction <= 1')) },
    short: { description: 'also trade breakdowns below the range (short)', default: false, schema: v.boolean() },
  },
  setup: () => new Map<string, RangeState>(),
  onBar(ctx, bar) {
    const { minutes, rewardRisk, allocation, short } = ctx.params;
    const rangeEnd = ctx.session.open + minutes * 60_000;
    let range = ctx.state.get(bar.symbol);
    if (!range) ctx.state.set(bar.symbol, (range = { high: Number.NEGATIVE_INFINITY, low: Number.POSITIVE_INFINITY, traded: false }));
    if (bar.end <= rangeEnd) {
      range.high = Math.max(range.high, bar.high);
      range.low = Math.min(range.low, bar.low);
      return;
    }
    // Flat 5 minutes before the close: no position is held into the closing auction.
    if (bar.end >= ctx.session.close - 5 * 60_000) {
      if (ctx.position(bar.symbol).quantity !== 0 || ctx.openOrders(bar.symbol).length > 0) ctx.flatten(bar.symbol);
      return;
    }
    if (range.traded || !Number.isFinite(range.high)) return;
    const risk = range.high - range.low;
    if (risk <= 0) return;
    if (bar.close > range.high) {
      range.traded = true;
      ctx.buy(bar.symbol, { equityFraction: allocation }, { bracket: { stopLoss: range.low, takeProfit: bar.close + rewardRisk * (bar.close - range.low) } });
    } else if (short && bar.close < range.low) {
      range.traded = true;
      ctx.sell(bar.symbol, { equityFraction: allocation }, { bracket: { stopLoss: range.high, takeProfit: bar.close - rewardRisk * (range.high - bar.close) } });
    }
  },
});
