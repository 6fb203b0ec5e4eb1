import { ConfigError } from '../errors.ts';
import type { Bar } from '../session/bar-series.ts';
import { commissionModel, type CommissionInput, type CommissionSpec } from './commission-model.ts';
import { instrumentSpec, type InstrumentInput, type InstrumentSpec } from './instrument.ts';
import { EquityCurve } from './equity-curve.ts';
import type { Fill, Liquidity, Order, OrderEvent, OrderRequest, OrderSide, OrderType, Trade } from './order-types.ts';
import { Portfolio, type Holding, type PortfolioState, type PositionState } from './portfolio.ts';
import { riskLimits, type RiskLimits } from './risk-limits.ts';
import { slippageModel, type SlippageSpec } from './slippage-model.ts';

/** Broker settings (DESIGN §8). Options that change the fill rules are echoed in every day's report. */
export interface BrokerOptions {
  /** Starting cash (default 100 000). */
  readonly cash?: number;
  readonly commission?: CommissionSpec;
  readonly slippage?: SlippageSpec;
  /** Per symbol, and `"*"` for all: multiplier, margin per contract, lot and tick size, shortable, fractional. */
  readonly instruments?: Readonly<Record<string, InstrumentInput>>;
  /** Fraction of cash or equity kept back when sizing by fractions and targets (0.0025 = 0.25 %). */
  readonly cashBuffer?: number;
  /** Fill market orders at the close of the bar that produced the signal (a common convention, not realistic). */
  readonly tradeOnClose?: boolean;
  /** At most this fraction of a bar's volume per order and bar (e.g. 0.1); the rest keeps working as partial fills. */
  readonly maxParticipation?: number;
  /**
   * Record the account at every tick as a point of the day's `equity` table (default true).
   * Off, the day's figures (exposure, largest gross, ticks with a position) are still kept:
   * a sweep runs hundreds of brokers and its statistics read only those.
   */
  readonly equityPoints?: boolean;
  /**
   * Record every order event and fill as rows of the day's `orders` and `fills` tables
   * (default true). Off, only their counts and sums are kept (the day's report shows them): a
   * sweep runs hundreds of brokers and its statistics read nothing else.
   */
  readonly journal?: boolean;
  readonly risk?: RiskLimits;
}

/** A base bar as the broker matches it: bid and ask at the bar's start when the store has quotes, else NaN. */
export interface FillBar extends Omit<Bar, 'partial'> {
  readonly bid: number;
  readonly ask: number;
}

/** The session the broker works in. */
export interface BrokerSession {
  readonly date: string;
  readonly open: number;
  readonly close: number;
}

/** What crosses days (DESIGN §7): cash, positions, working orders and the kill switch. Plain JSON. */
export interface BrokerCarry {
  readonly version: 1;
  readonly portfolio: PortfolioState;
  readonly orders: readonly Order[];
  readonly nextId: number;
  readonly peakEquity: number;
  /** The rule that stopped trading for the rest of the run, if one did. */
  readonly killedBy: string | null;
}

/** Everything the broker recorded in one session. */
export interface BrokerDay {
  /** Every order state change (empty without `journal`). */
  readonly events: OrderEvent[];
  /** Every fill (empty without `journal`). */
  readonly fills: Fill[];
  readonly trades: Trade[];
  /** One point per tick (columns; `rows()` for the table). */
  readonly equity: EquityCurve;
  equityStart: number;
  haltedBy: string | undefined;
  /** Orders submitted and rejected, and fills, counted as they happen (with or without `journal`). */
  orders: number;
  rejected: number;
  fillCount: number;
  /** Σ commission, Σ slippage cost and Σ traded value of the fills, summed in fill order. */
  fees: number;
  slippage: number;
  turnover: number;
}

/** How a fill came about, for the price rules and the path of a bracket's exits. */
interface Match {
  readonly price: number;
  readonly liquidity: Liquidity;
  /** Market-type fills take slippage; limit prices are never worsened. */
  readonly market: boolean;
  /** `'stop'`-like or `'limit'`-like, for one bar with two orders (the stop goes first). */
  readonly kind: 'stop' | 'limit';
  /** Inside the bar: the direction the price travelled to reach it (+1 up, -1 down), 0 at the open. */
  readonly travel: -1 | 0 | 1;
}

const DEFAULT_CASH = 100_000;
const NO_OPTIONS: { bypassHalt?: boolean; reference?: number; signalBar?: FillBar } = {};
const EPSILON = 1e-9;

/**
 * The broker simulator: orders, fills, costs, portfolio and risk limits, by the fixed rules
 * of DESIGN §8. Framework-free and deterministic; the `broker()` component drives it through
 * a day: `beginSession`, then per tick `onBar` for each base bar that became visible (before
 * any strategy runs) and `endTick`, orders from strategies via `submit`, `closeSession` at
 * the close tick and `endSession` in Phase 4. Its {@link carry} is the only state that
 * crosses days, so any day re-runs identically from the previous day's carry.
 *
 * Fill rules per base bar, for orders submitted at or before the bar's start:
 * 1. at the open: market and market-on-open fill at the open (the ask/bid with quotes); a
 *    limit, stop or trailing stop the open has already gone through fills at the open;
 * 2. inside the bar: a buy limit with `low <= limit` at the limit, a buy stop with
 *    `high >= stop` at the stop (sells mirror); when both orders of an OCO pair could fill,
 *    the stop fills and the limit is cancelled (the bar's path is unknown: pessimistic);
 * 3. a bracket's exits work from their entry's fill: after a fill at the open they are
 *    matched on the rest of the bar; after a fill inside it, a stop exit whose price the bar
 *    reached fills (pessimistic), and a limit exit only when the price was travelling toward
 *    it at the entry (then the bar's extreme certainly came after the entry).
 * Base bars are the finest data of a run, so with 1m bars under a 5m strategy the 1m bars
 * decide which of two orders filled first.
 *
 * @example
 * ```ts
 * const broker = new Broker({ cash: 10_000, commission: { type: 'per-share', rate: 0.005, minimum: 1 } });
 * broker.beginSession({ date: '2024-01-02', open, close });
 * broker.submit({ symbol: 'SPY', side: 'buy', size: { shares: 10 } }, open);
 * broker.onBar('SPY', bar);        // fills at bar.open
 * broker.endTick(bar.end);
 * ```
 */
