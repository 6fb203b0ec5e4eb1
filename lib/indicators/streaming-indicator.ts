import type { Indicator } from './types.ts';

/**
 * Common base of the built-in indicators: holds the current value and derives `value` and
 * `ready` from it, so each indicator only implements its arithmetic (`update`, `reset`) and
 * states its `warmup`. Subclasses set `this.current` when a value exists and clear it in
 * `reset()`.
 *
 * @example
 * ```ts
 * class Last extends StreamingIndicator<number, number> {
 *   readonly warmup = 1;
 *   update(x: number) { return (this.current = x); }
 *   reset() { this.current = undefined; }
 * }
 * ```
 */
export abstract class StreamingIndicator<I = number, O = number> implements Indicator<I, O> {
  /** The latest value; `undefined` while warming up. */
  protected current: O | undefined = undefined;

  abstract readonly warmup: number;

  get ready(): boolean {
    return this.current !== undefined;
  }

  get value(): O | undefined {
    return this.current;
  }

  abstract update(input: I): O | undefined;

  abstract reset(): void;
}
