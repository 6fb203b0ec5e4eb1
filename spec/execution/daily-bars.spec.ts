import test from 'ava';
import { parseConfig } from '../../lib/config/parse-config.ts';
import type { SessionConfigInput } from '../../lib/config/schema.ts';
import { ConfigError } from '../../lib/errors.ts';
import type { BacktestResult } from '../../lib/session/results.ts';
import { defineStrategy } from '../../operators/strategies/define-strategy.ts';
import { backtest } from '../../pipelines/backtest.ts';
import { componentsFromConfig } from '../../pipelines/components-from-config.ts';
import { readEurUsdDaily, readGoogDaily, writeDailyStore, type DailyRow } from '../helpers/daily-store.ts';

// Daily bars on the same engine: "streams": ["1d"] makes each session one bar [open, close),
// visible at the close; orders placed then fill at the next session's open.
// GOOG daily bars from backtesting.py's test suite (spec/fixtures/backtests).

let goog: DailyRow[];
let store: Awaited<ReturnType<typeof writeDailyStore>>;

test.before(async () => {
  goog = await readGoogDaily();
  store = await writeDailyStore({ GOOG: goog });
});

test.after.always(async () => {
  await store?.dispose();
});

function config(start: string, end: string, extra: Partial<SessionConfigInput> = {}): SessionConfigInput {
  return { name: 'daily', backtest: { start, end }, store: { root: store.root, layout: store.layout, timestamp: { column: 'ts', unit: 'ms', label: 'start' } }, symbols: ['GOOG'], streams: ['1d'], ...extra };
}

async function run(input: SessionConfigInput): Promise<BacktestResult> {
  return backtest(input).result();
}

const rowOf = (date: string): DailyRow => goog.find((r) => r.date === date)!;

test('daily bars: each XNYS session is one bar [open, close) at its one tick, the close — 13:00 on the 2004-11-26 early close', async (t) => {
  const result = await run(config('2004-11-24', '2004-11-29', { broker: {} }));
  t.deepEqual(result.days.map((d) => d.date), ['2004-11-24', '2004-11-26', '2004-11-29']);
  for (const day of result.days) {
    t.is(day.ticks, 1, day.date);
    t.deepEqual(day.barsOut, { '1d': 1 });
  }
  const early = result.days[1]!;
  t.true(early.earlyClose);
  t.is(early.close, Date.parse('2004-11-26T18:00:00Z'));
  // The equity curve has one point per session, at its close.
  t.deepEqual(result.days.map((d) => (d.tables.equity as Array<{ time: number }>).map((p) => p.time)), result.days.map((d) => [d.close]));
  const series = result.sessionData!.series('GOOG', '1d');
  const last = rowOf('2004-11-29');
  t.deepEqual([series.start[0], series.end[0], series.open[0], series.high[0], series.low[0], series.close[0], series.volume[0]], [result.days[2]!.open, result.days[2]!.close, last.open, last.high, last.low, last.close, last.volume]);
  result.dispose();
});

test('daily-sma-crossover: SMAs warmed on daily history; a cross at a close fills at the next session\'s open, sized at that price', async (t) => {
  const start = '2005-01-03';
  const end = '2005-12-30';
  const result = await run(config(start, end, { strategies: [{ name: 'daily-sma-crossover', params: { fast: 10, slow: 20 } }], broker: { cash: 10_000 } }));
  // By hand from the CSV: SMA(10) and SMA(20) of the closes at each session, crosses at closes in the window.
  const closes = goog.map((r) => r.close);
  const sma = (n: number, i: number): number => (i + 1 < n ? NaN : closes.slice(i + 1 - n, i + 1).reduce((a, b) => a + b, 0) / n);
  const from = goog.findIndex((r) => r.date === start);
  const to = goog.findIndex((r) => r.date === end);
  let cash = 10_000;
  let shares = 0;
  const expected: Array<[string, string, number, number]> = [];
  for (let i = from; i < to; i++) {
    const now = sma(10, i) - sma(20, i);
    const before = sma(10, i - 1) - sma(20, i - 1);
    const next = goog[i + 1]!;
    if (before <= 0 && now > 0 && shares === 0) {
      // Target 100 % of equity (all cash when flat) at the next open, whole shares.
      const qty = Math.floor(cash / next.open);
      expected.push([next.date, 'buy', qty, next.open]);
      cash -= qty * next.open;
      shares = qty;
    } else if (before >= 0 && now < 0 && shares > 0) {
      expected.push([next.date, 'sell', shares, next.open]);
      cash += shares * next.open;
      shares = 0;
    }
  }
  t.true(expected.length >= 4, `the window has crosses (${expected.length})`);
  const fills = result.days.flatMap((d) => (d.tables.fills as Array<{ side: string; quantity: number; price: number; barStart: number }>).map((f) => [d.date, f.side, f.quantity, f.price]));
  t.deepEqual(fills, expected);
  // Warmed: both SMAs have values at the first session's bar.
  const first = result.days[0]!;
  t.is(first.date, start);
  t.true((first.tables.equity as unknown[]).length === 1);
  // Equity at every close is cash + shares × close.
  for (const day of result.days) {
    const point = (day.tables.equity as Array<{ equity: number; cash: number; net: number }>)[0]!;
    t.true(Math.abs(point.equity - (point.cash + point.net)) < 1e-6, day.date);
  }
  result.dispose();
});