export class Broker {
  readonly options: BrokerOptions;
  readonly portfolio: Portfolio;
  private readonly fee: (input: CommissionInput) => number;
  private readonly slip: ReturnType<typeof slippageModel>;
  /** Whether a slippage model is set (without one, no input record is made per fill). */
  private readonly slips: boolean;
  /** Whether order events and fills are recorded as rows (BrokerOptions.journal). */
  private readonly journal: boolean;
  private readonly limits: RiskLimits;
  private readonly specs = new Map<string, InstrumentSpec>();
  /** Working orders in submission order (final orders leave this list). */
  private working: Order[] = [];
  private readonly byId = new Map<number, Order>();
  private nextId: number;
  private peakEquity: number;
  private killedBy: string | null;
  private session: BrokerSession | undefined;
  /** Per symbol: its last bar this session (market-on-close, trade on close), its working orders and its holding (see SymbolBook). */
  private readonly books = new Map<string, SymbolBook>();
  private record: BrokerDay = Broker.emptyDay(0, true);
  /** Reused by onBar and matchBar for every bar (see FillsOnBar). */
  private readonly eligible: Order[] = [];
  private readonly filledHere = new FillsOnBar();

  constructor(options: BrokerOptions = {}, carried?: BrokerCarry) {
    this.options = options;
    const cash = options.cash ?? DEFAULT_CASH;
    if (!(Number.isFinite(cash) && cash > 0)) throw ConfigError.at('broker.cash', cash, 'a starting cash > 0');
    const buffer = options.cashBuffer ?? 0;
    if (!(Number.isFinite(buffer) && buffer >= 0 && buffer < 1)) throw ConfigError.at('broker.cashBuffer', buffer, 'a fraction >= 0 and < 1 (0.0025 = 0.25 %)');
    const cap = options.maxParticipation;
    if (cap !== undefined && !(Number.isFinite(cap) && cap > 0 && cap <= 1)) throw ConfigError.at('broker.maxParticipation', cap, 'a fraction of bar volume > 0 and <= 1');
    this.fee = commissionModel(options.commission);
    this.slip = slippageModel(options.slippage);
    this.journal = options.journal ?? true;
    this.slips = options.slippage !== undefined && !(typeof options.slippage === 'object' && options.slippage.type === 'none');
    this.limits = riskLimits(options.risk);
    for (const symbol of Object.keys(options.instruments ?? {})) instrumentSpec(options.instruments, symbol);
    // The carry is the run's record of yesterday (a resumed run reads it back): the day books into a copy.
    const state: PortfolioState = carried ? Portfolio.copyState(carried.portfolio) : { cash, positions: {} };
    this.portfolio = new Portfolio(state, (symbol) => this.spec(symbol));
    this.nextId = carried?.nextId ?? 1;
    this.peakEquity = carried?.peakEquity ?? cash;
    this.killedBy = carried?.killedBy ?? null;
    // Every carried position has its book (and holding) from the start.
    for (const symbol of this.portfolio.openSymbols()) this.book(symbol);
    // Copies, as above (an order's size and bracket are never changed, so they are shared).
    for (const order of carried?.orders ?? []) this.addWorking({ ...order });
  }

  /**
   * `symbol`'s book, made on first use (a book with no order and no position costs nothing
   * but its record). Pass it to {@link onBar} when it is `live`.
   */
  book(symbol: string): SymbolBook {
    let book = this.books.get(symbol);
    if (!book) {
      this.books.set(symbol, (book = { bar: undefined, pending: undefined, pendingIndex: 0, orders: [], holding: this.portfolio.holding(symbol), live: false }));
      book.live = needsBar(book);
    }
    return book;
  }

  /** The instrument spec of `symbol` (stock defaults unless configured). */
  spec(symbol: string): InstrumentSpec {
    let spec = this.specs.get(symbol);
    if (!spec) this.specs.set(symbol, (spec = instrumentSpec(this.options.instruments, symbol)));
    return spec;
  }

  /** What this session recorded so far. */
  get day(): BrokerDay {
    return this.record;
  }

  get cash(): number {
    return this.portfolio.cash;
  }

  equity(): number {
    return this.portfolio.equity();
  }

  /** Why trading is stopped (a risk rule), or undefined. */
  get haltedBy(): string | undefined {
    return this.killedBy ?? this.record.haltedBy;
  }

  /** How many orders are working (no copies made, unlike {@link openOrders}). */
  openOrderCount(): number {
    let n = 0;
    for (const o of this.working) if (o.active) n++;
    return n;
  }

  /** Working orders (optionally of one symbol), oldest first. Copies: change them through {@link replace}. */
  openOrders(symbol?: string): Order[] {
    return this.working.filter((o) => o.active && (symbol === undefined || o.symbol === symbol)).map((o) => ({ ...o }));
  }

  order(id: number): Order | undefined {
    const order = this.byId.get(id);
    return order ? { ...order } : undefined;
  }

  /** Start a session: day orders submitted after the last close join it; the day's records start empty. */
  beginSession(session: BrokerSession): void {
    this.session = session;
    for (const book of this.books.values()) {
      book.bar = undefined;
      book.pending = undefined;
    }
    // One point per tick: a tick per minute at most with minute bars (finer bars grow the curve).
    this.record = Broker.emptyDay(this.equity(), this.options.equityPoints ?? true, Math.ceil((session.close - session.open) / 60_000) + 1);
    this.record.haltedBy = this.killedBy ?? undefined;
    for (const order of this.working) if ((order as { sessionDate: string }).sessionDate === '') (order as { sessionDate: string }).sessionDate = session.date;
  }

  /**
   * Accept an order at tick `now`: it can fill only on bars starting at or after `now`. A
   * malformed request throws a ConfigError naming the field and value; an order the
   * account may not place (trading halted by a risk rule) is recorded as rejected. Returns
   * the order as the broker keeps it (read-only: its status, fills and average price follow
   * it; change it through {@link cancel} and {@link replace}).
   */
  submit(request: OrderRequest, now: number, options: { bypassHalt?: boolean; reference?: number | undefined; signalBar?: FillBar | undefined } = NO_OPTIONS): Readonly<Order> {
    const order = this.makeOrder(request, now, undefined);
    this.event(now, order, 'submitted');
    const halted = this.haltedBy;
    if (halted && !options.bypassHalt) {
      this.reject(now, order, { rule: halted, detail: `trading is stopped by ${halted}` });
      return order;
    }
    if (order.type === 'trailing-stop' && options.reference !== undefined && Number.isFinite(options.reference)) order.watermark = options.reference;
    this.addWorking(order);
    if (this.options.tradeOnClose && order.type === 'market') {
      // The documented convention: fill at the close of the bar that produced the signal.
      const bar = options.signalBar ?? this.lastBar(order.symbol);
      if (bar && bar.end === now) this.fill(order, bar, { price: bar.close, liquidity: 'signal-close', market: true, kind: 'stop', travel: 0 }, now);
    }
    return order;
  }

