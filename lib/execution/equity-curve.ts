import type { EquityPoint } from './order-types.ts';

/** Numbers per point in {@link EquityCurve.values}: time, equity, cash, gross, net. */
export const EQUITY_STRIDE = 5;

/**
 * The account's equity points of one day, one per tick, as numbers in one array: a broker
 * records one at every tick, and a sweep runs hundreds of brokers side by side, so a point is
 * five doubles appended by the portfolio itself (`values.push(time, equity, cash, gross,
 * net)`, inline: a double handed to a function that is not inlined is boxed, and that was
 * most of a sweep's garbage), not an object. Rows are made when a table asks for them.
 *
 * @example
 * ```ts
 * const curve = new EquityCurve();
 * curve.values.push(t, 10_000, 9_000, 1_000, 1_000);
 * curve.rows(); // [{ time: t, equity: 10_000, cash: 9_000, gross: 1_000, net: 1_000 }]
 * ```
 */
export class EquityCurve {
  /** time, equity, cash, gross, net of each point, in order ({@link EQUITY_STRIDE} numbers a point). */
  readonly values: number[] = [];

  get length(): number {
    return this.values.length / EQUITY_STRIDE;
  }

  /** The equity of the latest point (NaN before the first). */
  lastEquity(): number {
    const v = this.values;
    return v.length > 0 ? v[v.length - EQUITY_STRIDE + 1]! : Number.NaN;
  }

  /** The day's exposure figures: points with an open position, Σ gross / equity (over points with positive equity) and the largest gross. */
  exposure(): { exposedPoints: number; exposureSum: number; maxGross: number } {
    const v = this.values;
    let exposedPoints = 0;
    let exposureSum = 0;
    let maxGross = 0;
    for (let at = 0; at < v.length; at += EQUITY_STRIDE) {
      const equity = v[at + 1]!;
      const gross = v[at + 3]!;
      if (gross > 0) exposedPoints++;
      exposureSum += equity > 0 ? gross / equity : 0;
      if (gross > maxGross) maxGross = gross;
    }
    return { exposedPoints, exposureSum, maxGross };
  }

  /** The points as rows (the `equity` table). */
  rows(): EquityPoint[] {
    const v = this.values;
    const out = new Array<EquityPoint>(this.length);
    for (let i = 0, at = 0; at < v.length; i++, at += EQUITY_STRIDE) out[i] = { time: v[at]!, equity: v[at + 1]!, cash: v[at + 2]!, gross: v[at + 3]!, net: v[at + 4]! };
    return out;
  }
}
