/**
 * Maximum or minimum of the last `window` numbers in O(1) amortised per push (the "monotonic
 * queue" / ascending-minima algorithm): the deque keeps only values that can still become the
 * extreme — each is pushed and popped at most once — ordered so the front is the extreme.
 * Storage is two fixed `Float64Array` rings (values and their input positions): no
 * allocation per push.
 *
 * @example
 * ```ts
 * const highest = new MonotonicDeque(3, 'max');
 * [5, 1, 4, 2, 3].map((x) => highest.push(x)); // [5, 5, 5, 4, 4]
 * ```
 */
export class MonotonicDeque {
  readonly window: number;
  readonly keep: 'max' | 'min';
  private readonly isMax: boolean;
  private readonly values: Float64Array;
  private readonly positions: Float64Array;
  /** Ring indices of the front (the extreme) and of the slot after the back. */
  private front = 0;
  private size = 0;
  /** Inputs pushed so far; positions are counted in this (exact up to 2^53). */
  private pushed = 0;

  constructor(window: number, keep: 'max' | 'min') {
    this.window = window;
    this.keep = keep;
    this.isMax = keep === 'max';
    // The deque never holds more than `window` entries: older ones have expired.
    this.values = new Float64Array(window);
    this.positions = new Float64Array(window);
  }

  /** Number of inputs pushed since construction or `clear()`. */
  get count(): number {
    return this.pushed;
  }

  /** The extreme of the last `min(count, window)` inputs (`NaN` before the first push). */
  get extreme(): number {
    return this.size === 0 ? Number.NaN : this.values[this.front]!;
  }

  /** Appends `x` and returns the extreme of the last `window` inputs including it. */
  push(x: number): number {
    const cap = this.window;
    const position = this.pushed++;
    // Drop the front if it has slid out of the window.
    if (this.size > 0 && this.positions[this.front]! <= position - cap) {
      this.front = this.front + 1 === cap ? 0 : this.front + 1;
      this.size--;
    }
    // Drop from the back every value that `x` dominates: it can never be the extreme again.
    // Ties are dropped too, so the deque holds the newest of equal values (it expires last).
    let back = this.front + this.size - 1;
    if (back >= cap) back -= cap;
    if (this.isMax) {
      while (this.size > 0 && this.values[back]! <= x) {
        this.size--;
        back = back === 0 ? cap - 1 : back - 1;
      }
    } else {
      while (this.size > 0 && this.values[back]! >= x) {
        this.size--;
        back = back === 0 ? cap - 1 : back - 1;
      }
    }
    let slot = this.front + this.size;
    if (slot >= cap) slot -= cap;
    this.values[slot] = x;
    this.positions[slot] = position;
    this.size++;
    return this.values[this.front]!;
  }

  clear(): void {
    this.front = 0;
    this.size = 0;
    this.pushed = 0;
  }
}
