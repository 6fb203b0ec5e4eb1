import type { SwingOptions } from './swing-detector.ts';
import { SwingLevel } from './swing-level.ts';
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
export class SwingHigh extends SwingLevel {
  constructor(options: SwingOptions) {
    super(options, 'max', 'SwingHigh');
  }

  protected field(bar: BarInput): number {
    return bar.high;
  }
}
