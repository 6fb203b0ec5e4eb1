import type { Subscriber, Subscription } from 'rxjs';
import type { TimeSlice } from '../../lib/session/time-slice.ts';
import { Broker, type BrokerCarry, type BrokerOptions, type FillBar, type SymbolBook } from '../../lib/execution/broker.ts';
import { LifecycleError } from '../../lib/errors.ts';
import type { Json, SessionComponent, SessionContext, TableRows } from '../../lib/session/component.ts';
import { readTickBar } from '../internal/read-tick-bar.ts';
import { sliceOperator } from '../internal/slice-operator.ts';

/** Options of {@link broker}: the simulator's settings, plus where quotes are in the bars. */
export interface BrokerComponentOptions extends BrokerOptions {
  /** Component name (default `"broker"`): the key of its report, tables and carry. */
  readonly name?: string;
  /**
   * Quote-aware fills: the extra bar columns (`store.columns.extra`) holding the bid and ask
   * at each bar's start. Market buys then fill at the ask and sells at the bid.
   */
  readonly quotes?: { readonly bid: string; readonly ask: string };
}

/** The broker as a day component; strategies reach the day's {@link Broker} through {@link account}. */
export interface BrokerComponent extends SessionComponent {
  readonly kind: 'broker';
  /** The broker of the day whose scope is `scope` (`ctx.scope` of any component that day). */
  account(scope: Subscription): Broker;
}

/**
 * Whether `component` is a broker (a strategy finds its broker by name; anything else under
 * that name is a configuration mistake the caller reports).
 *
 * @example
 * ```ts
 * const found = ctx.component('broker');
 * if (isBrokerComponent(found)) found.account(ctx.scope).day.fills;
 * ```
 */
export function isBrokerComponent(component: SessionComponent | undefined): component is BrokerComponent {
  return component?.kind === 'broker' && typeof (component as Partial<BrokerComponent>).account === 'function';
}

/**
 * The broker simulator as a component (DESIGN §7, §8). Each day it is rebuilt from the
 * previous day's carry (cash, positions, working orders — nothing else crosses days). Its
 * stage runs first at every tick (the run puts `kind: 'broker'` stages before all others):
 * working orders are matched against the base bars that became visible, positions are
 * marked, the equity point is recorded and the loss limits checked; only then do derived
 * bars, indicators and strategies run, and orders they place can fill from the next bar on.
 * At the close tick market-on-close orders fill (and `risk.flattenAtClose` closes
 * everything); in Phase 4 day orders expire. The day's report holds P&L, fees, turnover and
 * exposure; its tables (`orders`, `fills`, `trades`, `positions`, `equity`) hold the detail.
 * A symbol with a carried position or order that today's config does not list is added to
 * the day before the open, so its orders keep filling until it is flat.
 *
 * @example
 * ```ts
 * backtest('session.json', { components: [broker({ cash: 50_000, commission: { type: 'per-share', rate: 0.005, minimum: 1 } }), myStrategy.create({})] });
 * ```
 */