  /** Cancel a working order (and a bracket entry's pending exits). False when it is not working. */
  cancel(id: number, now: number, detail = 'cancelled'): boolean {
    const order = this.byId.get(id);
    if (!order || !isWorking(order)) return false;
    this.finish(order, 'cancelled', now, { detail });
    for (const child of this.working) if (child.parentId === id && !child.active) this.finish(child, 'cancelled', now, { detail: `entry ${id} cancelled` });
    return true;
  }

  /**
   * Change a working order's limit, stop or size; it keeps its id and queue place, and from
   * `now` on it fills only on bars starting at or after `now`, like a new order.
   */
  replace(id: number, changes: { readonly limit?: number; readonly stop?: number; readonly shares?: number }, now: number): Order {
    const order = this.byId.get(id);
    if (!order || !isWorking(order)) throw ConfigError.at('replace.id', id, 'the id of a working order');
    if (changes.limit !== undefined) order.limit = positivePrice('replace.limit', changes.limit);
    if (changes.stop !== undefined) order.stop = positivePrice('replace.stop', changes.stop);
    if (changes.shares !== undefined) {
      if (!(Number.isFinite(changes.shares) && changes.shares > order.filled)) throw ConfigError.at('replace.shares', changes.shares, `a quantity above what already filled (${order.filled})`);
      order.quantity = changes.shares;
    }
    (order as { submittedAt: number }).submittedAt = now;
    this.event(now, order, 'replaced');
    return { ...order };
  }

  /**
   * Match `symbol`'s working orders against its base bar (visible now), then mark the
   * position at the bar's close.
   */
  onBar(symbol: string, input: FillBar, known?: SymbolBook): void {
    // The caller may reuse `input` for the next bar: keep a copy per symbol (one record each, reused).
    const book = known ?? this.book(symbol);
    let bar = book.bar;
    // The book's bar is reset each session: none yet means this is the symbol's first bar today.
    const first = bar === undefined && book.pending === undefined;
    book.pending = undefined;
    if (!bar) book.bar = bar = { start: input.start, end: input.end, open: input.open, high: input.high, low: input.low, close: input.close, volume: input.volume, bid: input.bid, ask: input.ask };
    else copyBar(input, bar);
    const now = bar.end;
    // The symbol's own working orders (not every working order of the account, per symbol and
    // bar), listed in the broker's reused list: filling changes book.orders under the loop.
    const orders = book.orders;
    const eligible = this.eligible;
    let n = 0;
    for (let i = 0; i < orders.length; i++) {
      const order = orders[i]!;
      if (!order.active || bar.start < order.submittedAt || order.type === 'market-on-close') continue;
      if (order.type === 'market-on-open' && !(first && this.session !== undefined && this.session.open >= order.submittedAt)) continue;
      eligible[n++] = order;
    }
    if (n > 0) this.matchBar(eligible, n, bar, now);
    if (book.holding) this.portfolio.markHolding(book.holding, bar);
  }

  /**
   * {@link onBar} for a symbol with a position and no working order (nothing to match): mark
   * the position at bar `k` of `bars`, read in place. The bar is copied into the book only when
   * something needs it later (a close-time fill, trade on close): a broker marks every held
   * symbol at every tick, and a sweep runs hundreds of brokers.
   */
  markAt(book: SymbolBook, bars: BarSource, k: number): void {
    book.pending = bars;
    book.pendingIndex = k;
    if (book.holding) this.portfolio.markHoldingAt(book.holding, bars, k);
  }

  /** After the tick's bars: record the equity point, then the daily-loss and drawdown limits. */
  endTick(time: number): void {
    this.endTickAt({ time });
  }

  /**
   * {@link endTick} for a tick given as an object holding its time (the tick's slice): the
   * broker component calls this at every tick of every broker, and a timestamp handed over
   * as a number to a call that is not inlined is boxed each time.
   */
  endTickAt(tick: { readonly time: number }): void {
    this.portfolio.recordPoint(this.record.equity, tick);
    const equity = this.record.equity.lastEquity;
    if (equity > this.peakEquity) this.peakEquity = equity;
    // The checks on their own: small, this stays inlined into the broker's per-tick handler.
    if (this.limits.maxDrawdown !== undefined || this.limits.maxDailyLoss !== undefined) this.checkLossLimits(tick, equity);
  }

  /** The daily-loss and drawdown limits at the tick's equity: the first breach halts trading. */
  private checkLossLimits(tick: { readonly time: number }, equity: number): void {
    if (this.haltedBy) return;
    const { maxDailyLoss, maxDrawdown } = this.limits;
    if (maxDrawdown !== undefined && equity <= this.peakEquity * (1 - maxDrawdown)) {
      this.killedBy = 'maxDrawdown';
      this.halt(tick.time, 'maxDrawdown', `equity ${round(equity)} is ${round((1 - equity / this.peakEquity) * 100)} % below its peak ${round(this.peakEquity)} (limit ${maxDrawdown * 100} %)`);
    } else if (maxDailyLoss !== undefined && equity <= this.record.equityStart * (1 - maxDailyLoss)) {
      this.record.haltedBy = 'maxDailyLoss';
      this.halt(tick.time, 'maxDailyLoss', `equity ${round(equity)} is ${round((1 - equity / this.record.equityStart) * 100)} % below the day's start ${round(this.record.equityStart)} (limit ${maxDailyLoss * 100} %)`);
    }
  }

  /**
   * At the close tick, after its bars: market-on-close orders fill at the close of their
   * symbol's last bar of the session (if it started at or after submission), and with
   * `flattenAtClose` every position is closed the same way and every order cancelled.
   */
  closeSession(time: number): void {
    for (const order of [...this.working]) {
      if (order.type !== 'market-on-close' || !order.active || !isWorking(order)) continue;
      const bar = this.lastBar(order.symbol);
      if (bar && bar.start >= order.submittedAt && this.fill(order, bar, { price: bar.close, liquidity: 'close', market: true, kind: 'stop', travel: 0 }, time)) {
        // Marked at the close, not at the slipped fill price.
        this.portfolio.mark(order.symbol, bar.close);
      }
    }
    if (!this.limits.flattenAtClose) return;
    for (const order of [...this.working]) if (isWorking(order)) this.finish(order, 'cancelled', time, { detail: 'flattenAtClose' });
    for (const symbol of this.portfolio.openSymbols()) {
      const bar = this.lastBar(symbol);
      if (!bar) continue;
      const quantity = this.portfolio.quantity(symbol);
      const order = this.makeOrder({ symbol, side: quantity > 0 ? 'sell' : 'buy', size: { shares: Math.abs(quantity) }, type: 'market-on-close', tag: 'flattenAtClose' }, time, undefined);
      this.event(time, order, 'submitted', 'flattenAtClose');
      this.addWorking(order);
      this.fill(order, bar, { price: bar.close, liquidity: 'close', market: true, kind: 'stop', travel: 0 }, time);
      this.portfolio.mark(symbol, bar.close);
    }
  }

