import type { InstrumentSpec } from './instrument.ts';
import { EQUITY_STRIDE, type EquityCurve } from './equity-curve.ts';
import type { OrderSide, Trade } from './order-types.ts';

/** A position as carried across days (plain JSON). */
export interface PositionState {
  /** Signed: negative is short. */
  quantity: number;
  /** Average entry price of the open quantity. */
  averagePrice: number;
  /** Realised P&L of this symbol over the run, before commissions. */
  realized: number;
  /** The last price it was marked at (a bar close or a fill). */
  lastPrice: number;
  /** The round trip in progress (undefined when flat). */
  trade: OpenTrade | undefined;
}

/** A round trip in progress (plain JSON, carried with its position). */
export interface OpenTrade {
  direction: 'long' | 'short';
  entryTime: number;
  entryValue: number;
  entryQuantity: number;
  exitValue: number;
  exitQuantity: number;
  maxQuantity: number;
  commission: number;
  realized: number;
  /** Lowest low and highest high seen while open. */
  low: number;
  high: number;
  /** Start of the bar an intrabar fill opened it on: that bar's range may predate the entry, only its close counts. */
  openedWithin: number | undefined;
  tags: string[];
}

/** The account as carried across days (plain JSON). */
export interface PortfolioState {
  cash: number;
  positions: Record<string, PositionState>;
}

/** The position as a strategy reads it. */
export interface PositionView {
  readonly symbol: string;
  readonly quantity: number;
  readonly averagePrice: number;
  readonly lastPrice: number;
  /** The position's value in equity (futures-like: its unrealised P&L). */
  readonly marketValue: number;
  readonly unrealizedPnl: number;
  readonly realizedPnl: number;
}

/**
 * Cash, positions and round trips. Netting: an opposite fill reduces, closes or reverses a
 * position (a reversal closes the round trip and opens a new one at the fill price).
 * Stock-like positions are worth `quantity × price × multiplier` and their purchase moves
 * cash; futures-like positions (`marginPerContract`) are marked to market: worth their
 * unrealised P&L, with realised P&L settled into cash. Either way, at every instant
 * `cash + Σ marketValue = equity` — which is how equity is computed, and what the property
 * tests check against an independent replay of the fills.
 *
 * @example
 * ```ts
 * const book = new Portfolio({ cash: 10_000, positions: {} }, () => spec);
 * book.apply('SPY', 'buy', 10, 500, 1, 0);
 * book.equity(); // 9_999
 * ```
 */
export class Portfolio {
  readonly state: PortfolioState;
  private readonly specOf: (symbol: string) => InstrumentSpec;
  /**
   * The positions of `state`, indexed with their instrument spec: the per-bar lookups and the
   * per-tick equity pass use this Map instead of the JSON object's string keys (which V8
   * keeps in dictionary mode once there are many symbols).
   */
  private readonly book = new Map<string, Holding>();
  /** The book's holdings in insertion order (it only grows): the per-tick sums loop over this, as a Map iterator allocates on every pass. */
  private readonly held: Holding[] = [];
  /** Round trips closed since the last {@link takeClosedTrades}. */
  private closed: Trade[] = [];
  /**
   * A copy of `state` a day can book into, leaving the carried record as it was. Field by
   * field rather than through JSON: a broker makes one every day, for every set of a sweep.
   */
  static copyState(state: PortfolioState): PortfolioState {
    const positions: Record<string, PositionState> = {};
    for (const symbol of Object.keys(state.positions)) {
      const p = state.positions[symbol]!;
      const t = p.trade;
      // Made as `apply` makes them, field for field (a carry read back from JSON lacks the
      // undefined ones): one shape for every position and trade keeps the per-bar marking
      // monomorphic.
      const trade: OpenTrade | undefined = t
        ? { direction: t.direction, entryTime: t.entryTime, entryValue: t.entryValue, entryQuantity: t.entryQuantity, exitValue: t.exitValue, exitQuantity: t.exitQuantity, maxQuantity: t.maxQuantity, commission: t.commission, realized: t.realized, low: t.low, high: t.high, openedWithin: t.openedWithin, tags: [...t.tags] }
        : undefined;
      positions[symbol] = { quantity: p.quantity, averagePrice: p.averagePrice, realized: p.realized, lastPrice: p.lastPrice, trade };
    }
    return { cash: state.cash, positions };
  }