test('daily bars on 24/5: EUR/USD bars of US exchange holidays (2017-07-04) are sessions that trade', async (t) => {
  const fx = await readEurUsdDaily();
  const fxStore = await writeDailyStore({ EURUSD: fx });
  t.teardown(() => fxStore.dispose());
  const buyOnce = defineStrategy({
    name: 'buy-on-july-3',
    onBar(ctx, bar) {
      if (ctx.session.date === '2017-07-03') ctx.buy(bar.symbol, { equityFraction: 0.5 });
    },
  });
  const input: SessionConfigInput = { name: 'fx', calendar: '24/5', backtest: { start: '2017-06-30', end: '2017-07-06' }, store: { root: fxStore.root, layout: fxStore.layout, timestamp: { column: 'ts', unit: 'ms', label: 'start' } }, symbols: ['EURUSD'], streams: ['1d'], broker: { instruments: { EURUSD: { fractional: true, tickSize: 0.00001 } } } };
  const result = await backtest(input, { components: [buyOnce.create()] }).result();
  t.deepEqual(result.days.map((d) => d.date), ['2017-06-30', '2017-07-03', '2017-07-04', '2017-07-05', '2017-07-06']);
  const july4 = result.days.find((d) => d.date === '2017-07-04')!;
  t.deepEqual(july4.barsOut, { '1d': 1 });
  const fills = july4.tables.fills as Array<{ price: number; barStart: number; quantity: number }>;
  t.is(fills.length, 1);
  const bar = fx.find((r) => r.date === '2017-07-04')!;
  t.is(fills[0]!.price, bar.open);
  t.is(fills[0]!.barStart, Date.parse('2017-07-04T00:00:00Z'));
  result.dispose();
});

test('daily bars: "1d" streams alone, and bar indicators on "1d" only with a daily stream', (t) => {
  const mixed = t.throws(() => parseConfig(config('2005-01-03', '2005-01-31', { streams: ['1d', '5m'] })), { instanceOf: ConfigError });
  t.regex(mixed.message, /streams: .*\["1d"\] alone for daily bars/);
  const intraday = parseConfig(config('2005-01-03', '2005-01-31', { streams: ['1m'], indicators: [{ name: 'sma', period: 10, interval: '1d' }] }));
  const error = t.throws(() => componentsFromConfig(intraday), { instanceOf: ConfigError });
  t.regex(error.message, /indicators\[0\]\.interval: .*"1d" is for session-level indicators, or for bar indicators when the run streams daily bars/);
  const daily = parseConfig(config('2005-01-03', '2005-01-31', { indicators: [{ name: 'sma', period: 10, interval: '1d' }] }));
  t.true(componentsFromConfig(daily).some((c) => c.name === 'indicator:1d/sma_10'));
});

test('statistics: a daily SMA(10)/SMA(20) crossover on backtesting.py\'s GOOG bars (2005–2012) gives internally consistent statistics, trades and daily tables', async (t) => {
  const result = await run(config('2005-01-03', '2012-12-31', { strategies: [{ name: 'daily-sma-crossover', params: { fast: 10, slow: 20 } }], broker: { cash: 10_000, commission: { type: 'percent', percent: 0.2 } } }));
  const stats = result.stats!;
  const days = result.days;
  const last = days.at(-1)!.components.broker as { equityEnd: number };
  const first = days[0]!.components.broker as { equityStart: number };
  t.is(stats.equityFinal, last.equityEnd);
  t.true(Math.abs(stats.returnPct - (last.equityEnd / first.equityStart - 1) * 100) < 1e-9);
  // Buy & hold of the benchmark (GOOG itself) from the CSV's closes on the first and last sessions.
  const c0 = rowOf(days[0]!.date).close;
  const c1 = rowOf(days.at(-1)!.date).close;
  t.true(Math.abs(stats.buyHoldReturnPct - (c1 / c0 - 1) * 100) < 1e-9);
  // Trades: the arquero table, the count and the win rate agree.
  const trades = result.trades;
  t.is(trades.numRows(), stats.trades);
  t.true(stats.trades > 20);
  const pnl = trades.array('pnl') as number[];
  t.true(Math.abs(stats.winRatePct - (pnl.filter((x) => x > 0).length / pnl.length) * 100) < 1e-9);
  t.is(stats.commissions, days.reduce((n, d) => n + (d.components.broker as { fees: number }).fees, 0));
  // Daily and monthly returns compound to the total return.
  t.is(stats.dailyReturns.length, days.length);
  const compound = (xs: ReadonlyArray<{ returnPct: number }>): number => (xs.reduce((p, x) => p * (1 + x.returnPct / 100), 1) - 1) * 100;
  t.true(Math.abs(compound(stats.dailyReturns) - stats.returnPct) < 1e-6);
  t.true(Math.abs(compound(stats.monthlyReturns) - stats.returnPct) < 1e-6);
  t.is(stats.monthlyReturns.length, 8 * 12);
  t.true(stats.maxDrawdownPct < 0 && stats.maxDrawdownPct >= -100);
  t.true(stats.exposureTimePct > 0 && stats.exposureTimePct <= 100);
  t.is(stats.periodsPerYear, 252);
  // One daily row per session.
  t.is(result.table('daily').numRows(), days.length);
  result.dispose();
  t.is(result.stats, stats, 'readable after dispose');
});
