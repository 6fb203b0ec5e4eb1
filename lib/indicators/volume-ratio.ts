import { StreamingIndicator } from './streaming-indicator.ts';
import { TrailingRatio } from './trailing-ratio.ts';
import type { BarInput } from './types.ts';

/**
 * Relative volume: the bar's volume divided by the mean volume of the `period` bars BEFORE it
 * (a {@link TrailingRatio} of volume). The current bar is excluded from its own reference, so
 * a volume spike reads as e.g. 5× rather than being damped by itself; 1 = an average bar.
 * `warmup = period + 1`. A reference mean of 0 gives `Infinity` (or `NaN` for a zero-volume
 * bar).
 *
 * @example
 * ```ts
 * const rvol = new VolumeRatio(20);
 * for (const bar of bars) rvol.update(bar); // volume / mean of the previous 20, from bar 21 on
 * ```
 */
export class VolumeRatio extends StreamingIndicator<BarInput, number> {
  private readonly ratio: TrailingRatio;

  constructor(period: number) {
    super();
    this.ratio = new TrailingRatio(period, 'VolumeRatio.period');
  }

  get period(): number {
    return this.ratio.period;
  }

  get warmup(): number {
    return this.ratio.warmup;
  }

  update(bar: BarInput): number | undefined {
    this.current = this.ratio.update(bar.volume);
    return this.current;
  }

  reset(): void {
    this.ratio.reset();
    this.current = undefined;
  }
}
