import type { EquityPoint } from './order-types.ts';

/** Numbers per point in {@link EquityCurve.values}: time, equity, cash, gross, net. */
export const EQUITY_STRIDE = 5;

/**
 * The account's equity points of one day, one per tick, as numbers in one array, with the
 * day's exposure figures kept as the points arrive. A broker records one at every tick, and a
 * sweep runs hundreds of brokers side by side: a point is appended by the portfolio itself
 * (inline: a double handed to a function that is not inlined is boxed, and that was most of
 * a sweep's garbage), not made as an object; rows are made when a table asks for them. With
 * `keepPoints` false only the figures are kept (a sweep's statistics read nothing else; the
 * points cost a fifth of its time).
 *
 * @example
 * ```ts
 * const curve = new EquityCurve();
 * portfolio.recordPoint(curve, t);
 * curve.rows(); // [{ time: t, equity, cash, gross, net }]
 * ```
 */
export class EquityCurve {
  /**
   * time, equity, cash, gross, net of each point, in order ({@link EQUITY_STRIDE} numbers a
   * point; the first `length` points are set). Sized for the day up front: grown by pushes,
   * the array's copies were most of a trading run's garbage. Empty without `keepPoints`.
   */
  values: Float64Array;
  /** Points recorded (kept or not). */
  length = 0;
  /** The latest point's equity (NaN before the first). */
  lastEquity = Number.NaN;
  /** Points with an open position (gross > 0). */
  exposedPoints = 0;
  /** Σ gross / equity over the points (0 where equity <= 0): the mean is the day's exposure. */
  exposureSum = 0;
  maxGross = 0;

  /** `expectedPoints`: about how many points the day will have (more only cost a copy). */
  constructor(
    readonly keepPoints = true,
    expectedPoints = 0,
  ) {
    this.values = new Float64Array(keepPoints ? Math.max(16, expectedPoints) * EQUITY_STRIDE : 0);
  }

  /** Room for point `length - 1` (the one being written): the values, doubled when full. */
  room(): Float64Array {
    const need = this.length * EQUITY_STRIDE;
    if (need <= this.values.length) return this.values;
    const grown = new Float64Array(Math.max(need, this.values.length * 2));
    grown.set(this.values);
    return (this.values = grown);
  }

  /** The points as rows (the `equity` table); empty when they were not kept. */
  rows(): EquityPoint[] {
    if (!this.keepPoints) return [];
    const v = this.values;
    const out = new Array<EquityPoint>(this.length);
    for (let i = 0, at = 0; i < this.length; i++, at += EQUITY_STRIDE) out[i] = { time: v[at]!, equity: v[at + 1]!, cash: v[at + 2]!, gross: v[at + 3]!, net: v[at + 4]! };
    return out;
  }
}
