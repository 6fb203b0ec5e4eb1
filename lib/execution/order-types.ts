/**
 * The broker simulator's vocabulary (DESIGN §8). Orders, fills and trades are plain JSON
 * objects, so the working orders are part of the broker's `carry` as they are, and every
 * record can be written to Parquet, CSV and `summary.json` without conversion.
 */

/** `buy` opens or adds to a long and covers a short; `sell` mirrors it. */
export type OrderSide = 'buy' | 'sell';

/**
 * - `market`: the next eligible bar's open.
 * - `limit`: buy when `low <= limit`, at `min(open, limit)` (sell mirrors).
 * - `stop`: buy when `high >= stop`, at `max(open, stop)`; a gap through fills at the open.
 * - `stop-limit`: the stop rule triggers it, then it is a limit order (same bar only when the path allows).
 * - `trailing-stop`: a stop that follows the best price since submission by `trail` (amount) or `trailPercent`.
 * - `market-on-open`: the symbol's first bar of the next session that opens at or after submission, at its open.
 * - `market-on-close`: the close of the symbol's last bar of the session (early closes included).
 */
export type OrderType = 'market' | 'limit' | 'stop' | 'stop-limit' | 'trailing-stop' | 'market-on-open' | 'market-on-close';

/**
 * - `day`: cancelled at the close of the session it works in (an order submitted at or after
 *   the close works in the next session).
 * - `gtc`: good until cancelled, carried across days.
 * - `ioc`: fills what it can on its first eligible bar; the rest is cancelled.
 */
export type TimeInForce = 'day' | 'gtc' | 'ioc';

/**
 * How much, resolved at fill time with the fill price (DESIGN §8), in whole lots unless the
 * instrument allows fractions:
 * - `{ shares }`: a quantity (units or contracts);
 * - `{ equityFraction }` / `{ cashFraction }`: that fraction of equity / available cash, less the broker's cash buffer;
 * - `{ targetQuantity }` / `{ targetPercent }`: trade the difference to a target position
 *   (signed: negative is short); the side follows from the difference.
 */
export type OrderSize =
  | { readonly shares: number }
  | { readonly equityFraction: number }
  | { readonly cashFraction: number }
  | { readonly targetQuantity: number }
  | { readonly targetPercent: number };

/** What a strategy asks for. Only `symbol`, `side` (not for targets) and `size` are required. */
export interface OrderRequest {
  readonly symbol: string;
  /** Required except for target sizes (where the difference decides). */
  readonly side?: OrderSide;
  readonly size: OrderSize;
  readonly type?: OrderType;
  readonly limit?: number;
  readonly stop?: number;
  /** Trailing stop distance in price units. */
  readonly trail?: number;
  /** Trailing stop distance as a fraction of the best price (0.02 = 2 %). */
  readonly trailPercent?: number;
  readonly tif?: TimeInForce;
  /** Free text carried into fills and trades (e.g. `"breakout"`). */
  readonly tag?: string;
  /** Exit orders placed when this entry fills; one filling cancels the other (OCO). */
  readonly bracket?: { readonly stopLoss?: number; readonly takeProfit?: number };
}

/** An order's life: working until one of the final states. */
export type OrderStatus = 'working' | 'partially-filled' | 'filled' | 'cancelled' | 'rejected';