  constructor(state: PortfolioState, specOf: (symbol: string) => InstrumentSpec) {
    this.state = state;
    this.specOf = specOf;
    for (const symbol of Object.keys(state.positions)) this.hold({ symbol, p: state.positions[symbol]!, spec: specOf(symbol) });
  }

  get cash(): number {
    return this.state.cash;
  }

  quantity(symbol: string): number {
    return this.book.get(symbol)?.p.quantity ?? 0;
  }

  /** The value `symbol`'s position adds to equity at its last price. */
  marketValue(symbol: string): number {
    const h = this.book.get(symbol);
    return h ? valueOf(h) : 0;
  }

  /** Notional exposure of `symbol` (signed), or for margin instruments the margin it ties up (signed by side). */
  exposure(symbol: string, quantity = this.quantity(symbol), price = this.book.get(symbol)?.p.lastPrice ?? NaN): number {
    if (quantity === 0) return 0;
    const spec = this.specOf(symbol);
    return spec.marginPerContract !== undefined ? quantity * spec.marginPerContract : quantity * price * spec.multiplier;
  }

  /** The sums {@link totals} returns, written in place (read by recordPoint at every tick without an object per tick). */
  private readonly sums = { equity: 0, gross: 0, net: 0, open: 0 };

  private sumPositions(): void {
    let equity = this.state.cash;
    let gross = 0;
    let net = 0;
    let open = 0;
    for (let i = 0; i < this.held.length; i++) {
      const h = this.held[i]!;
      if (h.p.quantity === 0) continue;
      equity += valueOf(h);
      const e = exposureOf(h);
      gross += Math.abs(e);
      net += e;
      open++;
    }
    const sums = this.sums;
    sums.equity = equity;
    sums.gross = gross;
    sums.net = net;
    sums.open = open;
  }

  private hold(holding: Holding): void {
    this.book.set(holding.symbol, holding);
    this.held.push(holding);
  }

  // Sums are recomputed from the positions each time (not kept running): a running sum would
  // drift by rounding, and a day resumed from its carry must repeat the full run's arithmetic
  // bit for bit. A pass over 100 positions costs about a microsecond.
  equity(): number {
    let equity = this.state.cash;
    for (let i = 0; i < this.held.length; i++) equity += valueOf(this.held[i]!);
    return equity;
  }

  /**
   * Equity, Σ |exposure|, Σ exposure and open positions, in one pass: the portfolio's own
   * record, valid until the next call (a risk check runs at every fill; copy what you keep).
   */
  totals(): { readonly equity: number; readonly gross: number; readonly net: number; readonly open: number } {
    this.sumPositions();
    return this.sums;
  }

  /**
   * Record the account at `tick.time` into `curve`, in one pass over the positions (its
   * equity is then `curve.lastEquity`). It runs at every tick of every broker: the point is
   * appended here, inline, with nothing boxed or allocated (see EquityCurve; not even a
   * returned number). The time comes inside an object (the tick itself): a timestamp is a
   * double, and one handed to a call that is not inlined is boxed, 16 bytes per broker and
   * tick (15 % of a sweep's garbage).
   */
  recordPoint(curve: EquityCurve, tick: { readonly time: number }): void {
    this.sumPositions();
    const { equity, gross, net } = this.sums;
    // The curve's figures, written here for the same reason as the point.
    curve.length++;
    curve.lastEquity = equity;
    if (gross > 0) curve.exposedPoints++;
    if (equity > 0) curve.exposureSum += gross / equity;
    if (gross > curve.maxGross) curve.maxGross = gross;
    if (curve.keepPoints) {
      const v = curve.room();
      const at = (curve.length - 1) * EQUITY_STRIDE;
      v[at] = tick.time;
      v[at + 1] = equity;
      v[at + 2] = this.state.cash;
      v[at + 3] = gross;
      v[at + 4] = net;
    }
  }

