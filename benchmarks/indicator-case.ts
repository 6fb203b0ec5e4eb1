/**
 * The shape of one row of the indicator benchmark (`npm run bench:indicators`). Each group of
 * indicators lists its rows in its own file (`indicator-cases-price.ts`,
 * `indicator-cases-bar.ts`) so the lists can grow independently.
 *
 * @example
 * ```ts
 * const row: IndicatorCase = { name: 'SMA(20)', input: 'price', ours: () => new SMA(20) };
 * ```
 */
export interface IndicatorCase {
  /** Row label, e.g. `'RSI(14)'`. */
  readonly name: string;
  /** `price`: fed the close as a number; `bar`: fed `{open, high, low, close, volume}` objects. */
  readonly input: 'price' | 'bar';
  /** A fresh instance of our indicator. */
  readonly ours: () => { update(x: never): unknown };
  /** A fresh instance of the trading-signals counterpart, wrapped so `update` feeds one input. */
  readonly theirs?: () => { update(x: never): unknown } | undefined;
  /** Which counterpart was used and how it differs (shown in the table). */
  readonly note?: string;
}
