/**
 * The broker simulator end to end on real minute bars (QuantConnect Lean, Apache-2.0; see
 * spec/fixtures/lean/README.md): CSV fixtures → Parquet stores in a temp folder → backtests
 * with strategies written with defineStrategy, from code, from a config and through the CLI.
 * Every expected price, time and amount is computed here from the fixture rows themselves
 * by the rules of DESIGN §8, never read back from the engine.
 */
import test from 'ava';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { parseConfig } from '../../lib/config/parse-config.ts';
import type { SessionConfigInput } from '../../lib/config/schema.ts';
import type { BrokerCarry } from '../../lib/execution/broker.ts';
import type { EquityPoint, Fill, OrderEvent, Trade } from '../../lib/execution/order-types.ts';
import { setLogLevel } from '../../lib/log.ts';
import type { SessionComponent } from '../../lib/session/component.ts';
import { createBacktest } from '../../lib/session/create-backtest.ts';
import type { BacktestResult, DayResult } from '../../lib/session/results.ts';
import { broker } from '../../operators/execution/broker.ts';
import { defineStrategy } from '../../operators/strategies/define-strategy.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { componentsFromConfig } from '../../pipelines/components-from-config.ts';
import { readParquetTable } from '../helpers/cli-fixtures.ts';
import { runCli } from '../helpers/cli.ts';
import { aggregateLeanRows, LEAN_LAYOUT, readLeanCsv, readLeanQuoteCsv, writeLeanStore, type LeanQuoteRow, type LeanRow } from '../helpers/lean-store.ts';

setLogLevel('error');

const MIN = 60_000;
const SPY_FILE = 'SPY_minute_trade_2013-10-04_2013-10-11.csv';
const GOOG_FILE = 'GOOG_minute_trade_2015-12-23_2015-12-28.csv';
const QUOTE_FILE = 'SPY_minute_quote_2013-10-07_2013-10-11.csv';
const SPY = readLeanCsv(SPY_FILE);
const GOOG = readLeanCsv(GOOG_FILE);
const QUOTES = readLeanQuoteCsv(QUOTE_FILE);
const SPY_DATES = ['2013-10-04', '2013-10-07', '2013-10-08', '2013-10-09', '2013-10-10', '2013-10-11'];
const BUY_FIRST_BAR = fileURLToPath(new URL('fixtures/buy-first-bar.ts', import.meta.url));

/** Trades: SPY and GOOG 1m bars, and SPY 5m bars aggregated from the 1m ones. */
let root = '';
/** SPY 1m bars with the bid and ask open of the quote file at each bar's start. */
let quoteRoot = '';

