import type { EquityPoint } from './order-types.ts';

/** Numbers per point in {@link EquityCurve.values}: time, equity, cash, gross, net. */
export const EQUITY_STRIDE = 5;

/** The values of every curve with no point kept yet (never written: room() replaces it first). */
const NO_POINTS = new Float64Array(0);

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
   * point; the first `length` points are set). Sized for the day at the first point: grown by
   * pushes, the array's copies were most of a trading run's garbage. Empty until then, and
   * always without `keepPoints`: a broker makes a curve every day (one more before its first
   * session), a sweep runs hundreds of brokers, and an array of this size lives outside the
   * heap, which every young collection then has to sweep.
   */
  values: Float64Array = NO_POINTS;
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
    private readonly expectedPoints = 0,
  ) {}

  /** Room for point `length - 1` (the one being written): the values, made for the expected points first, doubled when full. */
  room(): Float64Array {
    const need = this.length * EQUITY_STRIDE;
    if (need <= this.values.length) return this.values;
    const grown = new Float64Array(Math.max(need, this.values.length * 2, Math.max(16, this.expectedPoints) * EQUITY_STRIDE));
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
