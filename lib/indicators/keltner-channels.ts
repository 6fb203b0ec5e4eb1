import { ConfigError } from '../errors.ts';
import { ATR } from './atr.ts';
import type { ChannelValue } from './donchian-channels.ts';
import { EMA } from './ema.ts';
import { StreamingIndicator } from './streaming-indicator.ts';
import type { BarInput } from './types.ts';

/** Options of {@link KeltnerChannels}. */
export interface KeltnerChannelsOptions {
  /** EMA length of the middle line (default 20). */
  readonly period?: number;
  /** ATR multiple between the middle line and each band (default 2). */
  readonly multiplier?: number;
  /** ATR length (default 10). */
  readonly atrPeriod?: number;
}

/**
 * Keltner channels, StockCharts ChartSchool definition (Linda Raschke's version):
 * `middle` = EMA(`period`) of the close, `upper`/`lower` = middle ± `multiplier` · ATR(`atrPeriod`).
 * TA-Lib has no Keltner channels, so its parts follow TA-Lib: {@link EMA} seeded with the SMA
 * of the first `period` closes and Wilder's {@link ATR} (first value at bar `atrPeriod + 1`).
 * The first value needs both: `warmup = max(period, atrPeriod + 1)` (20 for the defaults).
 *
 * @example
 * ```ts
 * const keltner = new KeltnerChannels({ period: 20, multiplier: 2, atrPeriod: 10 });
 * for (const bar of bars) keltner.update(bar); // { upper, middle, lower } from bar 20 on
 * ```
 */
export class KeltnerChannels extends StreamingIndicator<BarInput, ChannelValue> {
  readonly period: number;
  readonly multiplier: number;
  readonly atrPeriod: number;
  private readonly middle: EMA;
  private readonly atr: ATR;

  constructor(options: KeltnerChannelsOptions = {}) {
    super();
    const { period = 20, multiplier = 2, atrPeriod = 10 } = options;
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at('KeltnerChannels.period', period, 'a whole number >= 1');
    if (!Number.isInteger(atrPeriod) || atrPeriod < 1) throw ConfigError.at('KeltnerChannels.atrPeriod', atrPeriod, 'a whole number >= 1');
    if (typeof multiplier !== 'number' || !Number.isFinite(multiplier) || multiplier < 0) throw ConfigError.at('KeltnerChannels.multiplier', multiplier, 'a finite number >= 0');
    this.period = period;
    this.multiplier = multiplier;
    this.atrPeriod = atrPeriod;
    this.middle = new EMA(period);
    this.atr = new ATR(atrPeriod);
  }

  get warmup(): number {
    return Math.max(this.period, this.atrPeriod + 1);
  }

  update(bar: BarInput): ChannelValue | undefined {
    const middle = this.middle.update(bar.close);
    const atr = this.atr.update(bar);
    if (middle === undefined || atr === undefined) return undefined;
    const width = this.multiplier * atr;
    this.current = { upper: middle + width, middle, lower: middle - width };
    return this.current;
  }

  reset(): void {
    this.middle.reset();
    this.atr.reset();
    this.current = undefined;
  }
}
