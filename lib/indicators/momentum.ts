import { ConfigError } from '../errors.ts';
import { RingBuffer } from './ring-buffer.ts';
import { StreamingIndicator } from './streaming-indicator.ts';

/**
 * Momentum (TA-Lib `MOM`): `x − x[period inputs ago]`, in price units. TA-Lib's lookback is
 * `period`, so the first value appears at input number `period + 1`.
 *
 * @example
 * ```ts
 * const momentum = new Momentum(2);
 * [10, 11, 13, 12].map((x) => momentum.update(x)); // [undefined, undefined, 3, 1]
 * ```
 */
export class Momentum extends StreamingIndicator {
  readonly period: number;
  private readonly window: RingBuffer;

  constructor(period: number) {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('Momentum.period', period, 'a whole number >= 1');
    this.period = period;
    this.window = new RingBuffer(period);
  }

  get warmup(): number {
    return this.period + 1;
  }

  update(input: number): number | undefined {
    const past = this.window.push(input);
    if (past !== undefined) this.current = input - past;
    return this.current;
  }

  reset(): void {
    this.window.clear();
    this.current = undefined;
  }
}