export function broker(options: BrokerComponentOptions = {}): BrokerComponent {
  const { name = 'broker', quotes, ...settings } = options;
  // Checked now, so a bad setting fails before the first day.
  new Broker(settings);
  const days = new WeakMap<Subscription, Broker>();
  const account = (scope: Subscription, date?: string): Broker => {
    const b = days.get(scope);
    if (!b) throw new LifecycleError(`${name}: no broker for ${date ?? 'this day'} (its stage has not run: is the broker component part of the run?)`, { phase: 'init' });
    return b;
  };
  const of = (ctx: SessionContext): Broker => account(ctx.scope, ctx.session.date);
  // The same every day; each report gets its own copy (the run keeps reports as they are: freshReport).
  const conventions = { tradeOnClose: settings.tradeOnClose ?? false, quoteAware: quotes !== undefined, maxParticipation: settings.maxParticipation ?? null };
  // The day's figures, once: the report and the daily table both show them.
  const summaries = new WeakMap<Broker, DaySummary>();
  const summaryOf = (b: Broker): DaySummary => {
    let summary = summaries.get(b);
    if (!summary) summaries.set(b, (summary = daySummary(b)));
    return summary;
  };
  return {
    name,
    kind: 'broker',
    trustedStage: true,
    // report() builds a new record of numbers every day and keeps nothing of it.
    freshReport: true,
    describe: () => ({ kind: 'broker', name, ...(JSON.parse(JSON.stringify(settings, (_k, v: unknown) => (typeof v === 'function' ? '[function]' : v))) as { [key: string]: Json }), ...(quotes ? { quotes: { ...quotes } } : {}) }),
    account: (scope) => account(scope),
    stage(ctx) {
      const day = new Broker(settings, ctx.carried as BrokerCarry | undefined);
      day.beginSession({ date: ctx.session.date, open: ctx.session.open, close: ctx.session.close });
      days.set(ctx.scope, day);
      const base = ctx.plan.base.name;
      const bar: { -readonly [K in keyof FillBar]: number } = { start: 0, end: 0, open: 0, high: 0, low: 0, close: 0, volume: 0, bid: NaN, ask: NaN };
      // The day's books by symbol slot (slots are unique within a day).
      const books: Array<SymbolBook | undefined> = [];
      return sliceOperator(() => {
        let joining = false;
        let completed = false;
        // Its own function: closures over `slice` and `subscriber` inside the per-tick handler
        // would make V8 allocate a context at every tick, for every broker of a sweep.
        const beforeOpen = (slice: TimeSlice, subscriber: Subscriber<TimeSlice>): void => {
          // Symbols the book holds but the day does not: add them before the open.
          const missing = [...new Set([...day.portfolio.openSymbols(), ...day.openOrders().map((o) => o.symbol)])].filter((s) => !ctx.data.has(s));
          if (missing.length === 0) return subscriber.next(slice);
          joining = true;
          ctx.day.addSymbols(missing.map((symbol) => ({ symbol, by: name, reason: 'open position or order' }))).then(
            () => {
              joining = false;
              if (subscriber.closed) return;
              subscriber.next(slice);
              if (completed) subscriber.complete();
            },
            (error: unknown) => subscriber.error(error),
          );
        };
        return {
          next: (slice, subscriber) => {
            if (slice.kind === 'pre') return beforeOpen(slice, subscriber);
            if (slice.kind !== 'tick') return subscriber.next(slice);
            const bars = slice.closed.get(base);
            if (bars) {
              for (let k = 0; k < bars.count; k++) {
                // The symbol's book by its slot in the day: no lookup by name per bar.
                const series = bars.series(k);
                let book = books[series.slot];
                if (book === undefined) books[series.slot] = book = day.book(series.symbol);
                // Only symbols with a position or an order need matching and marking.
                if (!book.live) continue;
                // A position and no order: marked in place, no bar copied.
                if (book.orders.length === 0 && !quotes) {
                  day.markAt(book, bars, k);
                  continue;
                }
                const symbol = series.symbol;
                // One scratch bar for the whole day: the broker copies what it keeps.
                readTickBar(bars, k, bar);
                if (quotes) {
                  bar.bid = bars.series(k).value(quotes.bid, bars.row(k));
                  bar.ask = bars.series(k).value(quotes.ask, bars.row(k));
                }
                day.onBar(symbol, bar, book);
              }
            }
            day.endTickAt(slice);
            if (slice.isClose) day.closeSession(slice.time);
            subscriber.next(slice);
          },
          complete: (subscriber) => {
            if (joining) completed = true;
            else subscriber.complete();
          },
        };
      });
    },
    onSessionEnd(ctx) {
      of(ctx).endSession(ctx.session.close);
    },
    report(ctx): Json {
      const b = of(ctx);
      // The points counted for the run's exposure, so the statistics need not read the equity table.
      // Written out, not spread from the summary: a sweep reports this for every set and day.
      const d = summaryOf(b);
      return {
        equityStart: d.equityStart,
        equityEnd: d.equityEnd,
        pnl: d.pnl,
        returnPct: d.returnPct,
        fees: d.fees,
        slippage: d.slippage,
        turnover: d.turnover,
        exposure: d.exposure,
        maxGross: d.maxGross,
        orders: d.orders,
        fills: d.fills,
        rejected: d.rejected,
        trades: d.trades,
        ticks: b.day.equity.length,
        exposedTicks: b.day.equity.exposedPoints,
        cash: b.cash,
        positions: b.portfolio.openCount(),
        openOrders: b.openOrderCount(),
        haltedBy: b.haltedBy ?? null,
        conventions: { ...conventions },
      };
    },
    tables(ctx) {
      const b = of(ctx);
      const d = b.day;
      // Getters: the rows are made for whoever reads the table (a sweep reads only the trades).
      return {
        orders: d.events as unknown as TableRows,
        fills: d.fills as unknown as TableRows,
        trades: d.trades as unknown as TableRows,
        get positions() {
          return b.positions().map((p) => ({ time: ctx.session.close, ...p })) as unknown as TableRows;
        },
        // One row per session: what daily.parquet holds.
        get daily() {
          return [{ time: ctx.session.close, ...summaryOf(b) }];
        },
        get equity() {
          return d.equity.rows() as unknown as TableRows;
        },
      };
    },
    carry(ctx) {
      // The live state: the run checks and copies a component's carry as JSON.
      return of(ctx).state() as unknown as Json;
    },
  };
}

/** The day's account figures: equity, P&L, costs, turnover, exposure and counts. */
/** The day's account figures (the report's and the daily table's). */
interface DaySummary {
  readonly equityStart: number;
  readonly equityEnd: number;
  readonly pnl: number;
  readonly returnPct: number;
  readonly fees: number;
  readonly slippage: number;
  readonly turnover: number;
  readonly exposure: number;
  readonly maxGross: number;
  readonly orders: number;
  readonly fills: number;
  readonly rejected: number;
  readonly trades: number;
}

function daySummary(b: Broker): DaySummary {
  const d = b.day;
  const end = b.equity();
  const { exposureSum, maxGross } = d.equity;
  return {
    equityStart: d.equityStart,
    equityEnd: end,
    pnl: end - d.equityStart,
    returnPct: d.equityStart > 0 ? ((end - d.equityStart) / d.equityStart) * 100 : 0,
    // Kept as the orders and fills happened (the same sums, in the same order, as over the tables).
    fees: d.fees,
    slippage: d.slippage,
    turnover: d.turnover,
    exposure: d.equity.length > 0 ? exposureSum / d.equity.length : 0,
    maxGross,
    orders: d.orders,
    fills: d.fillCount,
    rejected: d.rejected,
    trades: d.trades.length,
  };
}
