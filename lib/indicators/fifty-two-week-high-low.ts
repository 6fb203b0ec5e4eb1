import { RollingExtremes } from './rolling-extremes.ts';

/**
 * The 52-week high and low: {@link RollingExtremes} over `'52w'` — the highest high and lowest
 * low of the daily bars dated within the 364 calendar days ending at the latest bar. Bars
 * need a `date` (`YYYY-MM-DD`). Feed the sessions strictly before today for a level that
 * today's prices can break. `warmup = 1` (see `RollingExtremes` for short histories).
 *
 * @example
 * ```ts
 * const range = new FiftyTwoWeekHighLow();
 * for (const day of priorDailyBars) range.update(day); // { high, low }
 * ```
 */
export class FiftyTwoWeekHighLow extends RollingExtremes {
  constructor() {
    super('52w', 'FiftyTwoWeekHighLow');
  }
}
