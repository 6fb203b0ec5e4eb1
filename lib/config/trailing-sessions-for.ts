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
  // Per intraday interval, the most bars any requirement asks: more bars never take fewer sessions.
  const barsByInterval = new Map<number, number>();
  for (const r of requirements) {
    if (r.bars <= 0) continue;
    const interval = parseInterval(r.interval, 'history.interval');
    if (interval.sessions > 0) needed = Math.max(needed, Math.ceil(r.bars * interval.sessions));
    else barsByInterval.set(interval.ms, Math.max(barsByInterval.get(interval.ms) ?? 0, r.bars));
  }
  if (barsByInterval.size === 0 || sessions.length === 0) return needed;
  // The walk back reads the calendar's sessions from an array, fetching those before the first
  // day once: asking the calendar for every day's previous sessions parsed a date each time,
  // and a sweep plans this for every parameter set.
  const days = calendar.sessions(sessions[0]!.date, sessions[sessions.length - 1]!.date);
  const before: Session[] = [];
  let calendarBegins = false;
  /** The `k`-th session before `days[i]` (k >= 1), or undefined before the calendar's range. */
  const sessionBack = (i: number, k: number): Session | undefined => {
    if (k <= i) return days[i - k];
    while (before.length < k - i && !calendarBegins) {
      try {
        before.push(calendar.previousSession((before.length > 0 ? before[before.length - 1]! : days[0]!).date));
      } catch {
        calendarBegins = true; // the calendar's range ends: take what it has
      }
    }
    return before[k - i - 1];
  };
  for (const [ms, bars] of barsByInterval) {
    for (let i = 0; i < days.length; i++) {
      let count = 0;
      let have = 0;
      // Bounded like the config's own history (10 years): a requirement no history can meet
      // (a store that starts later) warns at availability instead of walking the calendar forever.
      while (have < bars && count < MAX_TRAILING_SESSIONS) {
        const previous = sessionBack(i, count + 1);
        if (previous === undefined) break;
        have += Math.max(1, Math.floor((previous.close - previous.open) / ms));
        count++;
      }
      needed = Math.max(needed, count);
    }
  }
  return needed;
}

/** Ten years of sessions: the longest walk back (see above). */
const MAX_TRAILING_SESSIONS = 2520;