  /** Phase 4: day orders of this session expire; the day's closed trades are recorded. */
  endSession(time: number): void {
    const date = this.session?.date;
    for (const order of [...this.working]) {
      if (!isWorking(order) || order.tif === 'gtc' || order.sessionDate !== date) continue;
      this.finish(order, 'cancelled', time, { detail: order.type === 'market-on-close' ? `no bar of ${order.symbol} at or after submission in the session` : 'day order expired at the close' });
    }
    this.record.trades.push(...this.portfolio.takeClosedTrades());
  }

  /** Positions at this instant (non-zero), as plain rows. */
  positions(): Array<{ symbol: string } & Omit<PositionState, 'trade'>> {
    return this.portfolio.openSymbols().map((symbol) => {
      const { trade: _trade, ...rest } = this.portfolio.state.positions[symbol]!;
      return { symbol, ...rest };
    });
  }

  /**
   * The state the next day starts from, as the broker holds it (live objects, not a copy: do
   * not change them). For a component's `carry()`, whose result the run copies anyway.
   */
  state(): BrokerCarry {
    return { version: 1, portfolio: this.portfolio.state, orders: this.working, nextId: this.nextId, peakEquity: this.peakEquity, killedBy: this.killedBy };
  }

  /** The state the next day starts from: a plain-JSON copy. */
  carry(): BrokerCarry {
    // Through JSON: keys holding undefined disappear, so the carry is exactly what a file would hold.
    return JSON.parse(JSON.stringify({ version: 1, portfolio: this.portfolio.state, orders: this.working, nextId: this.nextId, peakEquity: this.peakEquity, killedBy: this.killedBy })) as BrokerCarry;
  }

  // ---------------------------------------------------------------------------------------

  /** `symbol`'s last bar this session (made from the bar {@link markAt} saw last, if that came later), or undefined. */
  private lastBar(symbol: string): MutableBar | undefined {
    const book = this.books.get(symbol);
    if (book === undefined) return undefined;
    const from = book.pending;
    if (from !== undefined) {
      const k = book.pendingIndex;
      const bar = (book.bar ??= { start: 0, end: 0, open: 0, high: 0, low: 0, close: 0, volume: 0, bid: Number.NaN, ask: Number.NaN });
      bar.start = from.start(k);
      bar.end = from.end(k);
      bar.open = from.open(k);
      bar.high = from.high(k);
      bar.low = from.low(k);
      bar.close = from.close(k);
      bar.volume = from.volume(k);
      bar.bid = Number.NaN;
      bar.ask = Number.NaN;
      book.pending = undefined;
    }
    return book.bar;
  }

  private static emptyDay(equityStart: number, equityPoints: boolean, expectedPoints = 0): BrokerDay {
    return { events: [], fills: [], trades: [], equity: new EquityCurve(equityPoints, expectedPoints), equityStart, haltedBy: undefined, orders: 0, rejected: 0, fillCount: 0, fees: 0, slippage: 0, turnover: 0 };
  }

  private addWorking(order: Order): void {
    this.working.push(order);
    this.byId.set(order.id, order);
    const book = this.book(order.symbol);
    book.orders.push(order);
    book.live = true;
  }

  private makeOrder(request: OrderRequest, now: number, parentId: number | undefined): Order {
    if (!request || typeof request.symbol !== 'string' || request.symbol === '') throw ConfigError.at('order.symbol', request?.symbol, 'a symbol');
    const type: OrderType = request.type ?? (request.limit !== undefined && request.stop !== undefined ? 'stop-limit' : request.limit !== undefined ? 'limit' : request.stop !== undefined ? 'stop' : request.trail !== undefined || request.trailPercent !== undefined ? 'trailing-stop' : 'market');
    const size = request.size;
    const kind = sizeKind(size);
    if (kind === undefined) throw ConfigError.at('order.size', size, 'one of {shares}, {equityFraction}, {cashFraction}, {targetQuantity}, {targetPercent}');
    const amount = (size as unknown as Record<string, number>)[kind]!;
    const target = kind === 'targetQuantity' || kind === 'targetPercent';
    if (!Number.isFinite(amount) || (!target && amount <= 0)) throw ConfigError.at(`order.size.${kind}`, amount, target ? 'a finite target' : 'a number > 0');
    if (!target && request.side !== 'buy' && request.side !== 'sell') throw ConfigError.at('order.side', request.side, '"buy" or "sell"');
    if (target && type !== 'market' && type !== 'market-on-open' && type !== 'market-on-close') throw ConfigError.at('order.type', type, 'a market, market-on-open or market-on-close type for a target size (its side is only known at the fill)');
    if (target && request.bracket) throw ConfigError.at('order.bracket', request.bracket, 'no bracket on a target order (its side is only known at the fill)');
    const tif = request.tif ?? 'day';
    if (tif !== 'day' && tif !== 'gtc' && tif !== 'ioc') throw ConfigError.at('order.tif', tif, 'one of "day", "gtc", "ioc"');
    const needsLimit = type === 'limit' || type === 'stop-limit';
    const needsStop = type === 'stop' || type === 'stop-limit';
    if (needsLimit) positivePrice('order.limit', request.limit);
    if (needsStop) positivePrice('order.stop', request.stop);
    if (type === 'trailing-stop') {
      if ((request.trail === undefined) === (request.trailPercent === undefined)) throw ConfigError.at('order.trail', request.trail ?? request.trailPercent, 'exactly one of trail (price units) or trailPercent (a fraction)');
      if (request.trail !== undefined) positivePrice('order.trail', request.trail);
      if (request.trailPercent !== undefined && !(request.trailPercent > 0 && request.trailPercent < 1)) throw ConfigError.at('order.trailPercent', request.trailPercent, 'a fraction > 0 and < 1 (0.02 = 2 %)');
    }
    if (request.bracket) {
      if (request.bracket.stopLoss !== undefined) positivePrice('order.bracket.stopLoss', request.bracket.stopLoss);
      if (request.bracket.takeProfit !== undefined) positivePrice('order.bracket.takeProfit', request.bracket.takeProfit);
    }
    const session = this.session;
    const shares = kind === 'shares' ? amount : undefined;
    return {
      id: this.nextId++,
      symbol: request.symbol,
      side: request.side,
      size,
      type,
      limit: needsLimit ? request.limit : undefined,
      stop: needsStop ? request.stop : undefined,
      trail: request.trail,
      trailPercent: request.trailPercent,
      tif,
      tag: request.tag,
      submittedAt: now,
      // A day order submitted at or after the close works in the next session; so does a
      // market-on-open submitted after the open (it needs the next session's first bar).
      sessionDate: session && (type === 'market-on-open' ? now <= session.open : now < session.close) ? session.date : '',
      status: 'working',
      quantity: shares !== undefined && target === false ? this.roundQuantity(request.symbol, shares, 'order.size.shares') : undefined,
      filled: 0,
      averagePrice: 0,
      commission: 0,
      triggered: false,
      watermark: null,
      parentId,
      bracket: request.bracket,
      ocoId: undefined,
      active: true,
    };
  }

