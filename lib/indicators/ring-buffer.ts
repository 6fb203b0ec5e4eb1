/**
 * A fixed-capacity window of the last `capacity` numbers, oldest first, backed by one
 * `Float64Array` so rolling indicators can keep their window without allocating per update.
 *
 * @example
 * ```ts
 * const window = new RingBuffer(3);
 * [1, 2, 3].forEach((x) => window.push(x));
 * window.push(4); // 1 (the value that fell out)
 * window.at(0);   // 2 (oldest); window.at(2) === 4 (newest)
 * ```
 */
export class RingBuffer {
  readonly capacity: number;
  private readonly data: Float64Array;
  /** Slot the next push writes to, which is also the oldest slot once the buffer is full. */
  private head = 0;
  private size = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.data = new Float64Array(capacity);
  }

  /** Number of values held (at most `capacity`). */
  get length(): number {
    return this.size;
  }

  get full(): boolean {
    return this.size === this.capacity;
  }

  /** Appends `x`; returns the value that fell out of a full window, or `undefined`. */
  push(x: number): number | undefined {
    const slot = this.head;
    const evicted = this.size === this.capacity ? this.data[slot] : undefined;
    this.data[slot] = x;
    this.head = slot + 1 === this.capacity ? 0 : slot + 1;
    if (this.size < this.capacity) this.size++;
    return evicted;
  }

  /** The `i`-th value held, `0` = oldest, `length − 1` = newest. */
  at(i: number): number {
    let slot = this.head - this.size + i;
    if (slot < 0) slot += this.capacity;
    return this.data[slot]!;
  }

  /** The value that the next push into a full window would evict (the oldest). */
  get oldest(): number {
    return this.at(0);
  }

  get newest(): number {
    return this.at(this.size - 1);
  }

  /** Exact re-summation of the held values, for rolling sums that must not drift. */
  sum(): number {
    let total = 0;
    for (let i = 0; i < this.size; i++) total += this.data[i]!;
    return total;
  }

  clear(): void {
    this.data.fill(0);
    this.head = 0;
    this.size = 0;
  }
}
