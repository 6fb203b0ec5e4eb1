import { ConfigError } from '../errors.ts';
import { anchorShape } from '../shape-anchor.ts';
import { StreamingIndicator } from './streaming-indicator.ts';

/**
 * Exponential moving average (TA-Lib `EMA` convention): smoothing `k = 2 / (period + 1)`,
 * seeded with the simple average of the first `period` inputs, then
 * `ema = ema + k · (x − ema)`. The first value appears at input number `period`.
 *
 * @example
 * ```ts
 * const ema = new EMA(3);
 * [1, 2, 3, 4].map((x) => ema.update(x)); // [undefined, undefined, 2, 3]
 * ```
 */
export class EMA extends StreamingIndicator {
  readonly period: number;
  private readonly k: number;
  private count = 0;
  private seedSum = 0;
  private average = Number.NaN;
  private seeded = false;

  constructor(period: number) {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('EMA.period', period, 'a whole number >= 1');
    this.period = period;
    this.k = 2 / (period + 1);
  }

  get warmup(): number {
    return this.period;
  }

  update(input: number): number | undefined {
    this.step(input);
    return this.seeded ? this.average : undefined;
  }

  updateInto(input: number, column: Float64Array, row: number): void {
    this.step(input);
    if (this.seeded) column[row] = this.average;
  }

  override get ready(): boolean {
    return this.seeded;
  }

  override get value(): number | undefined {
    return this.seeded ? this.average : undefined;
  }

  reset(): void {
    this.count = 0;
    this.seedSum = 0;
    this.average = Number.NaN;
    this.seeded = false;
  }

  /**
   * One input: seeded with the mean of the first `period` inputs, then smoothed. The average
   * lives in a field that only ever holds numbers (written in place), where `current` (number
   * or undefined) took a new boxed number at every update.
   */
  private step(input: number): void {
    this.count++;
    if (!this.seeded) {
      this.seedSum += input;
      if (this.count === this.period) {
        this.average = this.seedSum / this.period;
        this.seeded = true;
      }
      return;
    }
    this.average += this.k * (input - this.average);
  }
}

// Keeps the optimized code for EMAs valid between runs (see shape-anchor.ts).
// Fed fractional inputs: its fields then hold doubles, as every real EMA's do (a field that
// went from small integers to doubles would move the instance to a new hidden class).
const anchor = new EMA(2);
for (const x of [0.5, 1.5, 2.5]) anchor.update(x);
anchorShape(anchor);
