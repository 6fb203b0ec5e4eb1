import { ConfigError } from '../errors.ts';
import { nonNegativeAt } from './non-negative-at.ts';
import type { OrderSide } from './order-types.ts';

/** What a slippage function is told about one fill. */
export interface SlippageInput {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: number;
  /** The rule's price (open, stop, close, quote) before slippage. */
  readonly price: number;
  /** The fill bar's volume (NaN when unknown). */
  readonly volume: number;
  /** Bid and ask at the bar's start, when the store has them (else NaN). */
  readonly bid: number;
  readonly ask: number;
}

/**
 * Slippage settings: how much worse than the rule's price a market-type fill (market,
 * stop, trailing stop, market-on-open/close) is, per unit. Limit prices are never worsened.
 * - `{ "type": "bps", "bps": 2 }`: 2 basis points of the price;
 * - `{ "type": "per-share", "amount": 0.01 }`;
 * - `{ "type": "half-spread" }`: half the bar's quoted spread (0 without quotes);
 * - `{ "type": "volume-share", "impact": 0.1 }`: price × impact × (quantity / bar volume)², the
 *   square-law impact zipline and backtrader use;
 * - `{ "type": "none" }`, or a function returning the per-unit amount (>= 0).
 */
export type SlippageSpec =
  | { readonly type: 'none' }
  | { readonly type: 'bps'; readonly bps: number }
  | { readonly type: 'per-share'; readonly amount: number }
  | { readonly type: 'half-spread' }
  | { readonly type: 'volume-share'; readonly impact: number }
  | ((input: SlippageInput) => number);

/**
 * The per-unit slippage of a fill, always against the trader (the broker adds it to a buy's
 * price and subtracts it from a sell's).
 *
 * @example
 * ```ts
 * slippageModel({ type: 'bps', bps: 10 })({ symbol: 'SPY', side: 'buy', quantity: 1, price: 500, volume: 1e6, bid: NaN, ask: NaN }); // 0.5
 * ```
 */
export function slippageModel(spec: SlippageSpec = { type: 'none' }, path = 'broker.slippage'): (input: SlippageInput) => number {
  if (typeof spec === 'function') {
    return (input) => {
      const amount = spec(input);
      if (!(Number.isFinite(amount) && amount >= 0)) throw ConfigError.at(path, amount, `a slippage >= 0 per unit from the slippage function (for ${input.symbol} at ${input.price})`);
      return amount;
    };
  }
  const nonNegative = (key: string, value: unknown): number => nonNegativeAt(`${path}.${key}`, value);
  switch (spec?.type) {
    case 'none':
      return () => 0;
    case 'bps': {
      const rate = nonNegative('bps', spec.bps) / 10_000;
      return ({ price }) => price * rate;
    }
    case 'per-share': {
      const amount = nonNegative('amount', spec.amount);
      return () => amount;
    }
    case 'half-spread':
      return ({ bid, ask }) => (Number.isFinite(bid) && Number.isFinite(ask) && ask >= bid ? (ask - bid) / 2 : 0);
    case 'volume-share': {
      const impact = nonNegative('impact', spec.impact);
      return ({ price, quantity, volume }) => (volume > 0 ? price * impact * (quantity / volume) ** 2 : 0);
    }
    default:
      throw ConfigError.at(`${path}.type`, (spec as { type?: unknown } | undefined)?.type, 'one of "none", "bps", "per-share", "half-spread", "volume-share"');
  }
}