test.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'sessionflow-trading-e2e-'));
  quoteRoot = join(root, 'quotes');
  const quoteAt = new Map(QUOTES.map((q) => [q.start, q]));
  await Promise.all([
    writeLeanStore(root, 'SPY', SPY),
    writeLeanStore(root, 'GOOG', GOOG),
    writeLeanStore(root, 'SPY', aggregateLeanRows(SPY, 5), { interval: '5m' }),
    writeLeanStore(
      quoteRoot,
      'SPY',
      SPY.filter((r) => r.localDate >= '2013-10-07'),
      { extra: { bid: (r) => quoteAt.get(r.start)?.bidOpen ?? NaN, ask: (r) => quoteAt.get(r.start)?.askOpen ?? NaN } },
    ),
  ]);
});
test.after.always(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

// --- fixture arithmetic ----------------------------------------------------------------

/** The regular-session rows of `date` (09:30 up to the close, exclusive), in time order. */
function sessionRows(rows: readonly LeanRow[], date: string, close = '16:00'): LeanRow[] {
  return rows.filter((r) => r.localDate === date && r.localTime >= '09:30' && r.localTime < close);
}

const lowest = (rows: readonly LeanRow[]): number => Math.min(...rows.map((r) => r.low));
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Equal up to float dust (the engine sums in its own order). */
function near(actual: number, expected: number, tolerance = 1e-6): boolean {
  return Math.abs(actual - expected) <= tolerance;
}

/**
 * The exit a bracket's stop-loss `stop` and take-profit `limit` (a long's) reach first when
 * the 1m bars are walked in order from the entry bar, with the fill price of DESIGN §8
 * (sell stop: `min(open, stop)`; sell limit: `max(open, limit)`). Undefined when one bar
 * touches both (the bars cannot tell) or none does.
 */
function firstExit(bars: readonly LeanRow[], stop: number, limit: number): { kind: 'stop' | 'limit'; bar: LeanRow; price: number } | undefined {
  for (const bar of bars) {
    const stopHit = bar.low <= stop;
    const limitHit = bar.high >= limit;
    if (stopHit && limitHit) return undefined;
    if (stopHit) return { kind: 'stop', bar, price: Math.min(bar.open, stop) };
    if (limitHit) return { kind: 'limit', bar, price: Math.max(bar.open, limit) };
  }
  return undefined;
}

// --- runs ------------------------------------------------------------------------------

function leanConfig(symbols: string[], start: string, end: string, overrides: Partial<SessionConfigInput> = {}): SessionConfigInput {
  return {
    name: 'trading-e2e',
    calendar: 'XNYS',
    backtest: { start, end },
    store: { root, layout: LEAN_LAYOUT, timestamp: { column: 'ts', label: 'start' }, decodeThreads: 0 },
    symbols,
    streams: ['1m'],
    ...overrides,
  };
}

async function run(t: { teardown(fn: () => void): void }, config: SessionConfigInput, components: readonly SessionComponent[], carry?: DayResult['carry']): Promise<BacktestResult> {
  const result = await backtest(config, { components, ...(carry ? { carry } : {}) }).result();
  t.teardown(() => result.dispose());
  return result;
}

const fillsOf = (day: DayResult): Fill[] => (day.tables.fills ?? []) as unknown as Fill[];
const ordersOf = (day: DayResult): OrderEvent[] => (day.tables.orders ?? []) as unknown as OrderEvent[];
const tradesOf = (day: DayResult): Trade[] => (day.tables.trades ?? []) as unknown as Trade[];
const equityOf = (day: DayResult): EquityPoint[] => (day.tables.equity ?? []) as unknown as EquityPoint[];
const brokerCarry = (day: DayResult): BrokerCarry => day.carry.broker as unknown as BrokerCarry;
const brokerReport = (day: DayResult): Record<string, unknown> => day.components.broker as Record<string, unknown>;

// --- 1. no fill before its time ------------------------------------------------------------

test('broker: fills a buy placed at the first tick of 2013-10-07 at the open of the 09:31 bar (not the 09:30 bar) and marks equity at cash + 100 × the close', async (t) => {
  const date = '2013-10-07';
  const bars = sessionRows(SPY, date);
  const [bar0930, bar0931] = [bars[0]!, bars[1]!];
  t.deepEqual([bar0930.localTime, bar0931.localTime, bars.length], ['09:30', '09:31', 390]);
  // The two opens differ, so a fill on the signal bar would show.
  t.not(bar0931.open, bar0930.open);

  const strategy = defineStrategy({
    name: 'first-tick',
    onBar(ctx, bar) {
      if (bar.end === ctx.session.open + MIN) ctx.buy(bar.symbol, 100);
    },
  });
  const result = await run(t, leanConfig(['SPY'], date, date), [broker(), strategy.create()]);
  const day = result.days[0]!;

  const fills = fillsOf(day);
  t.is(fills.length, 1);
  t.like(fills[0], { symbol: 'SPY', side: 'buy', quantity: 100, price: bar0931.open, basePrice: bar0931.open, barStart: bar0931.start, time: bar0931.start + MIN, liquidity: 'open', position: 100, commission: 0 });

  const cash = 100_000 - 100 * bar0931.open;
  const last = bars.at(-1)!;
  const report = brokerReport(day);
  t.true(near(report.cash as number, cash), `cash ${String(report.cash)} vs ${cash}`);
  t.true(near(report.equityEnd as number, cash + 100 * last.close), `equity ${String(report.equityEnd)} vs ${cash + 100 * last.close}`);
  t.true(near(report.pnl as number, 100 * (last.close - bar0931.open)));

  // Every equity point from the fill on is cash + 100 × the close of the bar that ended then.
  const closeAt = new Map(bars.map((b) => [b.start + MIN, b.close]));
  const points = equityOf(day);
  t.is(points.at(-1)!.time, day.close);
  for (const p of points) {
    t.true(near(p.equity, p.cash + p.net), 'cash + Σ position values = equity');
    if (p.time >= fills[0]!.time) t.true(near(p.equity, cash + 100 * closeAt.get(p.time)!), `equity at ${new Date(p.time).toISOString()}`);
  }
  t.like(day.tables.positions?.[0], { time: day.close, symbol: 'SPY', quantity: 100, averagePrice: bar0931.open, lastPrice: last.close });
});

// --- 2. early close ------------------------------------------------------------------------

test('broker: fills a market-on-close order at the 12:59 bar close on the 2015-12-24 early close and cancels an unfilled day limit at 13:00', async (t) => {
  const date = '2015-12-24';
  const bars = sessionRows(GOOG, date, '13:00');
  const last = bars.at(-1)!;
  t.is(last.localTime, '12:59');
  // The file goes on after 13:00 (the after-hours bars must not be used).
  t.true(GOOG.some((r) => r.localDate === date && r.localTime >= '13:00'));
  const limit = Math.floor(lowest(bars)) - 10;

  const strategy = defineStrategy({
    name: 'into-the-holiday',
    onBar(ctx, bar) {
      if (bar.end !== ctx.session.open + MIN) return;
      ctx.buy(bar.symbol, 10, { type: 'market-on-close', tag: 'moc' });
      ctx.buy(bar.symbol, 10, { limit, tag: 'dip' });
    },
  });
  const result = await run(t, leanConfig(['GOOG'], date, date), [broker(), strategy.create()]);
  const day = result.days[0]!;
  t.true(day.earlyClose);
  t.is(day.close, Date.parse('2015-12-24T18:00:00Z'));

  const fills = fillsOf(day);
  t.is(fills.length, 1);
  t.like(fills[0], { symbol: 'GOOG', side: 'buy', quantity: 10, price: last.close, barStart: last.start, time: day.close, liquidity: 'close', tag: 'moc' });

  const orders = ordersOf(day);
  const limitId = orders.find((e) => e.status === 'submitted' && e.type === 'limit' && e.limitPrice === limit)!.orderId;
  const limitEvents = orders.filter((e) => e.orderId === limitId);
  t.deepEqual(
    limitEvents.map((e) => e.status),
    ['submitted', 'cancelled'],
  );
  t.like(limitEvents[1], { time: day.close, symbol: 'GOOG', detail: 'day order expired at the close' });
  t.false(orders.some((e) => e.time > day.close), 'nothing happens after 13:00 ET');
  t.deepEqual(brokerCarry(day).orders, []);
  t.like(day.tables.positions?.[0], { symbol: 'GOOG', quantity: 10, lastPrice: last.close });
});

// --- 3. GTC across a weekend -----------------------------------------------------------------

test('broker: carries a GTC buy limit from Friday 2013-10-04 over the weekend and fills it at min(open, limit) of the first Monday bar reaching it', async (t) => {
  const friday = sessionRows(SPY, '2013-10-04');
  const monday = sessionRows(SPY, '2013-10-07');
  // Submitted at Friday's first tick: Friday's bars from 09:31 on cannot reach it, Monday's can.
  const fridayLow = lowest(friday.slice(1));
  const mondayLow = lowest(monday);
  const limit = round2((fridayLow + mondayLow) / 2);
  t.true(limit < fridayLow && limit >= mondayLow, `limit ${limit} between Monday's low ${mondayLow} and Friday's ${fridayLow}`);
  const hit = monday.find((b) => b.low <= limit)!;
  t.not(hit, monday[0], 'Monday opens above the limit: the order waits for its bar');

  const strategy = defineStrategy({
    name: 'weekend-dip',
    onBar(ctx, bar) {
      if (ctx.session.date === '2013-10-04' && bar.end === ctx.session.open + MIN) ctx.buy(bar.symbol, 100, { limit, tif: 'gtc', tag: 'gtc-dip' });
    },
  });
  const result = await run(t, leanConfig(['SPY'], '2013-10-04', '2013-10-07'), [broker(), strategy.create()]);
  const [fri, mon] = result.days as [DayResult, DayResult];
  t.deepEqual([fri.date, mon.date], ['2013-10-04', '2013-10-07']);

  t.deepEqual(fillsOf(fri), []);
  t.deepEqual(
    ordersOf(fri).map((e) => e.status),
    ['submitted'],
  );
  const carried = brokerCarry(fri).orders;
  t.is(carried.length, 1);
  t.like(carried[0], { symbol: 'SPY', side: 'buy', type: 'limit', limit, tif: 'gtc', status: 'working', quantity: 100, filled: 0, sessionDate: '2013-10-04', submittedAt: friday[0]!.start + MIN });
  t.is(brokerCarry(fri).portfolio.cash, 100_000);

  const fills = fillsOf(mon);
  t.is(fills.length, 1);
  t.like(fills[0], { orderId: carried[0]!.id, side: 'buy', quantity: 100, price: Math.min(hit.open, limit), barStart: hit.start, time: hit.start + MIN, liquidity: hit.open <= limit ? 'open' : 'intrabar' });
  t.deepEqual(brokerCarry(mon).orders, []);
  t.is(brokerCarry(mon).portfolio.positions.SPY?.quantity, 100);
});

// --- 4. day isolation ------------------------------------------------------------------------

test('broker: re-running any day of the SPY week alone from the previous day’s carry reproduces its report, tables and carry', async (t) => {
  const input = leanConfig(['SPY'], SPY_DATES[0]!, SPY_DATES.at(-1)!, {
    streams: ['1m', '5m'],
    indicators: [{ name: 'sma', period: 12, interval: '5m', as: 'sma12' }],
  });
  const swing = defineStrategy<Record<string, unknown>, { days: number }>({
    name: 'swing',
    setup: (ctx) => ({ days: (ctx.carried as { days?: number } | undefined)?.days ?? 0 }),
    onBar(ctx, bar) {
      const at = bar.end - ctx.session.open;
      const held = ctx.position(bar.symbol).quantity;
      if (at === 30 * MIN) ctx.buy(bar.symbol, 100, { tag: 'entry' });
      else if (at === 270 * MIN && held >= 2) ctx.sell(bar.symbol, Math.floor(held / 2), { tag: 'trim' });
      else if (at === 330 * MIN && held > 0) {
        // Keep the rest overnight under a GTC stop below the 5m SMA (warmed on history) and the price.
        ctx.cancelAll(bar.symbol);
        const sma = ctx.indicator(bar.symbol, 'sma12', { interval: '5m' });
        const reference = Number.isFinite(sma) ? Math.min(sma, bar.close) : bar.close;
        ctx.sell(bar.symbol, held, { stop: round2(reference - 0.4), tif: 'gtc', tag: 'guard' });
      }
    },
    carry: (ctx) => ({ days: ctx.state.days + 1 }),
  });
  const components = (config: ReturnType<typeof parseConfig>): SessionComponent[] => [...componentsFromConfig(config), broker({ commission: { type: 'per-share', rate: 0.005, minimum: 1 } }), swing.create()];

  const fullConfig = parseConfig(input);
  const full = await createBacktest(fullConfig, { components: components(fullConfig) }).result();
  t.teardown(() => full.dispose());
  t.deepEqual(
    full.days.map((d) => d.date),
    SPY_DATES,
  );

  // The week really carries state: a position and a GTC stop every night, and some day fills a carried stop.
  let carriedFills = 0;
  for (const [n, day] of full.days.entries()) {
    t.is(fillsOf(day).filter((f) => f.tag === 'entry').length, 1, `${day.date}: the 10:00 entry`);
    t.is((day.carry['strategy:swing'] as { days: number }).days, n + 1);
    const submittedToday = new Set(ordersOf(day).filter((e) => e.status === 'submitted').map((e) => e.orderId));
    carriedFills += fillsOf(day).filter((f) => !submittedToday.has(f.orderId)).length;
  }
  t.log(`fills of orders carried from an earlier day: ${carriedFills}`);
  t.true(carriedFills > 0, 'a GTC stop from an earlier day fills');

  for (let n = 1; n < full.days.length; n++) {
    const date = SPY_DATES[n]!;
    const config = parseConfig({ ...input, backtest: { start: date, end: date } });
    const alone = await createBacktest(config, { components: components(config), carry: full.days[n - 1]!.carry }).result();
    const day = alone.days[0]!;
    const expected = full.days[n]!;
    t.is(day.date, date);
    t.deepEqual(day.components.broker, expected.components.broker, `${date}: broker report`);
    t.deepEqual(day.tables, expected.tables, `${date}: tables`);
    t.deepEqual(day.carry, expected.carry, `${date}: carry`);
    alone.dispose();
  }
});

// --- 5. quote-aware fills --------------------------------------------------------------------

test('broker: with broker.quotes a market buy fills at the ask and a market sell at the bid of the fill bar’s start (SPY quotes, 2013-10-07/08)', async (t) => {
  const quoteAt = new Map<number, LeanQuoteRow>(QUOTES.map((q) => [q.start, q]));
  const dates = ['2013-10-07', '2013-10-08'];
  // Per day, fill bars where the quote differs from the trade open, so a fill at the open would show:
  // a buy from 10:00 on where ask ≠ open, a sell from 14:00 on where bid ≠ open.
  const plan = new Map(
    dates.map((date) => {
      const bars = sessionRows(SPY, date);
      const buyBar = bars.find((b) => b.localTime >= '10:00' && quoteAt.get(b.start)!.askOpen !== b.open)!;
      const sellBar = bars.find((b) => b.localTime >= '14:00' && quoteAt.get(b.start)!.bidOpen !== b.open)!;
      return [date, { buyBar, sellBar }];
    }),
  );
  const strategy = defineStrategy({
    name: 'in-and-out',
    onBar(ctx, bar) {
      const { buyBar, sellBar } = plan.get(ctx.session.date)!;
      // Orders placed at the tick a bar starts fill on that bar.
      if (ctx.time === buyBar.start) ctx.buy(bar.symbol, 100);
      if (ctx.time === sellBar.start) ctx.sell(bar.symbol, 100);
    },
  });
  const config = leanConfig(['SPY'], dates[0]!, dates[1]!, {
    store: { root: quoteRoot, layout: LEAN_LAYOUT, timestamp: { column: 'ts', label: 'start' }, decodeThreads: 0, columns: { extra: { bid: 'bid', ask: 'ask' } } },
    broker: { quotes: { bid: 'bid', ask: 'ask' } },
  });
  // The config's broker section makes the broker; the strategy is ours.
  const result = await run(t, config, [strategy.create()]);
  t.deepEqual(
    result.days.map((d) => d.date),
    dates,
  );
  for (const day of result.days) {
    const { buyBar, sellBar } = plan.get(day.date)!;
    const [buyQuote, sellQuote] = [quoteAt.get(buyBar.start)!, quoteAt.get(sellBar.start)!];
    t.true(buyQuote.regular && sellQuote.regular);
    t.true(buyQuote.bidOpen < buyQuote.askOpen && sellQuote.bidOpen < sellQuote.askOpen);
    t.log(day.date, `buy ${buyBar.localTime} ask ${buyQuote.askOpen} (open ${buyBar.open})`, `sell ${sellBar.localTime} bid ${sellQuote.bidOpen} (open ${sellBar.open})`);
    const fills = fillsOf(day);
    t.is(fills.length, 2, day.date);
    t.like(fills[0], { side: 'buy', quantity: 100, price: buyQuote.askOpen, basePrice: buyQuote.askOpen, barStart: buyBar.start, time: buyBar.start + MIN, liquidity: 'quote' });
    t.like(fills[1], { side: 'sell', quantity: 100, price: sellQuote.bidOpen, basePrice: sellQuote.bidOpen, barStart: sellBar.start, time: sellBar.start + MIN, liquidity: 'quote', position: 0 });
    t.true(near(tradesOf(day)[0]!.pnl, 100 * (sellQuote.bidOpen - buyQuote.askOpen)));
    t.like(brokerReport(day).conventions, { quoteAware: true });
  }
});

// --- 6. one bar, two orders ------------------------------------------------------------------

interface BracketWindow {
  readonly date: string;
  /** The 5m window's first 1m bars (5 of them). */
  readonly bars: readonly LeanRow[];
  readonly start: number;
  readonly entry: number;
  readonly stop: number;
  readonly limit: number;
}

/**
 * The first 5-minute window (from the second of the session) whose range reaches both a stop
 * below and a take-profit above the entry at its open, where the 1m bars show the
 * take-profit was reached first: pessimistic 5m bars and exact 1m bars then disagree.
 */
function findBracketWindow(): BracketWindow | undefined {
  for (const date of SPY_DATES) {
    const bars = sessionRows(SPY, date);
    for (let w = 1; w < bars.length / 5; w++) {
      const window = bars.slice(5 * w, 5 * w + 5);
      if (window.length < 5 || window.some((b, i) => b.start !== window[0]!.start + i * MIN)) continue;
      const entry = window[0]!.open;
      const stop = lowest(window);
      for (let k = 1; k <= 3; k++) {
        const early = window.slice(0, k + 1);
        const limit = Math.max(...early.map((b) => b.high));
        if (limit > entry && stop < entry && stop < lowest(early) && firstExit(window, stop, limit)?.kind === 'limit') return { date, bars: window, start: window[0]!.start, entry, stop, limit };
      }
    }
  }
  return undefined;
}

test('broker: a bracket’s take-profit and stop-loss both inside one 5m bar fill by the 1m path with 1m base bars, and the stop fills with 5m bars only', async (t) => {
  const found = findBracketWindow();
  if (!found) return t.fail('no 5m window of the SPY week reaches both exits');
  const { date, start, entry, stop, limit } = found;
  const exit = firstExit(found.bars, stop, limit)!;
  t.is(exit.kind, 'limit');
  t.log(`${date} ${new Date(start).toISOString()}: entry ${entry}, stop ${stop}, take-profit ${limit}; 1m path: take-profit at ${exit.bar.localTime}`);
  const bar5 = aggregateLeanRows(SPY, 5).find((b) => b.start === start)!;
  t.true(bar5.open === entry && bar5.low <= stop && bar5.high >= limit, 'the 5m bar alone reaches both exits');

  const bracket = defineStrategy({
    name: 'bracket',
    interval: '5m',
    onBar(ctx, bar) {
      if (bar.end === start) ctx.buy(bar.symbol, 100, { bracket: { stopLoss: stop, takeProfit: limit } });
    },
  });

  // Base 1m, strategy on 5m: the 1m bars decide which exit came first.
  const fine = await run(t, leanConfig(['SPY'], date, date, { streams: ['1m', '5m'] }), [broker(), bracket.create()]);
  const fineFills = fillsOf(fine.days[0]!);
  t.is(fineFills.length, 2);
  t.like(fineFills[0], { side: 'buy', quantity: 100, price: entry, barStart: start, liquidity: 'open' });
  t.like(fineFills[1], { side: 'sell', quantity: 100, price: exit.price, barStart: exit.bar.start, time: exit.bar.start + MIN, position: 0 });
  const fineCancelled = ordersOf(fine.days[0]!).filter((e) => e.status === 'cancelled');
  t.is(fineCancelled.length, 1);
  t.regex(fineCancelled[0]!.detail ?? '', /OCO/);

  // Base 5m (a store of 5m bars only): the path inside the bar is unknown, the stop fills first.
  const coarse = await run(t, leanConfig(['SPY'], date, date, { streams: ['5m'] }), [broker(), bracket.create()]);
  const coarseFills = fillsOf(coarse.days[0]!);
  t.is(coarseFills.length, 2);
  t.like(coarseFills[0], { side: 'buy', quantity: 100, price: entry, barStart: start, liquidity: 'open' });
  t.like(coarseFills[1], { side: 'sell', quantity: 100, price: Math.min(bar5.open, stop), barStart: start, time: start + 5 * MIN, liquidity: 'intrabar', position: 0 });
  t.true(tradesOf(coarse.days[0]!)[0]!.pnl < 0 && tradesOf(fine.days[0]!)[0]!.pnl > 0);
});

// --- 7. a user's module through the CLI --------------------------------------------------------

test('sessionflow run: trades a defineStrategy module named in the config and writes fills.csv and fills.parquet; a bad param exits 1 naming strategies[0].params.shares', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sessionflow-trading-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  // Two days, so the run has a round trip (trades) and a position at each close (positions).
  const [monday, tuesday] = ['2013-10-07', '2013-10-08'].map((date) => sessionRows(SPY, date)[1]!) as [LeanRow, LeanRow];
  const config = (params: Record<string, unknown>) => ({ ...leanConfig(['SPY'], '2013-10-07', '2013-10-08'), strategies: [{ module: BUY_FIRST_BAR, params }] });
  const good = join(dir, 'good.json');
  await writeFile(good, JSON.stringify(config({ shares: 25 })));
  const out = join(dir, 'out');

  const ok = await runCli(['run', good, '--out', out, '--no-progress']);
  t.is(ok.code, 0, ok.stderr);
  t.true(existsSync(join(out, 'fills.parquet')));
  const rows = parse(await readFile(join(out, 'fills.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  const expected = [
    { date: '2013-10-07', side: 'buy', bar: monday },
    { date: '2013-10-08', side: 'sell', bar: tuesday },
    { date: '2013-10-08', side: 'buy', bar: tuesday },
  ];
  t.is(rows.length, expected.length);
  expected.forEach(({ date, side, bar }, i) => {
    t.like(rows[i], { date, symbol: 'SPY', side, quantity: '25', price: String(bar.open), barStart: new Date(bar.start).toISOString(), time: new Date(bar.start + MIN).toISOString(), liquidity: 'open', tag: 'buy-first-bar' });
  });
  const table = await readParquetTable(join(out, 'fills.parquet'));
  t.is(table.rows, expected.length);
  t.deepEqual(
    table.column('price'),
    expected.map((e) => e.bar.open),
  );
  t.deepEqual(table.column('quantity'), [25, 25, 25]);

  const bad = join(dir, 'bad.json');
  await writeFile(bad, JSON.stringify(config({ shares: 'ten' })));
  const refused = await runCli(['run', bad, '--out', join(dir, 'bad-out'), '--no-progress']);
  t.is(refused.code, 1);
  t.regex(refused.stderr, /strategies\[0\]\.params\.shares/);
  t.false(existsSync(join(dir, 'bad-out', 'fills.csv')));
});

// --- 8. symbols the day does not list --------------------------------------------------------

/** Monday 2013-10-07: buy 100 SPY at the first tick, with a GTC stop below Monday's range that Tuesday's fall reaches. */
async function mondayWithGtcStop(t: { teardown(fn: () => void): void }): Promise<{ monday: DayResult; stop: number; hit: LeanRow; entry: number }> {
  const mon = sessionRows(SPY, '2013-10-07');
  const tue = sessionRows(SPY, '2013-10-08');
  const mondayLow = lowest(mon.slice(1));
  const stop = round2((mondayLow + lowest(tue)) / 2);
  const hit = tue.find((b) => b.low <= stop)!;
  const strategy = defineStrategy({
    name: 'hold-with-stop',
    onBar(ctx, bar) {
      if (bar.end !== ctx.session.open + MIN) return;
      ctx.buy(bar.symbol, 100);
      ctx.sell(bar.symbol, 100, { stop, tif: 'gtc', tag: 'guard' });
    },
  });
  const result = await run(t, leanConfig(['SPY'], '2013-10-07', '2013-10-07'), [broker(), strategy.create()]);
  const monday = result.days[0]!;
  return { monday, stop, hit, entry: mon[1]!.open };
}

test('broker: adds a carried position’s symbol that the next day’s config does not list before the open, and its GTC stop fills there', async (t) => {
  const { monday, stop, hit, entry } = await mondayWithGtcStop(t);
  t.true(stop < lowest(sessionRows(SPY, '2013-10-07').slice(1)) && hit !== undefined);
  t.is(fillsOf(monday).length, 1);
  t.like(brokerCarry(monday).orders[0], { symbol: 'SPY', type: 'stop', stop, tif: 'gtc', status: 'working' });

  // Tuesday's config lists only GOOG (no data in 2013: skipped); SPY is in the book only.
  const tuesday = await run(t, leanConfig(['GOOG'], '2013-10-08', '2013-10-08'), [broker()], { broker: monday.carry.broker! });
  const day = tuesday.days[0]!;
  t.deepEqual(
    day.skipped.map((s) => s.symbol),
    ['GOOG'],
  );
  const added = day.additions.filter((a) => a.symbol === 'SPY');
  t.is(added.length, 1);
  t.like(added[0], { by: 'broker', status: 'added', time: day.open });
  const fills = fillsOf(day);
  t.is(fills.length, 1);
  t.like(fills[0], { symbol: 'SPY', side: 'sell', quantity: 100, price: Math.min(hit.open, stop), barStart: hit.start, time: hit.start + MIN, position: 0, tag: 'guard' });
  t.like(tradesOf(day)[0], { symbol: 'SPY', direction: 'long', entryPrice: entry, exitPrice: Math.min(hit.open, stop), quantity: 100 });
  t.deepEqual(brokerCarry(day).orders, []);
  t.is(brokerCarry(day).portfolio.positions.SPY?.quantity, 0);
});

test('broker: keeps filling the carried GTC stop of a symbol dropped before the open, which strategies no longer see', async (t) => {
  const { monday, stop, hit } = await mondayWithGtcStop(t);
  const seen: string[] = [];
  const dropper: SessionComponent = {
    name: 'dropper',
    kind: 'scanner',
    setup(ctx) {
      ctx.day.dropSymbol('SPY', { by: 'dropper', reason: 'not in today’s scan' });
    },
  };
  const watcher = defineStrategy({
    name: 'watcher',
    onBar(_ctx, bar) {
      seen.push(bar.symbol);
    },
  });
  const tuesday = await run(t, leanConfig(['SPY'], '2013-10-08', '2013-10-08'), [broker(), dropper, watcher.create()], { broker: monday.carry.broker! });
  const day = tuesday.days[0]!;
  t.like(day.drops[0], { symbol: 'SPY', by: 'dropper', status: 'dropped' });
  t.deepEqual(day.additions, []);
  t.deepEqual(seen, [], 'the strategy never sees the dropped symbol');
  const fills = fillsOf(day);
  t.is(fills.length, 1);
  t.like(fills[0], { symbol: 'SPY', side: 'sell', quantity: 100, price: Math.min(hit.open, stop), barStart: hit.start, position: 0 });
});
