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
  /** Back to the freshly constructed state. */
  reset(): void;
}
