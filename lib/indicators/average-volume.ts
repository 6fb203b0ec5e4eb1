import { VolumeSMA } from './volume-sma.ts';

/**
 * Session-level average daily volume: the mean volume of the last `period` DAILY bars
 * ({@link VolumeSMA} fed one daily bar per session). Feed it the daily bars of the sessions
 * strictly before today, so today's partial volume never enters its own reference.
 * `warmup = period` sessions.
 *
 * @example
 * ```ts
 * const adv = new AverageVolume(20);
 * for (const day of priorDailyBars) adv.update(day); // 20-session average daily volume
 * ```
 */
export class AverageVolume extends VolumeSMA {
  constructor(period: number) {
    super(period, 'AverageVolume.period');
  }
}