  view(symbol: string): PositionView {
    const h = this.book.get(symbol);
    if (!h) return { symbol, quantity: 0, averagePrice: NaN, lastPrice: NaN, marketValue: 0, unrealizedPnl: 0, realizedPnl: 0 };
    const p = h.p;
    const unrealized = p.quantity === 0 ? 0 : p.quantity * (p.lastPrice - p.averagePrice) * h.spec.multiplier;
    return { symbol, quantity: p.quantity, averagePrice: p.quantity === 0 ? NaN : p.averagePrice, lastPrice: p.lastPrice, marketValue: valueOf(h), unrealizedPnl: unrealized, realizedPnl: p.realized };
  }

  /** How many positions are open (no list made, unlike {@link openSymbols}). */
  openCount(): number {
    let n = 0;
    for (let i = 0; i < this.held.length; i++) if (this.held[i]!.p.quantity !== 0) n++;
    return n;
  }

  /** Symbols with a non-zero position, in the order they were first traded. */
  openSymbols(): string[] {
    const out: string[] = [];
    for (const h of this.held) if (h.p.quantity !== 0) out.push(h.symbol);
    return out;
  }

  /**
   * Book a fill of `quantity` (> 0) units at `price` with `commission`, at `time` on the
   * bar starting `barStart` (`intrabar`: the fill happened inside that bar, so its range may
   * predate the entry). Returns the position after the fill.
   */
  apply(symbol: string, side: OrderSide, quantity: number, price: number, commission: number, time: number, barStart?: number, intrabar = false, tag?: string): number {
    let holding = this.book.get(symbol);
    if (!holding) {
      const fresh: PositionState = { quantity: 0, averagePrice: 0, realized: 0, lastPrice: price, trade: undefined };
      this.state.positions[symbol] = fresh;
      this.hold((holding = { symbol, p: fresh, spec: this.specOf(symbol) }));
    }
    const spec = holding.spec;
    const m = spec.multiplier;
    const p = holding.p;
    const signed = side === 'buy' ? quantity : -quantity;
    const before = p.quantity;
    const futures = spec.marginPerContract !== undefined;
    this.state.cash -= commission;
    if (!futures) this.state.cash -= signed * price * m;
    // The part that reduces the open position (0 when adding or opening).
    const closing = before !== 0 && Math.sign(before) !== Math.sign(signed) ? Math.min(Math.abs(before), quantity) : 0;
    const opening = quantity - closing;
    if (closing > 0) {
      const pnl = closing * (price - p.averagePrice) * m * Math.sign(before);
      p.realized += pnl;
      if (futures) this.state.cash += pnl;
      const trade = p.trade!;
      trade.exitValue += closing * price;
      trade.exitQuantity += closing;
      trade.realized += pnl;
      trade.commission += (commission * closing) / quantity;
      if (tag && !trade.tags.includes(tag)) trade.tags.push(tag);
    }
    const after = before + signed;
    if (closing > 0 && Math.abs(before) === closing) this.finishTrade(symbol, p, price, time);
    if (opening > 0) {
      const adding = before !== 0 && closing === 0;
      p.averagePrice = adding ? (p.averagePrice * Math.abs(before) + price * opening) / (Math.abs(before) + opening) : price;
      if (!p.trade) {
        p.trade = { direction: signed > 0 ? 'long' : 'short', entryTime: time, entryValue: 0, entryQuantity: 0, exitValue: 0, exitQuantity: 0, maxQuantity: 0, commission: 0, realized: 0, low: price, high: price, openedWithin: intrabar ? barStart : undefined, tags: tag ? [tag] : [] };
      }
      const trade = p.trade;
      trade.entryValue += opening * price;
      trade.entryQuantity += opening;
      trade.maxQuantity = Math.max(trade.maxQuantity, Math.abs(after));
      trade.commission += (commission * opening) / quantity;
      if (tag && !trade.tags.includes(tag)) trade.tags.push(tag);
    }
    p.quantity = after;
    p.lastPrice = price;
    // Guard against float dust leaving a "position" of 1e-12 after fractional fills.
    if (Math.abs(p.quantity) < 1e-9) p.quantity = 0;
    return p.quantity;
  }

