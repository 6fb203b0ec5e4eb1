import { ConfigError } from '../errors.ts';
import { RingBuffer } from './ring-buffer.ts';
import { StreamingIndicator } from './streaming-indicator.ts';

/**
 * Base of indicators that compare each input with the input `period` steps earlier
 * (Momentum, ROC): it keeps the window, the TA-Lib lookback of `period` (first value at
 * input `period + 1`) and reset; a subclass only says how the two are compared.
 *
 * @example
 * ```ts
 * class Difference extends LaggedComparison {
 *   constructor(period: number) { super('Difference', period); }
 *   protected compare(input: number, past: number): number { return input - past; }
 * }
 * ```
 */
export abstract class LaggedComparison extends StreamingIndicator {
  readonly period: number;
  private readonly window: RingBuffer;

  /** `name` labels a bad period in the ConfigError (`Momentum.period`). */
  constructor(name: string, period: number) {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at(`${name}.period`, period, 'a whole number >= 1');
    this.period = period;
    this.window = new RingBuffer(period);
  }

  get warmup(): number {
    return this.period + 1;
  }

  update(input: number): number | undefined {
    const past = this.window.push(input);
    if (past !== undefined) this.current = this.compare(input, past);
    return this.current;
  }

  reset(): void {
    this.window.clear();
    this.current = undefined;
  }

  /** The value for `input` given the input `period` steps earlier. */
  protected abstract compare(input: number, past: number): number;
}
