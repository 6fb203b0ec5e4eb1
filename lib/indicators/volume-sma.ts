import { ConfigError } from '../errors.ts';
import { SMA } from './sma.ts';
import { StreamingIndicator } from './streaming-indicator.ts';
import type { BarInput } from './types.ts';

/**
 * Simple moving average of the bars' volume over the last `period` bars, including the
 * current one ({@link SMA} of `bar.volume`, re-summed so it never drifts). `warmup = period`.
 *
 * @example
 * ```ts
 * const volumeSma = new VolumeSMA(20);
 * for (const bar of bars) volumeSma.update(bar); // mean volume from bar 20 on
 * ```
 */
export class VolumeSMA extends StreamingIndicator<BarInput, number> {
  readonly period: number;
  private readonly average: SMA;

  /** `field` names the parameter in error messages (subclasses pass their own). */
  constructor(period: number, field = 'VolumeSMA.period') {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at(field, period, 'a whole number >= 1');
    this.period = period;
    this.average = new SMA(period);
  }

  get warmup(): number {
    return this.period;
  }

  update(bar: BarInput): number | undefined {
    this.current = this.average.update(bar.volume);
    return this.current;
  }

  reset(): void {
    this.average.reset();
    this.current = undefined;
  }
}
