import type { OhlcvColumns } from './types.ts';

/** What {@link flagOutliers} looks for. */
export interface OutlierOptions {
  /** A price more than this fraction away from the previous bar's close (0.1 = 10 %); off when undefined. */
  readonly maxJump?: number | undefined;
  /** Zero or negative prices (instruments that cannot have them). */
  readonly positivePrices?: boolean | undefined;
}

/** One flagged bar, quoted in reports. */
export interface OutlierExample {
  /** Bar start, epoch ms UTC. */
  readonly start: number;
  readonly flag: 'jump' | 'non_positive_price';
  readonly detail: string;
}

/** Flagged bars of one (symbol, day): counts and the first few examples. */
export interface OutlierFlags {
  readonly jumps: number;
  readonly nonPositivePrices: number;
  readonly examples: readonly OutlierExample[];
}

/** The columns {@link flagOutliers} reads: a day's kept bars (BarColumns and BarSeries fit). */
export type OutlierBars = Pick<OhlcvColumns<ArrayLike<number>>, 'length' | 'start' | 'open' | 'high' | 'low' | 'close'>;

const EXAMPLES = 3;

/**
 * Flag suspicious bars that pass the bar rules: a jump (any price of a bar more than
 * `maxJump` away from the previous bar's close, so a one-bar spike in the high counts too)
 * and zero or negative prices. Flags are reported, never applied: a real crash and a bad
 * print look alike, and only the user can tell which it was. The session loop (at the
 * close, for the day's bars) and `sessionflow data check` both call this, so they agree.
 *
 * @example
 * ```ts
 * const flags = flagOutliers(loaded.bars, { maxJump: 0.1, positivePrices: true });
 * if (flags.jumps > 0) console.log(flags.examples[0]!.detail);
 * ```
 */
export function flagOutliers(bars: OutlierBars, options: OutlierOptions): OutlierFlags {
  const { maxJump, positivePrices = true } = options;
  let jumps = 0;
  let nonPositivePrices = 0;
  const examples: OutlierExample[] = [];
  for (let i = 0; i < bars.length; i++) {
    const o = bars.open[i]!;
    const h = bars.high[i]!;
    const l = bars.low[i]!;
    const c = bars.close[i]!;
    if (positivePrices && l <= 0) {
      nonPositivePrices++;
      if (examples.length < EXAMPLES) examples.push({ start: bars.start[i]!, flag: 'non_positive_price', detail: `low ${l}${o <= 0 || c <= 0 ? ` (open ${o}, close ${c})` : ''}: zero or negative price` });
    }
    if (maxJump === undefined || i === 0) continue;
    const reference = bars.close[i - 1]!;
    if (!(reference > 0)) continue;
    const far = Math.max(h / reference - 1, 1 - l / reference);
    if (far > maxJump) {
      jumps++;
      if (examples.length < EXAMPLES) examples.push({ start: bars.start[i]!, flag: 'jump', detail: `${h / reference - 1 >= 1 - l / reference ? `high ${h}` : `low ${l}`} is ${(100 * far).toFixed(1)} % from the previous close ${reference} (maxJump ${maxJump})` });
    }
  }
  return { jumps, nonPositivePrices, examples };
}
