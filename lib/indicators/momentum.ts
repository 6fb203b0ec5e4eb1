import { LaggedComparison } from './lagged-comparison.ts';

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
export class Momentum extends LaggedComparison {
  constructor(period: number) {
    super('Momentum', period);
  }

  protected compare(input: number, past: number): number {
    return input - past;
  }
}
