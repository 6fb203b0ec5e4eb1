import { ATR } from './atr.ts';

/**
 * {@link ATR} over DAILY bars, one bar per session: the session-level volatility a strategy
 * sizes stops with. Feed it the daily bars of the sessions strictly before today (the session
 * loader does so in Phase 2) so today's value never includes today's own range. Same
 * arithmetic and warm-up as `ATR` (`warmup = period + 1` daily bars); the separate name only
 * keeps configs and column names self-explanatory.
 *
 * @example
 * ```ts
 * const dailyAtr = new DailyATR(14);
 * for (const day of priorDailyBars) dailyAtr.update(day); // value after 15 sessions
 * ```
 */
export class DailyATR extends ATR {
  constructor(period: number) {
    super(period, 'DailyATR.period');
  }
}
