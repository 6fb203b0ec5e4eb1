import type { EquityPoint } from './order-types.ts';

/** Numbers per point: time, equity, cash, gross, net. */
const STRIDE = 5;

/**
 * The account's equity points of one day, one per tick, kept as numbers in one array: a
 * broker records one at every tick, and a sweep runs hundreds of brokers side by side, so a
 * point is five numbers written in place, not an object. Rows are made when a table asks for
 * them, and the day's exposure figures are kept as the points arrive.
 *
 * @example
 * ```ts
 * const curve = new EquityCurve();
 * curve.push(t, 10_000, 9_000, 1_000, 1_000);
 * curve.rows(); // [{ time: t, equity: 10_000, cash: 9_000, gross: 1_000, net: 1_000 }]
 * ```
 */
export class EquityCurve {
  // A regular session has 390 one-minute ticks: one allocation covers it.
  private values = new Float64Array(400 * STRIDE);
  private size = 0;
  /** Points with an open position (gross > 0). */
  exposedPoints = 0;
  /** Σ gross / equity over points with positive equity (the mean is the day's exposure). */
  exposureSum = 0;
  maxGross = 0;

  get length(): number {
    return this.size;
  }

  push(time: number, equity: number, cash: number, gross: number, net: number): void {
    let at = this.size * STRIDE;
    if (at === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    const v = this.values;
    v[at++] = time;
    v[at++] = equity;
    v[at++] = cash;
    v[at++] = gross;
    v[at] = net;
    this.size++;
    if (gross > 0) this.exposedPoints++;
    if (equity > 0) this.exposureSum += gross / equity;
    if (gross > this.maxGross) this.maxGross = gross;
  }

  /** The equity of the latest point (NaN before the first). */
  lastEquity(): number {
    return this.size > 0 ? this.values[(this.size - 1) * STRIDE + 1]! : Number.NaN;
  }

  /** The points as rows (the `equity` table). */
  rows(): EquityPoint[] {
    const v = this.values;
    const out = new Array<EquityPoint>(this.size);
    for (let i = 0, at = 0; i < this.size; i++, at += STRIDE) out[i] = { time: v[at]!, equity: v[at + 1]!, cash: v[at + 2]!, gross: v[at + 3]!, net: v[at + 4]! };
    return out;
  }
}
