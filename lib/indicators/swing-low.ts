import type { SwingOptions } from './swing-detector.ts';
import { SwingLevel } from './swing-level.ts';
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
export class SwingLow extends SwingLevel {
  constructor(options: SwingOptions) {
    super(options, 'min', 'SwingLow');
  }

  protected field(bar: BarInput): number {
    return bar.low;
  }
}