  /** `symbol`'s position with its spec, once it has had one (the broker keeps it to mark without lookups). */
  holding(symbol: string): Holding | undefined {
    return this.book.get(symbol);
  }

  /** Mark `symbol` at `price` (its value in equity follows). */
  mark(symbol: string, price: number): void {
    const h = this.book.get(symbol);
    if (h) h.p.lastPrice = price;
  }

  /**
   * Mark a holding at a bar: its close is the last price; an open trade's excursions grow by
   * its range. The bar comes as one object: four prices handed over separately were boxed at
   * every call (a sweep makes this call per tick for hundreds of brokers).
   */
  markHolding(h: Holding, bar: { readonly start: number; readonly high: number; readonly low: number; readonly close: number }): void {
    markPrices(h, bar.start, bar.high, bar.low, bar.close);
  }

  /** {@link markHolding} from bar `k` of `bars`, read in place. */
  markHoldingAt(h: Holding, bars: { start(k: number): number; high(k: number): number; low(k: number): number; close(k: number): number }, k: number): void {
    markPrices(h, bars.start(k), bars.high(k), bars.low(k), bars.close(k));
  }

  /** Round trips closed since the last call, oldest first. */
  takeClosedTrades(): Trade[] {
    const out = this.closed;
    this.closed = [];
    return out;
  }

  private finishTrade(symbol: string, p: PositionState, price: number, time: number): void {
    const t = p.trade!;
    const spec = this.book.get(symbol)!.spec;
    const entry = t.entryValue / t.entryQuantity;
    const exit = t.exitValue / t.exitQuantity;
    const long = t.direction === 'long';
    const low = Math.min(t.low, price);
    const high = Math.max(t.high, price);
    const pnl = t.realized - t.commission;
    this.closed.push({
      symbol,
      direction: t.direction,
      entryTime: t.entryTime,
      exitTime: time,
      entryPrice: entry,
      exitPrice: exit,
      quantity: t.maxQuantity,
      pnl,
      returnPct: (pnl / (entry * t.maxQuantity * spec.multiplier)) * 100,
      commission: t.commission,
      durationMs: time - t.entryTime,
      maePct: ((long ? low - entry : entry - high) / entry) * 100,
      mfePct: ((long ? high - entry : entry - low) / entry) * 100,
      tags: t.tags,
    });
    p.trade = undefined;
  }
}

/** A position with its symbol and instrument spec. */
export interface Holding {
  readonly symbol: string;
  readonly p: PositionState;
  readonly spec: InstrumentSpec;
}

/**
 * Mark `h` at a bar (start, high, low, close): the close is its last price, and an open
 * trade's excursions grow by the bar's range. Small enough to be inlined into both callers, so
 * the four prices are never boxed.
 */
function markPrices(h: Holding, start: number, high: number, low: number, close: number): void {
  const p = h.p;
  p.lastPrice = close;
  const trade = p.trade;
  if (!trade) return;
  // The bar an intrabar fill opened the trade on: its high and low may have come before the entry.
  // The type test first: compared as it was (undefined or a number against a double), the
  // bar's start was boxed on every bar of every held position.
  const within = trade.openedWithin;
  const whole = typeof within !== 'number' || within !== start;
  trade.high = Math.max(trade.high, whole ? high : close);
  trade.low = Math.min(trade.low, whole ? low : close);
}

/** What the holding adds to equity at its last price (margin instruments: unrealised P&L). */
function valueOf(h: Holding): number {
  const p = h.p;
  if (p.quantity === 0) return 0;
  return h.spec.marginPerContract !== undefined ? p.quantity * (p.lastPrice - p.averagePrice) * h.spec.multiplier : p.quantity * p.lastPrice * h.spec.multiplier;
}

/** Signed notional (margin instruments: signed margin). */
function exposureOf(h: Holding): number {
  const p = h.p;
  if (p.quantity === 0) return 0;
  return h.spec.marginPerContract !== undefined ? p.quantity * h.spec.marginPerContract : p.quantity * p.lastPrice * h.spec.multiplier;
}
