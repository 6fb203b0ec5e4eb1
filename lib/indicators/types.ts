/**
 * A streaming indicator: framework-free, O(1) per update. `update` returns the new value,
 * or `undefined` while warming up; after `ready` it never returns `undefined`.
 *
 * @example
 * ```ts
 * const ema = new EMA(3);
 * [1, 2, 3, 4].map((x) => ema.update(x)); // [undefined, undefined, 2, 3]
 * ```
 */
export interface Indicator<I = number, O = number> {
  /** Number of inputs consumed before the first value. */
  readonly warmup: number;
  readonly ready: boolean;
  /** The latest value, or undefined while warming up. */
  readonly value: O | undefined;
  update(input: I): O | undefined;
  /**
   * Optional, for an indicator of one number from one number: {@link update}, with the value
   * written at `column[row]` instead of returned (nothing written while warming up). The
   * indicator operator uses it when present: a number returned from `update` is boxed by V8
   * (an allocation per value, per bar, per symbol).
   */
  updateInto?(input: number, column: Float64Array, row: number): void;
  /** Back to the freshly constructed state. */
  reset(): void;
  /**
   * Called before the first input of every session (today's and each session of the warm-up
   * history) by the indicator operator. Session-anchored indicators (VWAP, TWAP) restart
   * here; all others leave it out.
   */
  startSession?(): void;
}

/**
 * The bar a bar-input indicator receives. The operator reuses one object for every update,
 * so an indicator must copy the fields it needs and never keep the object itself.
 *
 * @example
 * ```ts
 * const atr = new ATR(14);
 * atr.update({ open: 10, high: 11, low: 9.5, close: 10.5, volume: 1200 });
 * ```
 */
export interface BarInput {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}
