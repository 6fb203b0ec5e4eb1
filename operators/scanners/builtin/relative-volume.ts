import * as v from 'valibot';
import type { ScanBars } from '../../../lib/session/scan-view.ts';
import type { ScannerDefinition } from '../scanner-registry.ts';
import { wholeNumberParam } from './whole-number-param.ts';

/**
 * Relative volume at T: today's volume from the open to T divided by the average volume of
 * the same part of each of the `sessions` sessions before (from their open to the same time
 * after it), so a busy morning is compared with other mornings, not with whole days.
 *
 * @example
 * ```json
 * { "name": "relative-volume", "params": { "sessions": 10, "minRatio": 2 }, "schedule": ["every 30m"] }
 * ```
 */
export const relativeVolume: ScannerDefinition = {
  kind: 'scanner',
  name: 'relative-volume',
  description: 'volume so far today versus its average at the same time of day over N prior sessions',
  schedule: ['every 30m'],
  params: {
    sessions: wholeNumberParam('prior sessions to average over', 10, 60),
    minRatio: { description: 'smallest ratio to pick', default: 2, schema: v.pipe(v.number(), v.minValue(0, 'a ratio >= 0')) },
    count: wholeNumberParam('symbols to return at most', 10),
  },
  create(params) {
    const sessions = params.sessions as number;
    const minRatio = params.minRatio as number;
    const count = params.count as number;
    return {
      async scan(view) {
        if (view.pre) return {};
        const elapsed = view.asOf - view.session.open;
        const today = await view.todayMany(view.universe);
        const picks = await Promise.all(
          [...today].map(async ([symbol, bars]) => {
            const now = volumeUntil(bars, view.session.open + elapsed);
            if (now <= 0) return undefined;
            const past = (await view.previousSessions(symbol, sessions)).filter((p) => p.bars.length > 0);
            if (past.length === 0) return undefined;
            const average = past.reduce((sum, p) => sum + volumeUntil(p.bars, p.session.open + elapsed), 0) / past.length;
            if (!(average > 0)) return undefined;
            const ratio = now / average;
            return ratio >= minRatio ? { symbol, score: ratio, reason: `relative volume ${ratio.toFixed(2)}× (${now} vs ${Math.round(average)} on average over ${past.length} sessions)` } : undefined;
          }),
        );
        return { add: picks.filter((p) => p !== undefined).sort((a, b) => b.score - a.score).slice(0, count) };
      },
    };
  },
};

/** Volume of the bars that ended by `until`. */
function volumeUntil(bars: ScanBars, until: number): number {
  let sum = 0;
  for (let i = 0; i < bars.length && bars.end[i]! <= until; i++) sum += bars.volume[i]!;
  return sum;
}
