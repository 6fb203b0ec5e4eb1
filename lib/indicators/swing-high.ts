import { StreamingIndicator } from './streaming-indicator.ts';
import { SwingDetector, type SwingOptions } from './swing-detector.ts';
import type { BarInput } from './types.ts';

/**
 * Latest confirmed swing high (fractal / pivot high): a bar whose high is strictly above the
 * highs of the `left` bars before it and not exceeded by the `right` bars after it. The value
 * is that high, held until the next swing high is confirmed; `NaN` until the first one.
 *
 * LOOK-AHEAD: a swing high is only known `right` bars AFTER the bar that made it. The value at
 * bar `t` therefore describes a bar at or before `t − right`; back-dating it to the pivot bar
 * (drawing it there, or trading at that bar) uses `right` bars of future data.
 * `warmup = left + right + 1`. O(1) amortised per bar (see {@link SwingDetector}).
 *
 * @example
 * ```ts
 * const swing = new SwingHigh({ left: 2, right: 2 });
 * for (const bar of bars) swing.update(bar); // from bar 5 on: the last high confirmed 2 bars after it
 * ```
 */
export class SwingHigh extends StreamingIndicator<BarInput, number> {
  private readonly detector: SwingDetector;

  constructor(options: SwingOptions) {
    super();
    this.detector = new SwingDetector(options, 'max', 'SwingHigh');
  }

  get left(): number {
    return this.detector.left;
  }

  get right(): number {
    return this.detector.right;
  }

  get warmup(): number {
    return this.detector.warmup;
  }

  update(bar: BarInput): number | undefined {
    this.current = this.detector.update(bar.high);
    return this.current;
  }

  reset(): void {
    this.detector.reset();
    this.current = undefined;
  }
}