  /** `quantity` in whole lots (or as is for fractional instruments); a ConfigError when it is not. */
  private roundQuantity(symbol: string, quantity: number, path: string): number {
    const spec = this.spec(symbol);
    if (spec.fractional) return quantity;
    const lots = quantity / spec.lotSize;
    if (Math.abs(lots - Math.round(lots)) > EPSILON) throw ConfigError.at(path, quantity, `a whole number of lots of ${spec.lotSize} for ${symbol} (the instrument is not fractional)`);
    return Math.round(lots) * spec.lotSize;
  }

  /** Match the first `n` of `orders` (the bar's eligible orders) against `bar`. */
  private matchBar(orders: readonly Order[], n: number, bar: FillBar, now: number): void {
    const filledHere = this.filledHere;
    filledHere.clear();
    // 1. At the open.
    for (let i = 0; i < n; i++) {
      const order = orders[i]!;
      if (!isWorking(order)) continue;
      const match = this.atOpen(order, bar, now);
      if (match && this.fill(order, bar, match, now)) filledHere.add(order, match);
    }
    // 2. Inside the bar, a pair's stop before its limit. An order that took its part at the
    // open is done for this bar (the volume cap is per order and bar).
    // The common case — market orders all filled at the open — needs no second pass.
    let rest: Order[] | undefined;
    for (let i = 0; i < n; i++) {
      const o = orders[i]!;
      if (isWorking(o) && o.active && !filledHere.has(o)) (rest ??= []).push(o);
    }
    if (rest) this.intrabar(rest, bar, now, filledHere, 0);
    // 3. Exits of entries that filled on this bar.
    for (let i = 0; i < filledHere.count; i++) {
      const order = filledHere.orders[i]!;
      const match = filledHere.matches[i]!;
      if (!order.bracket) continue;
      const exits = this.working.filter((o) => o.parentId === order.id && o.active && isWorking(o) && !firstHave(orders, n, o));
      if (exits.length === 0) continue;
      if (match.travel === 0) {
        for (const exit of exits) {
          const m = this.atOpen(exit, bar, now);
          if (m && this.fill(exit, bar, m, now)) filledHere.add(exit, m);
        }
        this.intrabar(exits.filter((o) => isWorking(o) && !filledHere.has(o)), bar, now, filledHere, 0);
      } else {
        // An exit already through at the entry's price fills there, as one through at the open
        // fills at the open (never at its own price outside the bar).
        const atEntry = { ...bar, open: match.price };
        for (const exit of exits) {
          const m = this.atOpen(exit, atEntry, now);
          if (m && this.fill(exit, bar, { ...m, liquidity: 'intrabar', travel: match.travel }, now)) filledHere.add(exit, m);
        }
        // After an intrabar entry only what the path allows: any stop the bar reached
        // (pessimistic), a limit only in the direction the price was already going.
        this.intrabar(
          exits.filter((o) => isWorking(o) && !filledHere.has(o)),
          bar,
          now,
          filledHere,
          match.travel,
        );
      }
    }
    for (let i = 0; i < n; i++) {
      const order = orders[i]!;
      // Trailing stops follow the bar's best price after their check (the bar's extreme may come after its low).
      if (order.type === 'trailing-stop' && isWorking(order)) {
        const best = order.side === 'sell' ? bar.high : bar.low;
        order.watermark = order.watermark === null ? best : order.side === 'sell' ? Math.max(order.watermark, best) : Math.min(order.watermark, best);
      }
    }
    // IOC: one eligible bar, then the rest is cancelled.
    for (let i = 0; i < n; i++) {
      const order = orders[i]!;
      if (order.tif === 'ioc' && isWorking(order)) this.finish(order, 'cancelled', now, { detail: `IOC: ${order.filled} of ${order.quantity ?? '?'} filled on the first bar` });
    }
  }

  /**
   * Fill what the bar's range reached. `entryTravel` 0: any order; otherwise (the exits of an
   * entry filled inside the bar, which travelled that way) stops, and limits only in the
   * direction of travel.
   */
  private intrabar(candidates: Order[], bar: FillBar, now: number, filledHere: FillsOnBar, entryTravel: -1 | 0 | 1): void {
    const matches: Array<{ order: Order; match: Match }> = [];
    for (const order of candidates) {
      if (!isWorking(order)) continue;
      const match = this.insideBar(order, bar, now);
      if (match && (entryTravel === 0 || match.kind === 'stop' || entryTravel === match.travel)) matches.push({ order, match });
    }
    for (const { order, match } of matches) {
      if (!isWorking(order)) continue; // its OCO sibling filled first
      if (match.kind === 'limit' && order.ocoId !== undefined && matches.some((m) => m.order.id === order.ocoId && m.match.kind === 'stop' && isWorking(m.order))) continue;
      if (this.fill(order, bar, match, now)) filledHere.add(order, match);
    }
    // A limit passed over for its sibling stop is cancelled by the stop's fill (OCO).
  }

  /** The order's fill at the bar's open, if the open decides it. */
  private atOpen(order: Order, bar: FillBar, now: number): Match | undefined {
    const buy = order.side === 'buy' || (order.side === undefined && this.targetSide(order, bar.open) === 'buy');
    const open = bar.open;
    switch (order.type) {
      case 'market':
      case 'market-on-open': {
        const quote = buy ? bar.ask : bar.bid;
        return Number.isFinite(quote) ? { price: quote, liquidity: 'quote', market: true, kind: 'stop', travel: 0 } : { price: open, liquidity: 'open', market: true, kind: 'stop', travel: 0 };
      }
      case 'limit':
        return (buy ? open <= order.limit! : open >= order.limit!) ? { price: open, liquidity: 'open', market: false, kind: 'limit', travel: 0 } : undefined;
      case 'stop':
        return (buy ? open >= order.stop! : open <= order.stop!) ? { price: open, liquidity: 'open', market: true, kind: 'stop', travel: 0 } : undefined;
      case 'trailing-stop': {
        const stop = this.trailingStop(order, open);
        return (buy ? open >= stop : open <= stop) ? { price: open, liquidity: 'open', market: true, kind: 'stop', travel: 0 } : undefined;
      }
      case 'stop-limit': {
        if (!order.triggered && (buy ? open >= order.stop! : open <= order.stop!)) this.trigger(order, now, 'the open traded through the stop');
        if (order.triggered && (buy ? open <= order.limit! : open >= order.limit!)) return { price: open, liquidity: 'open', market: false, kind: 'limit', travel: 0 };
        return undefined;
      }
      default:
        return undefined;
    }
  }

