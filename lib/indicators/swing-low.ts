import { StreamingIndicator } from './streaming-indicator.ts';
import { SwingDetector, type SwingOptions } from './swing-detector.ts';
import type { BarInput } from './types.ts';

/**
 * Latest confirmed swing low (fractal / pivot low): a bar whose low is strictly below the
 * lows of the `left` bars before it and not undercut by the `right` bars after it. The value
 * is that low, held until the next swing low is confirmed; `NaN` until the first one.
 *
 * LOOK-AHEAD: a swing low is only known `right` bars AFTER the bar that made it. The value at
 * bar `t` therefore describes a bar at or before `t − right`; back-dating it to the pivot bar
 * (drawing it there, or trading at that bar) uses `right` bars of future data.
 * `warmup = left + right + 1`. O(1) amortised per bar (see {@link SwingDetector}).
 *
 * @example
 * ```ts
 * const swing = new SwingLow({ left: 2, right: 2 });
 * for (const bar of bars) swing.update(bar); // from bar 5 on: the last low confirmed 2 bars after it
 * ```
 */
export class SwingLow extends StreamingIndicator<BarInput, number> {
  private readonly detector: SwingDetector;

  constructor(options: SwingOptions) {
    super();
    this.detector = new SwingDetector(options, 'min', 'SwingLow');
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
    this.current = this.detector.update(bar.low);
    return this.current;
  }

  reset(): void {
    this.detector.reset();
    this.current = undefined;
  }
}
