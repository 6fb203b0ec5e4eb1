import { LaggedComparison } from './lagged-comparison.ts';

/**
 * Rate of change in percent (TA-Lib `ROC`): `(x / x[period inputs ago] − 1) · 100`. TA-Lib's
 * lookback is `period`, so the first value appears at input number `period + 1`. Like TA-Lib,
 * a zero past price gives 0 rather than an infinity.
 *
 * @example
 * ```ts
 * const roc = new ROC(2);
 * [10, 11, 12, 11].map((x) => roc.update(x)); // [undefined, undefined, 20, 0]
 * ```
 */
export class ROC extends LaggedComparison {
  constructor(period: number) {
    super('ROC', period);
  }

  protected compare(input: number, past: number): number {
    return past === 0 ? 0 : (input / past - 1) * 100;
  }
}
