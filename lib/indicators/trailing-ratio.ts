import { ConfigError } from '../errors.ts';
import { SMA } from './sma.ts';
import { StreamingIndicator } from './streaming-indicator.ts';

/**
 * The ratio of each input to the mean of the `period` inputs BEFORE it:
 * `x_t / mean(x_{t−period} … x_{t−1})`. The current input is left out of its own reference so
 * a spike cannot dilute the average it is compared with. The first value needs `period`
 * earlier inputs: `warmup = period + 1`. The shared arithmetic of {@link VolumeRatio} and
 * {@link RangeRatio}.
 *
 * The reference is an {@link SMA} (a running sum): exact for integer inputs such as volumes,
 * within a few ulps of the largest recent input otherwise. A zero reference mean leaves the
 * ratio undefined: the value is then `Infinity`/`NaN` (IEEE division), or — for fractional
 * inputs just after an outsized one left the window — a ratio to rounding residue; do not read
 * ratios whose reference is ~0.
 *
 * @example
 * ```ts
 * const ratio = new TrailingRatio(2);
 * [10, 30, 40].map((x) => ratio.update(x)); // [undefined, undefined, 2]  (40 / mean(10, 30))
 * ```
 */
export class TrailingRatio extends StreamingIndicator<number, number> {
  readonly period: number;
  private readonly reference: SMA;

  /** `field` names the parameter in error messages (wrappers pass their own). */
  constructor(period: number, field = 'TrailingRatio.period') {
    super();
    if (!Number.isInteger(period) || period < 1) throw ConfigError.at(field, period, 'a whole number >= 1');
    this.period = period;
    this.reference = new SMA(period);
  }

  get warmup(): number {
    return this.period + 1;
  }

  update(input: number): number | undefined {
    const mean = this.reference.value;
    if (mean !== undefined) this.current = input / mean;
    this.reference.update(input);
    return this.current;
  }

  reset(): void {
    this.reference.reset();
    this.current = undefined;
  }
}
