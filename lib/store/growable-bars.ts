/**
 * Growable OHLCV columns for code that appends bars one by one before writing them (the demo
 * generator, the importer): typed arrays doubled on demand, no row objects (DESIGN §3).
 * `columns()` gives views of the filled part, ready for `writeParquetFile`.
 *
 * @example
 * ```ts
 * const bars = new GrowableBars(390);
 * bars.push(Date.UTC(2024, 0, 2, 14, 30), 100, 101, 99.5, 100.5, 1200);
 * await writeParquetFile(file, bars.columns(), { timestampColumns: ['ts'] });
 * ```
 */
export class GrowableBars {
  length = 0;
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;

  constructor(capacity = 1024) {
    const n = Math.max(16, capacity);
    this.ts = new Float64Array(n);
    this.open = new Float64Array(n);
    this.high = new Float64Array(n);
    this.low = new Float64Array(n);
    this.close = new Float64Array(n);
    this.volume = new Float64Array(n);
  }

  /** Append one bar; returns its row. */
  push(ts: number, o: number, h: number, l: number, c: number, v: number): number {
    if (this.length === this.ts.length) this.grow(this.ts.length * 2);
    const i = this.length++;
    this.ts[i] = ts;
    this.open[i] = o;
    this.high[i] = h;
    this.low[i] = l;
    this.close[i] = c;
    this.volume[i] = v;
    return i;
  }

  /** Views of the filled rows, named as the store writes them. */
  columns(): Record<'ts' | 'open' | 'high' | 'low' | 'close' | 'volume', Float64Array> {
    const n = this.length;
    return { ts: this.ts.subarray(0, n), open: this.open.subarray(0, n), high: this.high.subarray(0, n), low: this.low.subarray(0, n), close: this.close.subarray(0, n), volume: this.volume.subarray(0, n) };
  }

  /** Reallocate every column to `capacity` rows; subclasses with more columns extend it. */
  protected grow(capacity: number): void {
    this.ts = resized(this.ts, capacity);
    this.open = resized(this.open, capacity);
    this.high = resized(this.high, capacity);
    this.low = resized(this.low, capacity);
    this.close = resized(this.close, capacity);
    this.volume = resized(this.volume, capacity);
  }
}

/** A copy of `a` in a new array of `capacity` elements (same type). */
export function resized<T extends Float64Array | Int32Array | Uint8Array>(a: T, capacity: number): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  return b;
}
