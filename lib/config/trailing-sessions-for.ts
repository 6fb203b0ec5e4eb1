import { parseInterval } from '../calendar/interval.ts';
import type { Session, TradingCalendar } from '../calendar/types.ts';
import type { HistoryRequirement } from './plan-run.ts';

/**
 * Trailing sessions that give every requirement its bars on every backtest day: for each day
 * the sessions before it are counted back until they hold the bars (a 13:00 close holds 14
 * fifteen-minute bars, a full day 26), and the run takes the most any day needs. Counting the
 * real sessions instead of assuming the year's shortest loads no more history than the
 * warm-ups need (a 20-day run without an early close before it loads one session for EMA(21)
 * on 15m, not two). Daily requirements (`1d`, `5d`) count whole sessions.
 *
 * @example
 * ```ts
 * trailingSessionsFor([{ interval: '1m', bars: 30, for: 'sma_30' }], calendar, sessions); // 1
 * ```
 */
export function trailingSessionsFor(requirements: readonly HistoryRequirement[], calendar: TradingCalendar, sessions: readonly Session[]): number {
  let needed = 0;
  for (const r of requirements) {
    if (r.bars <= 0) continue;
    const interval = parseInterval(r.interval, 'history.interval');
    if (interval.sessions > 0) {
      needed = Math.max(needed, Math.ceil(r.bars * interval.sessions));
      continue;
    }
    for (const day of sessions) {
      let count = 0;
      let bars = 0;
      let cursor = day.date;
      // Bounded like the config's own history (10 years): a requirement no history can meet
      // (a store that starts later) warns at availability instead of walking the calendar forever.
      while (bars < r.bars && count < 2520) {
        let previous: Session;
        try {
          previous = calendar.previousSession(cursor);
        } catch {
          break; // the calendar's range ends: take what it has
        }
        bars += Math.max(1, Math.floor((previous.close - previous.open) / interval.ms));
        count++;
        cursor = previous.date;
      }
      needed = Math.max(needed, count);
    }
  }
  return needed;
}
