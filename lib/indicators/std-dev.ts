import { ConfigError } from '../errors.ts';
import { RingBuffer } from './ring-buffer.ts';
import { StreamingIndicator } from './streaming-indicator.ts';

/**
 * Rolling population standard deviation over the last `period` inputs (TA-Lib `STDDEV` with
 * `nbDev = 1`, and the deviation Bollinger Bands use): `sqrt(Σ(x − mean)² / period)`. TA-Lib's
 * lookback is `period − 1`, so the first value appears at input number `period`.
 *
 * Sliding Welford update rather than the textbook `E[x²] − E[x]²`, which loses most of its
 * digits when prices are large relative to their spread (a 100-dollar stock moving by cents);
 * the mean and the sum of squared deviations are recomputed exactly (two passes over the window)
 * once per `period` updates, so rounding cannot accumulate over millions of inputs: O(1)
 * amortised per update, no allocation.
 *
 * @example
 * ```ts
 * const sd = new StdDev(4);
 * [2, 4, 4, 4, 5, 5, 7, 9].forEach((x) => sd.update(x));
 * sd.value; // population std of 5, 5, 7, 9 = sqrt(11/4) ≈ 1.6583
 * ```
 */
export class StdDev extends StreamingIndicator {
  readonly period: number;
  private readonly window: RingBuffer;
  private mean = 0;
  /** Sum of squared deviations from `mean` over the window. */
  private squares = 0;
  private sinceExact = 0;

  constructor(period: number) {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('StdDev.period', period, 'a whole number >= 1');
    this.period = period;
    this.window = new RingBuffer(period);
  }

  get warmup(): number {
    return this.period;
  }

  /** Mean of the current window (the window's SMA) — meaningful once `ready`. */
  get windowMean(): number {
    return this.mean;
  }

  update(input: number): number | undefined {
    const evicted = this.window.push(input);
    if (evicted === undefined) {
      // Still filling: ordinary Welford accumulation.
      const delta = input - this.mean;
      this.mean += delta / this.window.length;
      this.squares += delta * (input - this.mean);
      if (!this.window.full) return undefined;
    } else {
      const previousMean = this.mean;
      const previousSquares = this.squares;
      this.mean += (input - evicted) / this.period;
      this.squares += (input - evicted) * (input - this.mean + evicted - previousMean);
      if (++this.sinceExact === this.period) this.recomputeExactly();
      // A (nearly) flat window after a large value left it: the rolling sum's cancellation
      // error (~1e-13) would read as a deviation of ~1e-7 where the truth is 0. Recomputed
      // from the window when the spread is below 1e-5 of the level, or when the sum fell
      // below 1e-10 of what it was (the level test misses values around 0, such as log
      // returns: a window of ±2e-15 after a return of −2 left it read 4e-7, truly 5e-14).
      else if (this.squares <= this.period * this.mean * this.mean * 1e-10 || this.squares <= previousSquares * 1e-10) this.recomputeExactly();
    }
    // Rounding can leave a tiny negative sum on a (nearly) constant window.
    this.current = this.squares > 0 ? Math.sqrt(this.squares / this.period) : 0;
    return this.current;
  }

  reset(): void {
    this.window.clear();
    this.mean = 0;
    this.squares = 0;
    this.sinceExact = 0;
    this.current = undefined;
  }

  private recomputeExactly(): void {
    const n = this.period;
    const mean = this.window.sum() / n;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const d = this.window.at(i) - mean;
      squares += d * d;
    }
    this.mean = mean;
    this.squares = squares;
    this.sinceExact = 0;
  }
}
