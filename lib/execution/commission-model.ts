import { ConfigError } from '../errors.ts';
import { nonNegativeAt } from './non-negative-at.ts';

/** What a commission function is told: the order's cumulative fill so far, this fill included. */
export interface CommissionInput {
  readonly symbol: string;
  /** Units filled on the order so far, this fill included (always positive). */
  readonly quantity: number;
  /** Their value in currency (quantity × price × multiplier). */
  readonly value: number;
  readonly price: number;
}

/**
 * Commission settings (JSON in a config, or a function in code):
 * - `{ "type": "per-share", "rate": 0.005, "minimum": 1, "maximumPercent": 0.5 }` (IB-style tiered: rate per unit, a minimum per order, a maximum in % of the order's value);
 * - `{ "type": "percent", "percent": 0.1 }` (of the value);
 * - `{ "type": "per-order", "amount": 1 }`;
 * - `{ "type": "per-contract", "rate": 2.25 }`;
 * - `{ "type": "none" }`.
 */
export type CommissionSpec =
  | { readonly type: 'none' }
  | { readonly type: 'per-share'; readonly rate: number; readonly minimum?: number; readonly maximumPercent?: number }
  | { readonly type: 'percent'; readonly percent: number }
  | { readonly type: 'per-order'; readonly amount: number }
  | { readonly type: 'per-contract'; readonly rate: number; readonly minimum?: number }
  | ((input: CommissionInput) => number);

/**
 * The commission of an order's cumulative fill. Minimums and maximums apply per order, so
 * the broker charges each partial fill the difference between the order's commission after
 * and before it: one order pays the minimum once, however it fills.
 *
 * @example
 * ```ts
 * const fee = commissionModel({ type: 'per-share', rate: 0.005, minimum: 1, maximumPercent: 0.5 });
 * fee({ symbol: 'SPY', quantity: 100, value: 50_000, price: 500 }); // 1 (0.50 raised to the minimum)
 * ```
 */
export function commissionModel(spec: CommissionSpec = { type: 'none' }, path = 'broker.commission'): (input: CommissionInput) => number {
  if (typeof spec === 'function') {
    return (input) => {
      const fee = spec(input);
      if (!(Number.isFinite(fee) && fee >= 0)) throw ConfigError.at(path, fee, `a commission >= 0 from the commission function (for ${input.quantity} ${input.symbol} at ${input.price})`);
      return fee;
    };
  }
  const nonNegative = (key: string, value: unknown): number => nonNegativeAt(`${path}.${key}`, value);
  switch (spec?.type) {
    case 'none':
      return () => 0;
    case 'per-share': {
      const rate = nonNegative('rate', spec.rate);
      const minimum = nonNegative('minimum', spec.minimum ?? 0);
      const maximum = spec.maximumPercent === undefined ? Infinity : nonNegative('maximumPercent', spec.maximumPercent) / 100;
      return ({ quantity, value }) => Math.min(Math.max(quantity * rate, minimum), Math.abs(value) * maximum);
    }
    case 'percent': {
      const rate = nonNegative('percent', spec.percent) / 100;
      return ({ value }) => Math.abs(value) * rate;
    }
    case 'per-order': {
      const amount = nonNegative('amount', spec.amount);
      return () => amount;
    }
    case 'per-contract': {
      const rate = nonNegative('rate', spec.rate);
      const minimum = nonNegative('minimum', spec.minimum ?? 0);
      return ({ quantity }) => Math.max(quantity * rate, minimum);
    }
    default:
      throw ConfigError.at(`${path}.type`, (spec as { type?: unknown } | undefined)?.type, 'one of "none", "per-share", "percent", "per-order", "per-contract"');
  }
}