  /** The order's fill inside the bar (the open did not decide it), if the bar's range reached it. */
  private insideBar(order: Order, bar: FillBar, now: number): Match | undefined {
    const buy = order.side === 'buy';
    switch (order.type) {
      case 'limit':
        return (buy ? bar.low <= order.limit! : bar.high >= order.limit!) ? { price: order.limit!, liquidity: 'intrabar', market: false, kind: 'limit', travel: buy ? -1 : 1 } : undefined;
      case 'stop':
        return (buy ? bar.high >= order.stop! : bar.low <= order.stop!) ? { price: order.stop!, liquidity: 'intrabar', market: true, kind: 'stop', travel: buy ? 1 : -1 } : undefined;
      case 'trailing-stop': {
        const stop = this.trailingStop(order, bar.open);
        return (buy ? bar.high >= stop : bar.low <= stop) ? { price: stop, liquidity: 'intrabar', market: true, kind: 'stop', travel: buy ? 1 : -1 } : undefined;
      }
      case 'stop-limit': {
        if (!order.triggered) {
          if (!(buy ? bar.high >= order.stop! : bar.low <= order.stop!)) return undefined;
          this.trigger(order, now, 'the bar traded through the stop');
          // Filled at the stop when the stop is within the limit; otherwise the limit needs a
          // later move back, which one bar cannot show: it works from the next bar.
          return (buy ? order.stop! <= order.limit! : order.stop! >= order.limit!) ? { price: order.stop!, liquidity: 'intrabar', market: false, kind: 'stop', travel: buy ? 1 : -1 } : undefined;
        }
        return (buy ? bar.low <= order.limit! : bar.high >= order.limit!) ? { price: order.limit!, liquidity: 'intrabar', market: false, kind: 'limit', travel: buy ? -1 : 1 } : undefined;
      }
      default:
        return undefined;
    }
  }

  private trailingStop(order: Order, reference: number): number {
    if (order.watermark === null) order.watermark = reference;
    const w = order.watermark;
    const sell = order.side === 'sell';
    const level = order.trail !== undefined ? (sell ? w - order.trail : w + order.trail) : sell ? w * (1 - order.trailPercent!) : w * (1 + order.trailPercent!);
    // On the price grid, away from the market (a sell stop rounds down, a buy stop up).
    return roundToTick(level, this.spec(order.symbol).tickSize, !sell);
  }

  private trigger(order: Order, now: number, detail: string): void {
    order.triggered = true;
    this.event(now, order, 'triggered', detail);
  }

  /** The side a target order trades to reach its target at `price` (undefined: already there). */
  private targetSide(order: Order, price: number): OrderSide | undefined {
    const delta = this.targetDelta(order, price);
    return delta > 0 ? 'buy' : delta < 0 ? 'sell' : undefined;
  }

  private targetDelta(order: Order, price: number): number {
    const size = order.size;
    const current = this.portfolio.quantity(order.symbol);
    if ('targetQuantity' in size) return this.toLots(order.symbol, size.targetQuantity - current);
    if ('targetPercent' in size) {
      const spec = this.spec(order.symbol);
      const desired = this.toLots(order.symbol, (size.targetPercent * this.equity() * (1 - (this.options.cashBuffer ?? 0))) / (price * spec.multiplier));
      return desired - current;
    }
    return 0;
  }

  /** Whole lots toward zero (or as is, fractional instruments rounded to 1e-8). */
  private toLots(symbol: string, quantity: number): number {
    const spec = this.spec(symbol);
    if (spec.fractional) return Math.trunc(quantity * 1e8) / 1e8;
    return Math.trunc(quantity / spec.lotSize + EPSILON * Math.sign(quantity)) * spec.lotSize;
  }

  /** The order's quantity at fill price `price` (fractions and targets resolve here, once). */
  private resolveQuantity(order: Order, price: number): number {
    if (order.quantity !== undefined) return order.quantity;
    const size = order.size;
    if ('targetQuantity' in size || 'targetPercent' in size) {
      const delta = this.targetDelta(order, price);
      order.side = delta > 0 ? 'buy' : 'sell';
      return Math.abs(delta);
    }
    const spec = this.spec(order.symbol);
    const base = 'equityFraction' in size ? this.equity() : Math.max(this.cash, 0);
    const fraction = 'equityFraction' in size ? size.equityFraction : (size as { cashFraction: number }).cashFraction;
    const budget = fraction * base * (1 - (this.options.cashBuffer ?? 0));
    const unit = price * spec.multiplier;
    let quantity = this.toLots(order.symbol, budget / unit);
    // Keep the commission inside the budget: a fraction of cash must not overdraw it.
    const step = spec.fractional ? quantity * 0.001 : spec.lotSize;
    for (let guard = 0; quantity > 0 && quantity * unit + this.fee({ symbol: order.symbol, quantity, value: quantity * unit, price }) > budget + EPSILON && guard < 1000; guard++) quantity = Math.max(0, quantity - step);
    return quantity;
  }

