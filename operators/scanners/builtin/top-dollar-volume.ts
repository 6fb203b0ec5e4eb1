import * as v from 'valibot';
import type { ScannerDefinition } from '../scanner-registry.ts';
import { wholeNumberParam } from './whole-number-param.ts';

/**
 * Pre-session: the `count` symbols of the universe with the largest average dollar volume
 * (close × volume of each daily bar) over the `sessions` sessions before today — the usual
 * liquidity filter that picks what to trade before the open. Sees only earlier sessions.
 *
 * @example
 * ```json
 * { "name": "top-dollar-volume", "params": { "count": 20 }, "universe": "store" }
 * ```
 */
export const topDollarVolume: ScannerDefinition = {
  kind: 'scanner',
  name: 'top-dollar-volume',
  description: 'the N most traded symbols by average dollar volume over the prior session(s)',
  schedule: ['pre'],
  params: {
    count: wholeNumberParam('symbols to add', 20),
    sessions: wholeNumberParam('prior sessions to average over', 1, 260),
    minPrice: { description: 'skip symbols whose last close is below this', default: 0, schema: v.pipe(v.number(), v.minValue(0, 'a price >= 0')) },
  },
  create(params) {
    const count = params.count as number;
    const sessions = params.sessions as number;
    const minPrice = params.minPrice as number;
    return {
      async scan(view) {
        // Each symbol once: a pick listed twice would be added twice (the second load fails).
        const ranked = await Promise.all(
          [...new Set(view.universe)].map(async (symbol) => {
            const days = await view.daily(symbol, sessions);
            if (days.length === 0 || days.at(-1)!.close < minPrice) return undefined;
            const dollars = days.reduce((sum, d) => sum + d.close * d.volume, 0) / days.length;
            return { symbol, score: dollars, reason: `average dollar volume ${Math.round(dollars).toLocaleString('en-US')} over ${days.length} session${days.length === 1 ? '' : 's'} to ${days.at(-1)!.date}` };
          }),
        );
        const picks = ranked.filter((p) => p !== undefined && Number.isFinite(p.score)).sort((a, b) => b!.score - a!.score);
        return { add: picks.slice(0, count) as Array<{ symbol: string; score: number; reason: string }> };
      },
    };
  },
};
