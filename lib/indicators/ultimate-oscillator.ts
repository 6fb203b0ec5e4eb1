import { ConfigError } from '../errors.ts';
import { RingBuffer } from './ring-buffer.ts';
import { StreamingIndicator } from './streaming-indicator.ts';
import type { BarInput } from './types.ts';

/** A running sum below this share of a value just removed from it is recomputed exactly. */
const CANCELLATION_GUARD = 1e-6;

/** Options of {@link UltimateOscillator}: three window lengths, `short <= medium <= long`. */
export interface UltimateOscillatorOptions {
  /** Default 7. */
  readonly short?: number;
  /** Default 14. */
  readonly medium?: number;
  /** Default 28. */
  readonly long?: number;
}

/**
 * Ultimate oscillator (Larry Williams, 1976), TA-Lib `ULTOSC` convention. Per bar, with the
 * previous close `pc`: buying pressure `bp = close − min(low, pc)` and true range
 * `tr = max(high, pc) − min(low, pc)`; for each window `avg = Σbp / Σtr` over its last bars
 * (a window whose Σtr is 0 contributes 0, as in TA-Lib), and
 * `UO = 100 · (4 · avg_short + 2 · avg_medium + avg_long) / 7`, in [0, 100].
 *
 * The first bar only supplies a close; TA-Lib's lookback is `long`: `warmup = long + 1`
 * (29 for 7/14/28). Six running sums over one pair of rings: O(1) amortised per bar; they are
 * re-summed from the rings once per `long` bars so rounding cannot accumulate, and at once when
 * a large range leaves a window that is left nearly flat (so a flat window reads exactly 0).
 *
 * @example
 * ```ts
 * const uo = new UltimateOscillator({ short: 7, medium: 14, long: 28 });
 * for (const bar of bars) uo.update(bar); // a number from bar 29 on
 * ```
 */
export class UltimateOscillator extends StreamingIndicator<BarInput, number> {
  readonly short: number;
  readonly medium: number;
  readonly long: number;
  private readonly pressures: RingBuffer;
  private readonly ranges: RingBuffer;
  private bpShort = 0;
  private bpMedium = 0;
  private bpLong = 0;
  private trShort = 0;
  private trMedium = 0;
  private trLong = 0;
  private previousClose = 0;
  private bars = 0;

  constructor(options: UltimateOscillatorOptions = {}) {
    super();
    const { short = 7, medium = 14, long = 28 } = options;
    for (const [field, value] of [
      ['short', short],
      ['medium', medium],
      ['long', long],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) throw ConfigError.at(`UltimateOscillator.${field}`, value, 'a whole number >= 1');
    }
    if (!(short <= medium && medium <= long)) throw ConfigError.at('UltimateOscillator', { short, medium, long }, 'short <= medium <= long');
    this.short = short;
    this.medium = medium;
    this.long = long;
    this.pressures = new RingBuffer(long);
    this.ranges = new RingBuffer(long);
  }

  get warmup(): number {
    return this.long + 1;
  }

  update(bar: BarInput): number | undefined {
    const previousClose = this.previousClose;
    this.previousClose = bar.close;
    if (this.bars++ === 0) return undefined;
    const trueLow = Math.min(bar.low, previousClose);
    const pressure = bar.close - trueLow;
    const range = Math.max(bar.high, previousClose) - trueLow;

    // Take out the values leaving each window (read before the push overwrites the oldest).
    // `leaving` keeps the largest true range taken out, for the cancellation check below.
    const held = this.pressures.length;
    let leaving = 0;
    if (held >= this.short) {
      const tr = this.ranges.at(held - this.short);
      this.bpShort -= this.pressures.at(held - this.short);
      this.trShort -= tr;
      leaving = tr;
    }
    if (held >= this.medium) {
      const tr = this.ranges.at(held - this.medium);
      this.bpMedium -= this.pressures.at(held - this.medium);
      this.trMedium -= tr;
      if (tr > leaving) leaving = tr;
    }
    if (held >= this.long) {
      const tr = this.ranges.at(0);
      this.bpLong -= this.pressures.at(0);
      this.trLong -= tr;
      if (tr > leaving) leaving = tr;
    }
    this.pressures.push(pressure);
    this.ranges.push(range);
    this.bpShort += pressure;
    this.bpMedium += pressure;
    this.bpLong += pressure;
    this.trShort += range;
    this.trMedium += range;
    this.trLong += range;
    // Re-sum once per `long` bars against slow drift, and at once when a range that dwarfs
    // what is left of a window has just left it: after a spike followed by flat bars the
    // running sum would otherwise hold rounding residue instead of 0, and Σbp / Σtr would be
    // residue divided by residue.
    const smallest = Math.min(this.trShort, this.trMedium, this.trLong);
    if (this.bars % this.long === 0 || smallest < CANCELLATION_GUARD * leaving) this.resum();
    if (!this.pressures.full) return undefined;

    let weighted = 0;
    if (this.trShort !== 0) weighted += (4 * this.bpShort) / this.trShort;
    if (this.trMedium !== 0) weighted += (2 * this.bpMedium) / this.trMedium;
    if (this.trLong !== 0) weighted += this.bpLong / this.trLong;
    this.current = (100 * weighted) / 7;
    return this.current;
  }

  /** Exact sums of the newest `short`/`medium`/`long` values held. */
  private resum(): void {
    const held = this.pressures.length;
    this.bpShort = this.bpMedium = this.bpLong = 0;
    this.trShort = this.trMedium = this.trLong = 0;
    for (let i = 0; i < held; i++) {
      const age = held - i;
      const bp = this.pressures.at(i);
      const tr = this.ranges.at(i);
      this.bpLong += bp;
      this.trLong += tr;
      if (age <= this.medium) {
        this.bpMedium += bp;
        this.trMedium += tr;
      }
      if (age <= this.short) {
        this.bpShort += bp;
        this.trShort += tr;
      }
    }
  }

  reset(): void {
    this.pressures.clear();
    this.ranges.clear();
    this.bpShort = this.bpMedium = this.bpLong = 0;
    this.trShort = this.trMedium = this.trLong = 0;
    this.previousClose = 0;
    this.bars = 0;
    this.current = undefined;
  }
}