  /**
   * Fill (part of) `order` by `match` on `bar`; false when nothing filled (size 0, a risk
   * rule refused it, the volume cap left nothing). Books the portfolio, records the fill and
   * the order's new state, cancels an OCO sibling and activates a bracket's exits.
   */
  private fill(order: Order, bar: FillBar, match: Match, now: number): boolean {
    const quantity = this.resolveQuantity(order, match.price);
    if (order.quantity === undefined) {
      order.quantity = quantity;
      if (quantity <= 0) {
        this.finish(order, 'cancelled', now, { detail: `size ${JSON.stringify(order.size)} is 0 units at ${round(match.price)}` });
        return false;
      }
    }
    const side = order.side!;
    const buy = side === 'buy';
    let take = order.quantity - order.filled;
    const cap = this.options.maxParticipation;
    if (cap !== undefined && match.liquidity !== 'signal-close') {
      const allowed = this.toLots(order.symbol, Math.max(0, bar.volume) * cap);
      if (allowed <= 0) return false;
      take = Math.min(take, allowed);
    }
    if (take <= 0) return false;
    const spec = this.spec(order.symbol);
    let price = match.price;
    let slippage = 0;
    if (match.market && this.slips) {
      const perUnit = this.slip({ symbol: order.symbol, side, quantity: take, price, volume: bar.volume, bid: bar.bid, ask: bar.ask });
      if (perUnit > 0) {
        price = roundToTick(buy ? price + perUnit : price - perUnit, spec.tickSize, buy);
        slippage = Math.abs(price - match.price) * take * spec.multiplier;
      }
    }
    const rejection = this.checkRisk(order, take, price);
    if (rejection) {
      if (order.filled === 0) this.reject(now, order, rejection);
      else this.finish(order, 'cancelled', now, rejection);
      return false;
    }
    const filledAfter = order.filled + take;
    const average = (order.averagePrice * order.filled + price * take) / filledAfter;
    const after = this.fee({ symbol: order.symbol, quantity: filledAfter, value: filledAfter * average * spec.multiplier, price: average });
    // Per order: a partial fill pays the order's commission after it less what was charged before.
    const commission = order.filled === 0 ? after : Math.max(0, after - order.commission);
    const position = this.portfolio.apply(order.symbol, side, take, price, commission, now, bar.start, match.liquidity === 'intrabar', order.tag);
    const book = this.book(order.symbol);
    book.holding ??= this.portfolio.holding(order.symbol);
    book.live = needsBar(book);
    order.filled = filledAfter;
    order.averagePrice = average;
    order.commission += commission;
    const day = this.record;
    day.fillCount++;
    day.fees += commission;
    day.slippage += slippage;
    day.turnover += take * price * spec.multiplier;
    // One shape for every fill (no tag is undefined, which JSON and the table writer leave out).
    if (this.journal) day.fills.push({ orderId: order.id, symbol: order.symbol, side, time: now, barStart: bar.start, quantity: take, price, basePrice: match.price, slippage, commission, liquidity: match.liquidity, position, tag: order.tag });
    if (order.filled >= order.quantity - EPSILON) {
      this.finish(order, 'filled', now);
      if (order.ocoId !== undefined) this.cancel(order.ocoId, now, `OCO: ${order.id} filled`);
    } else {
      order.status = 'partially-filled';
      this.event(now, order, 'partially-filled');
    }
    if (order.bracket) this.placeExits(order, now);
    return true;
  }

  /** A bracket entry filled (partly): its exits cover what filled, and work from now. */
  private placeExits(entry: Order, now: number): void {
    const exits = this.working.filter((o) => o.parentId === entry.id);
    if (exits.length > 0) {
      for (const exit of exits) if (isWorking(exit)) exit.quantity = entry.filled;
      return;
    }
    const side: OrderSide = entry.side === 'buy' ? 'sell' : 'buy';
    const tif = entry.tif === 'gtc' ? 'gtc' : 'day';
    const made: Order[] = [];
    const { stopLoss, takeProfit } = entry.bracket!;
    const tag = entry.tag;
    if (stopLoss !== undefined) made.push(this.makeOrder({ symbol: entry.symbol, side, size: { shares: entry.filled }, type: 'stop', stop: stopLoss, tif, tag: tag ? `${tag}:stop-loss` : 'stop-loss' }, entry.submittedAt, entry.id));
    if (takeProfit !== undefined) made.push(this.makeOrder({ symbol: entry.symbol, side, size: { shares: entry.filled }, type: 'limit', limit: takeProfit, tif, tag: tag ? `${tag}:take-profit` : 'take-profit' }, entry.submittedAt, entry.id));
    if (made.length === 2) {
      made[0]!.ocoId = made[1]!.id;
      made[1]!.ocoId = made[0]!.id;
    }
    for (const exit of made) {
      // Exits may fill on the rest of the entry's bar (the path rules in matchBar decide).
      exit.quantity = entry.filled;
      (exit as { sessionDate: string }).sessionDate = entry.sessionDate;
      this.addWorking(exit);
      this.event(now, exit, 'submitted', `exit of ${entry.id}`);
    }
  }

  /** The rule a fill of `quantity` at `price` would break, if it adds risk. */
  private checkRisk(order: Order, quantity: number, price: number): { rule: string; limit?: number; value?: number; detail: string } | undefined {
    const symbol = order.symbol;
    const spec = this.spec(symbol);
    const before = this.portfolio.quantity(symbol);
    const after = before + (order.side === 'buy' ? quantity : -quantity);
    if (Math.abs(after) <= Math.abs(before) && Math.sign(after) !== -Math.sign(before)) return undefined; // only reduces
    const l = this.limits;
    const value = quantity * price * spec.multiplier;
    const positionValue = Math.abs(after) * price * spec.multiplier;
    if (after < 0 && !spec.shortable) return { rule: 'shortable', detail: `${symbol} is not shortable (position would be ${after})`, value: after };
    if (l.maxOrderValue !== undefined && value > l.maxOrderValue) return { rule: 'maxOrderValue', limit: l.maxOrderValue, value, detail: `order value ${round(value)} > ${l.maxOrderValue}` };
    if (l.maxPositionShares !== undefined && Math.abs(after) > l.maxPositionShares) return { rule: 'maxPositionShares', limit: l.maxPositionShares, value: Math.abs(after), detail: `position ${after} > ${l.maxPositionShares} units` };
    if (l.maxPositionValue !== undefined && positionValue > l.maxPositionValue) return { rule: 'maxPositionValue', limit: l.maxPositionValue, value: positionValue, detail: `position value ${round(positionValue)} > ${l.maxPositionValue}` };
    const { equity, gross, net, open } = this.portfolio.totals();
    if (l.maxOpenPositions !== undefined && before === 0 && open + 1 > l.maxOpenPositions) return { rule: 'maxOpenPositions', limit: l.maxOpenPositions, value: open + 1, detail: `${open + 1} open positions > ${l.maxOpenPositions}` };
    const was = this.portfolio.exposure(symbol);
    const will = this.portfolio.exposure(symbol, after, price);
    const grossAfter = gross - Math.abs(was) + Math.abs(will);
    const netAfter = net - was + will;
    if (l.maxGrossExposure !== undefined && grossAfter > l.maxGrossExposure * equity + EPSILON) return { rule: 'maxGrossExposure', limit: l.maxGrossExposure, value: grossAfter / equity, detail: `gross exposure ${round((grossAfter / equity) * 100)} % of equity > ${l.maxGrossExposure * 100} %` };
    if (l.maxNetExposure !== undefined && Math.abs(netAfter) > l.maxNetExposure * equity + EPSILON) return { rule: 'maxNetExposure', limit: l.maxNetExposure, value: Math.abs(netAfter) / equity, detail: `net exposure ${round((Math.abs(netAfter) / equity) * 100)} % of equity > ${l.maxNetExposure * 100} %` };
    const leverage = l.leverage ?? 1;
    const power = equity * leverage - gross + Math.abs(was);
    if (Math.abs(will) > power + EPSILON) return { rule: 'buyingPower', limit: power, value: Math.abs(will), detail: `needs ${round(Math.abs(will))} of buying power, has ${round(power)} (equity ${round(equity)} × leverage ${leverage} − other positions)` };
    return undefined;
  }

