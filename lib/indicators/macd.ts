import { ConfigError } from '../errors.ts';
import { EMA } from './ema.ts';
import { StreamingIndicator } from './streaming-indicator.ts';

/** MACD parameters; the defaults are Gerald Appel's 12/26/9. */
export interface MACDOptions {
  /** Period of the fast EMA (default 12). */
  readonly fast?: number;
  /** Period of the slow EMA (default 26); must be greater than `fast`. */
  readonly slow?: number;
  /** Period of the signal EMA over the MACD line (default 9). */
  readonly signal?: number;
}

/** One MACD value: the line, its signal EMA and their difference. */
export interface MACDValue {
  readonly macd: number;
  readonly signal: number;
  /** `macd − signal`. */
  readonly histogram: number;
}

/**
 * Moving average convergence/divergence (Gerald Appel; TA-Lib `MACD`):
 * `macd = EMA(fast) − EMA(slow)`, `signal = EMA(signal) of macd`, `histogram = macd − signal`,
 * every EMA seeded with an SMA as TA-Lib does. TA-Lib aligns the two price EMAs: both start at
 * the input where the slow one is ready (input `slow`), the fast EMA seeded with the SMA of the
 * `fast` inputs ending there — so the fast EMA here simply skips the first `slow − fast`
 * inputs. The signal EMA is seeded with the SMA of the first `signal` MACD values, and nothing
 * is returned before it exists: TA-Lib's lookback is `(slow − 1) + (signal − 1)`, so the first
 * value appears at input number `slow + signal − 1` (34 for 12/26/9).
 *
 * @example
 * ```ts
 * const macd = new MACD({ fast: 12, slow: 26, signal: 9 });
 * closes.forEach((x) => macd.update(x)); // first { macd, signal, histogram } at input 34
 * ```
 */
export class MACD extends StreamingIndicator<number, MACDValue> {
  readonly fast: number;
  readonly slow: number;
  readonly signal: number;
  private readonly fastEma: EMA;
  private readonly slowEma: EMA;
  private readonly signalEma: EMA;
  /** Inputs the fast EMA skips so that it is seeded on the same input as the slow one. */
  private readonly skip: number;
  private count = 0;

  constructor(options: MACDOptions = {}) {
    super();
    const { fast = 12, slow = 26, signal = 9 } = options;
    if (!Number.isInteger(fast) || fast < 1) throw ConfigError.at('MACD.fast', fast, 'a whole number >= 1');
    if (!Number.isInteger(slow) || slow <= fast) throw ConfigError.at('MACD.slow', slow, `a whole number > fast (${fast})`);
    if (!Number.isInteger(signal) || signal < 1) throw ConfigError.at('MACD.signal', signal, 'a whole number >= 1');
    this.fast = fast;
    this.slow = slow;
    this.signal = signal;
    this.fastEma = new EMA(fast);
    this.slowEma = new EMA(slow);
    this.signalEma = new EMA(signal);
    this.skip = slow - fast;
  }

  get warmup(): number {
    return this.slow + this.signal - 1;
  }

  update(input: number): MACDValue | undefined {
    const fast = this.count++ < this.skip ? undefined : this.fastEma.update(input);
    const slow = this.slowEma.update(input);
    if (slow === undefined) return undefined;
    const macd = fast! - slow;
    const signal = this.signalEma.update(macd);
    if (signal === undefined) return undefined;
    this.current = { macd, signal, histogram: macd - signal };
    return this.current;
  }

  reset(): void {
    this.fastEma.reset();
    this.slowEma.reset();
    this.signalEma.reset();
    this.count = 0;
    this.current = undefined;
  }
}
