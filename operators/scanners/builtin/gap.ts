import * as v from 'valibot';
import type { ScannerDefinition } from '../scanner-registry.ts';
import { wholeNumberParam } from './whole-number-param.ts';

/**
 * Gappers: symbols whose first bar of the session opened at least `minPercent` away from the
 * previous session's close (up, down or either). Runs when the first bar is visible (default
 * `open+1m` for a 1m base; use the base interval of your store), scored by the gap's size.
 *
 * @example
 * ```json
 * { "name": "gap", "params": { "minPercent": 3, "direction": "up" }, "schedule": ["open+1m"] }
 * ```
 */
export const gapScanner: ScannerDefinition = {
  kind: 'scanner',
  name: 'gap',
  description: 'symbols whose first bar opened at least minPercent away from the prior close',
  schedule: ['open+1m'],
  params: {
    minPercent: { description: 'smallest gap, in percent of the prior close', default: 2, schema: v.pipe(v.number(), v.minValue(0, 'a percentage >= 0')) },
    direction: { description: '"up", "down" or "both"', default: 'both', schema: v.picklist(['up', 'down', 'both'], '"up", "down" or "both"') },
    count: wholeNumberParam('symbols to return at most', 10),
  },
  create(params) {
    const minPercent = params.minPercent as number;
    const direction = params.direction as 'up' | 'down' | 'both';
    const count = params.count as number;
    return {
      async scan(view) {
        const today = await view.todayMany(view.universe);
        const picks = await Promise.all(
          [...today].map(async ([symbol, bars]) => {
            // The session's first bar, only once it is visible (it starts at the open).
            if (bars.length === 0 || bars.start[0]! !== view.session.open) return undefined;
            const [prior] = await view.daily(symbol, 1);
            if (!prior || !(prior.close > 0)) return undefined;
            const gap = (100 * (bars.open[0]! - prior.close)) / prior.close;
            const wanted = direction === 'both' ? Math.abs(gap) >= minPercent : direction === 'up' ? gap >= minPercent : -gap >= minPercent;
            return wanted ? { symbol, score: Math.abs(gap), reason: `gap ${gap >= 0 ? '+' : ''}${gap.toFixed(2)}% from ${prior.date} close ${prior.close}` } : undefined;
          }),
        );
        return { add: picks.filter((p) => p !== undefined).sort((a, b) => b.score - a.score).slice(0, count) };
      },
    };
  },
};