  private halt(time: number, rule: string, detail: string): void {
    this.event(time, undefined, 'cancelled', `risk halt: ${detail}`, { rule });
    for (const order of [...this.working]) if (isWorking(order)) this.finish(order, 'cancelled', time, { rule, detail: `risk halt (${rule})` });
    for (const symbol of this.portfolio.openSymbols()) {
      const quantity = this.portfolio.quantity(symbol);
      this.submit({ symbol, side: quantity > 0 ? 'sell' : 'buy', size: { shares: Math.abs(quantity) }, tag: `risk:${rule}` }, time, { bypassHalt: true });
    }
  }

  private reject(time: number, order: Order, why: { rule: string; limit?: number; value?: number; detail: string }): void {
    this.finish(order, 'rejected', time, why);
  }

  private finish(order: Order, status: 'filled' | 'cancelled' | 'rejected', time: number, why?: { rule?: string; limit?: number; value?: number; detail?: string }): void {
    order.status = status;
    order.active = false;
    if (removeItem(this.working, order)) {
      const book = this.book(order.symbol);
      removeItem(book.orders, order);
      book.live = needsBar(book);
    }
    this.event(time, order, status, why?.detail, why);
  }

  private event(time: number, order: Order | undefined, status: OrderEvent['status'], detail?: string, why?: { rule?: string; limit?: number; value?: number }): void {
    if (status === 'submitted') this.record.orders++;
    else if (status === 'rejected') this.record.rejected++;
    if (!this.journal) return;
    // One shape for every row (absent fields are undefined, which JSON and the table writer leave out).
    this.record.events.push({
      time,
      orderId: order?.id ?? 0,
      symbol: order?.symbol ?? '',
      status,
      side: order?.side,
      type: order?.type,
      tif: order?.tif,
      quantity: order?.quantity,
      limitPrice: order?.limit,
      stopPrice: order?.stop,
      filled: order?.filled,
      averagePrice: order && order.filled > 0 ? order.averagePrice : undefined,
      parentId: order?.parentId,
      tag: order?.tag,
      detail,
      rule: why?.rule,
      limit: why?.limit,
      value: why?.value,
    });
  }
}

/** Which size an order request has, or undefined when it is not exactly one known key. */
function sizeKind(size: unknown): 'shares' | 'equityFraction' | 'cashFraction' | 'targetQuantity' | 'targetPercent' | undefined {
  if (size === null || typeof size !== 'object') return undefined;
  let found: 'shares' | 'equityFraction' | 'cashFraction' | 'targetQuantity' | 'targetPercent' | undefined;
  let keys = 0;
  for (const key in size) {
    keys++;
    if (key === 'shares' || key === 'equityFraction' || key === 'cashFraction' || key === 'targetQuantity' || key === 'targetPercent') found = key;
  }
  return keys === 1 ? found : undefined;
}

/** What the broker keeps per symbol. */
export interface SymbolBook {
  /** The symbol's last bar this session (a record reused bar after bar), undefined before its first; see `pending`. */
  bar: MutableBar | undefined;
  /** A later bar than `bar`, not copied yet: bar `pendingIndex` of these bars (see {@link Broker.markAt}). */
  pending: BarSource | undefined;
  pendingIndex: number;
  /** Its working orders, oldest first (the account's list, {@link Broker.openOrders}, holds them too). */
  readonly orders: Order[];
  /** Its position in the portfolio, once it has had one. */
  holding: Holding | undefined;
  /** Whether it has a working order or an open position, kept as they change (read for every bar of every tick). */
  live: boolean;
}

/** Bars read in place by index (a tick's view of its bars): what {@link Broker.markAt} marks from. */
export interface BarSource {
  start(k: number): number;
  end(k: number): number;
  open(k: number): number;
  high(k: number): number;
  low(k: number): number;
  close(k: number): number;
  volume(k: number): number;
}

/** A writable {@link FillBar}: the record a {@link SymbolBook} reuses for the symbol's last bar. */
export type MutableBar = { -readonly [K in keyof FillBar]: FillBar[K] };

function copyBar(from: FillBar, to: MutableBar): void {
  to.start = from.start;
  to.end = from.end;
  to.open = from.open;
  to.high = from.high;
  to.low = from.low;
  to.close = from.close;
  to.volume = from.volume;
  to.bid = from.bid;
  to.ask = from.ask;
}

/** Whether `book`'s symbol has a working order or an open position: only then are its bars matched and marked. */
function needsBar(book: SymbolBook): boolean {
  return book.orders.length > 0 || (book.holding !== undefined && book.holding.p.quantity !== 0);
}

/**
 * The orders that filled (part) on the bar being matched, with their matches: one per broker,
 * cleared for each bar, so matching a bar makes no list of its own (a sweep matches for
 * hundreds of brokers).
 */
class FillsOnBar {
  readonly orders: Order[] = [];
  readonly matches: Match[] = [];
  count = 0;

  clear(): void {
    this.count = 0;
  }

  add(order: Order, match: Match): void {
    this.orders[this.count] = order;
    this.matches[this.count] = match;
    this.count++;
  }

  /** Whether `order` already took its part on this bar. */
  has(order: Order): boolean {
    return firstHave(this.orders, this.count, order);
  }
}

/** Whether `order` is among the first `n` of `orders`. */
function firstHave(orders: readonly Order[], n: number, order: Order): boolean {
  for (let i = 0; i < n; i++) if (orders[i] === order) return true;
  return false;
}

/** Remove `item` from `list` in place (splice would make an array of what it removed). */
function removeItem<T>(list: T[], item: T): boolean {
  const index = list.indexOf(item);
  if (index < 0) return false;
  for (let i = index + 1; i < list.length; i++) list[i - 1] = list[i]!;
  list.pop();
  return true;
}

function isWorking(order: Order): boolean {
  return order.status === 'working' || order.status === 'partially-filled';
}

function positivePrice(path: string, value: unknown): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) throw ConfigError.at(path, value, 'a finite price > 0');
  return value;
}

/** Against the trader: a buy rounds up to the tick, a sell down (float dust removed first). */
function roundToTick(price: number, tick: number, up: boolean): number {
  const steps = price / tick;
  const whole = up ? Math.ceil(steps - 1e-7) : Math.floor(steps + 1e-7);
  return Number((whole * tick).toFixed(10));
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
