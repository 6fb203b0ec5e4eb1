import * as v from 'valibot';
import type { ScannerDefinition } from '../scanner-registry.ts';
import { wholeNumberParam } from './whole-number-param.ts';

/**
 * New high (or low) of the day at T: symbols whose latest visible bar made a high above
 * every earlier bar of today (or a low below), after at least `minBars` bars, scored by how
 * far (in percent) it went past the previous extreme.
 *
 * @example
 * ```json
 * { "name": "new-high-low", "params": { "side": "high" }, "schedule": ["every 15m"] }
 * ```
 */
export const newHighLow: ScannerDefinition = {
  kind: 'scanner',
  name: 'new-high-low',
  description: 'symbols making a new high (or low) of the day with their latest bar',
  schedule: ['every 15m'],
  params: {
    side: { description: '"high" or "low"', default: 'high', schema: v.picklist(['high', 'low'], '"high" or "low"') },
    minBars: wholeNumberParam('bars of today before a new extreme counts', 5),
    count: wholeNumberParam('symbols to return at most', 10),
  },
  create(params) {
    const high = params.side === 'high';
    const minBars = params.minBars as number;
    const count = params.count as number;
    return {
      async scan(view) {
        if (view.pre) return {};
        const today = await view.todayMany(view.universe);
        const picks = [];
        for (const [symbol, bars] of today) {
          const n = bars.length;
          if (n <= minBars) continue;
          const latest = high ? bars.high[n - 1]! : bars.low[n - 1]!;
          let previous = high ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
          for (let i = 0; i < n - 1; i++) previous = high ? Math.max(previous, bars.high[i]!) : Math.min(previous, bars.low[i]!);
          const beyond = high ? latest > previous : latest < previous;
          if (!beyond || !(previous > 0)) continue;
          const score = (100 * Math.abs(latest - previous)) / previous;
          picks.push({ symbol, score, reason: `new ${high ? 'high' : 'low'} of the day ${latest} (previous ${previous})` });
        }
        return { add: picks.sort((a, b) => b.score - a.score).slice(0, count) };
      },
    };
  },
};