/** An order as the broker keeps it (plain JSON: working orders are carried across days). */
export interface Order {
  readonly id: number;
  readonly symbol: string;
  /** Undefined for target sizes until the fill resolves it. */
  side: OrderSide | undefined;
  readonly size: OrderSize;
  readonly type: OrderType;
  limit: number | undefined;
  stop: number | undefined;
  readonly trail: number | undefined;
  readonly trailPercent: number | undefined;
  readonly tif: TimeInForce;
  readonly tag: string | undefined;
  /** The tick it was submitted at: it fills only on bars with `start >= submittedAt`. */
  readonly submittedAt: number;
  /** The session date whose close cancels a day order. */
  readonly sessionDate: string;
  status: OrderStatus;
  /** Resolved at the first fill (sizes in fractions or targets), then fixed. */
  quantity: number | undefined;
  filled: number;
  averagePrice: number;
  commission: number;
  /** A stop-limit whose stop has traded: now a limit order. */
  triggered: boolean;
  /** Best price since submission (trailing stops), null until known (JSON has no NaN). */
  watermark: number | null;
  /** Bracket: the entry's id for its exits; the exits' ids for the entry; the OCO sibling. */
  readonly parentId: number | undefined;
  readonly bracket: { readonly stopLoss?: number; readonly takeProfit?: number } | undefined;
  ocoId: number | undefined;
  /** Exits wait for their entry's fill before they work. */
  active: boolean;
}

/** Where a fill's price came from. */
export type Liquidity = 'open' | 'intrabar' | 'close' | 'quote' | 'signal-close';

/** One execution (an order may fill in several). */
export interface Fill {
  readonly orderId: number;
  readonly symbol: string;
  readonly side: OrderSide;
  /** The tick at which the fill became known (the fill bar's end; the close for a market-on-close). */
  readonly time: number;
  /** The start of the bar it filled on. */
  readonly barStart: number;
  readonly quantity: number;
  /** Price paid or received per unit, slippage included. */
  readonly price: number;
  /** Price before slippage (the rule's price: open, limit, stop, close, quote). */
  readonly basePrice: number;
  /** Slippage cost of this fill in currency (>= 0 is against the trader). */
  readonly slippage: number;
  readonly commission: number;
  readonly liquidity: Liquidity;
  /** Position after the fill. */
  readonly position: number;
  readonly tag?: string;
}

/**
 * An order state change: one row per event with the order's terms at that moment (side,
 * type, quantity, prices, filled so far), and for rejections the rule, its limit and the
 * value that broke it. Fields that do not apply are left out.
 */
export interface OrderEvent {
  readonly time: number;
  readonly orderId: number;
  readonly symbol: string;
  readonly status: OrderStatus | 'submitted' | 'replaced' | 'triggered';
  readonly side?: OrderSide;
  readonly type?: OrderType;
  readonly tif?: TimeInForce;
  /** Units ordered (undefined until a fraction or target resolves at the first fill). */
  readonly quantity?: number;
  readonly limitPrice?: number;
  readonly stopPrice?: number;
  readonly filled?: number;
  readonly averagePrice?: number;
  /** A bracket exit's entry. */
  readonly parentId?: number;
  readonly tag?: string;
  readonly detail?: string;
  /** For rejections: the rule (e.g. `"maxPositionValue"`), its limit and the value that broke it. */
  readonly rule?: string;
  readonly limit?: number;
  readonly value?: number;
}

/** One round trip, flat to flat (a reversal closes one trade and opens the next). */
export interface Trade {
  readonly symbol: string;
  readonly direction: 'long' | 'short';
  readonly entryTime: number;
  readonly exitTime: number;
  /** Average entry and exit prices (fills weighted by quantity). */
  readonly entryPrice: number;
  readonly exitPrice: number;
  /** Largest absolute position during the trade. */
  readonly quantity: number;
  /** Realised P&L after all the trade's commissions. */
  readonly pnl: number;
  /** `pnl` over the entry value (average entry price × quantity × multiplier). */
  readonly returnPct: number;
  readonly commission: number;
  readonly durationMs: number;
  /** Maximum adverse and favourable excursion, in % of the entry price, from the bars while open. */
  readonly maePct: number;
  readonly mfePct: number;
  readonly tags: readonly string[];
}

/** The account at one instant. */
export interface EquityPoint {
  readonly time: number;
  readonly equity: number;
  readonly cash: number;
  /** Σ |position value| (margin instruments: the margin they tie up, |quantity| × margin per contract). */
  readonly gross: number;
  /** Σ position value, signed. */
  readonly net: number;
}
