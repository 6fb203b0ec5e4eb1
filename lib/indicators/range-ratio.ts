import { StreamingIndicator } from './streaming-indicator.ts';
import { TrailingRatio } from './trailing-ratio.ts';
import type { BarInput } from './types.ts';

/**
 * Range expansion of the latest session: its `high − low` divided by the mean `high − low` of
 * the `period` sessions BEFORE it (a {@link TrailingRatio} of the range; > 1 = a wider day than
 * usual, < 1 = a narrow/inside day). Fed DAILY bars of the sessions strictly before today, the
 * value describes yesterday against the `period` days before yesterday.
 * `warmup = period + 1` daily bars.
 *
 * @example
 * ```ts
 * const expansion = new RangeRatio(10);
 * for (const day of priorDailyBars) expansion.update(day); // from the 11th session on
 * ```
 */
export class RangeRatio extends StreamingIndicator<BarInput, number> {
  private readonly ratio: TrailingRatio;

  constructor(period: number) {
    super();
    this.ratio = new TrailingRatio(period, 'RangeRatio.period');
  }

  get period(): number {
    return this.ratio.period;
  }

  get warmup(): number {
    return this.ratio.warmup;
  }

  update(bar: BarInput): number | undefined {
    this.current = this.ratio.update(bar.high - bar.low);
    return this.current;
  }

  reset(): void {
    this.ratio.reset();
    this.current = undefined;
  }
}
