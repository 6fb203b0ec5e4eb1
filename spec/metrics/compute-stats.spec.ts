import test from 'ava';
import { computeStats, type StatsInput } from '../../lib/metrics/compute-stats.ts';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 2, 14, 30);
const close = (day: number): number => T0 + day * 24 * H + 6.5 * H;

// Start 100; three sessions end at 110, 99, 121; a benchmark closing at 50, 55, 60.
const input: StatsInput = {
  startEquity: 100,
  start: T0,
  end: close(2),
  days: [
    { date: '2024-01-02', time: close(0), equity: 110, benchmark: 50 },
    { date: '2024-01-03', time: close(1), equity: 99, benchmark: 55 },
    { date: '2024-01-04', time: close(2), equity: 121, benchmark: 60 },
  ],
  trades: [
    { pnl: 10, returnPct: 10, durationMs: 1 * H },
    { pnl: -5, returnPct: -4, durationMs: 2 * H },
    { pnl: 20, returnPct: 25, durationMs: 6 * H },
  ],
  exposure: 0.25,
  commissions: 3,
  traded: 430,
  periodsPerYear: 252,
};

const near = (a: number, b: number, tolerance = 1e-9): boolean => Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(b));

test('computeStats: returns, annualised return and volatility from session-level equity (backtesting.py definitions)', (t) => {
  const s = computeStats(input);
  const r = [0.1, -0.1, 121 / 99 - 1];
  // Geometric mean of the session returns: (1.1 · 0.9 · 121/99)^(1/3) − 1 = 1.21^(1/3) − 1.
  const g = 1.21 ** (1 / 3) - 1;
  t.true(near(s.returnPct, 21));
  t.true(near(s.returnAnnPct, (1.21 ** (252 / 3) - 1) * 100));
  const m = (r[0]! + r[1]! + r[2]!) / 3;
  const variance = ((r[0]! - m) ** 2 + (r[1]! - m) ** 2 + (r[2]! - m) ** 2) / 2;
  t.true(near(s.volatilityAnnPct, Math.sqrt((variance + (1 + g) ** 2) ** 252 - (1 + g) ** 504) * 100));
  t.true(near(s.sharpe, s.returnAnnPct / s.volatilityAnnPct));
  // Sortino: only the −10 % session is downside: sqrt(0.01 / 3) · sqrt(252).
  t.true(near(s.sortino, (1.21 ** 84 - 1) / (Math.sqrt(0.01 / 3) * Math.sqrt(252))));
  // CAGR: calendar days of the run / 252 as years (backtesting.py's definition).
  const years = (close(2) - T0) / 86_400_000 / 252;
  t.true(near(s.cagrPct, (1.21 ** (1 / years) - 1) * 100));
  t.deepEqual(s.dailyReturns.map((d) => d.date), ['2024-01-02', '2024-01-03', '2024-01-04']);
  t.true(near(s.dailyReturns[2]!.returnPct, (121 / 99 - 1) * 100));
  t.deepEqual(s.monthlyReturns.map((m) => m.month), ['2024-01']);
  t.true(near(s.monthlyReturns[0]!.returnPct, 21));
  t.is(s.equityFinal, 121);
  t.is(s.equityPeak, 121);
  t.is(s.exposureTimePct, 25);
  // Turnover: 430 traded over a mean equity of (100 + 110 + 99 + 121) / 4 = 107.5.
  t.true(near(s.turnover, 4));
});

test('computeStats: drawdown depth, episodes and durations, and Calmar', (t) => {
  const s = computeStats(input);
  // Equity 100, 110, 99, 121: one episode from the 110 peak (session 1) to the 121 recovery (session 3), 10 % deep.
  t.true(near(s.maxDrawdownPct, -10));
  t.true(near(s.avgDrawdownPct, -10));
  t.is(s.maxDrawdownDurationMs, close(2) - close(0));
  t.is(s.avgDrawdownDurationMs, close(2) - close(0));
  t.true(near(s.calmar, (1.21 ** 84 - 1) / 0.1));
});

test('computeStats: trade statistics (win rate, best, worst, geometric average, profit factor, expectancy, SQN, Kelly)', (t) => {
  const s = computeStats(input);
  t.is(s.trades, 3);
  t.true(near(s.winRatePct, 200 / 3));
  t.true(near(s.bestTradePct, 25));
  t.true(near(s.worstTradePct, -4));
  t.true(near(s.avgTradePct, ((1.1 * 0.96 * 1.25) ** (1 / 3) - 1) * 100));
  // Profit factor on trade returns: (0.10 + 0.25) / 0.04.
  t.true(near(s.profitFactor, 8.75));
  t.true(near(s.expectancyPct, (10 - 4 + 25) / 3));
  // SQN: sqrt(3) · mean(10, −5, 20) / sample std(10, −5, 20) = sqrt(3) · 8.333 / sqrt(158.333).
  t.true(near(s.sqn, (Math.sqrt(3) * (25 / 3)) / Math.sqrt(475 / 3)));
  // Kelly: w − (1 − w) / (mean win / mean loss) = 2/3 − (1/3) / (15 / 5).
  t.true(near(s.kelly, 2 / 3 - 1 / 9));
  t.is(s.maxTradeDurationMs, 6 * H);
  t.is(s.avgTradeDurationMs, 3 * H);
  t.is(s.commissions, 3);
});

test('computeStats: buy & hold, beta and Jensen alpha against the benchmark\'s closes', (t) => {
  const s = computeStats(input);
  t.true(near(s.buyHoldReturnPct, 20));
  const el = [Math.log(99 / 110), Math.log(121 / 99)];
  const ml = [Math.log(55 / 50), Math.log(60 / 55)];
  const me = (el[0]! + el[1]!) / 2;
  const mm = (ml[0]! + ml[1]!) / 2;
  const beta = ((el[0]! - me) * (ml[0]! - mm) + (el[1]! - me) * (ml[1]! - mm)) / ((ml[0]! - mm) ** 2 + (ml[1]! - mm) ** 2);
  t.true(near(s.beta, beta));
  t.true(near(s.alphaPct, 21 - beta * 20));
});

test('computeStats: the probabilistic Sharpe ratio is a probability that rises with the track record', (t) => {
  const days = (n: number) => Array.from({ length: n }, (_, i) => ({ date: `2024-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, time: close(i), equity: 100 * 1.001 ** (i + 1) * (i % 3 === 0 ? 0.995 : 1) }));
  const short = computeStats({ ...input, days: days(10), end: close(9) }).probabilisticSharpe;
  const long = computeStats({ ...input, days: days(200), end: close(199) }).probabilisticSharpe;
  t.true(short > 0 && short < 1, String(short));
  t.true(long > short, `${long} > ${short}`);
});

test('computeStats: no trades and a flat equity give defined values (NaN where undefined), never a crash', (t) => {
  const flat = computeStats({ ...input, days: input.days.map((d) => ({ date: d.date, time: d.time, equity: 100 })), trades: [] });
  t.is(flat.returnPct, 0);
  t.is(flat.returnAnnPct, 0);
  t.true(Number.isNaN(flat.sharpe));
  t.true(Number.isNaN(flat.sortino));
  t.true(Number.isNaN(flat.calmar));
  t.is(flat.maxDrawdownPct, -0);
  t.true(Number.isNaN(flat.avgDrawdownPct));
  t.is(flat.trades, 0);
  for (const key of ['winRatePct', 'bestTradePct', 'worstTradePct', 'avgTradePct', 'profitFactor', 'expectancyPct', 'sqn', 'kelly', 'maxTradeDurationMs'] as const) t.true(Number.isNaN(flat[key]), key);
  const none = computeStats({ ...input, days: [], end: T0, trades: [] });
  t.is(none.equityFinal, 100);
  t.deepEqual(none.dailyReturns, []);
});

test('computeStats: a 24/7 calendar annualises over 365 periods', (t) => {
  const s = computeStats({ ...input, periodsPerYear: 365 });
  t.true(near(s.returnAnnPct, (1.21 ** (365 / 3) - 1) * 100));
  t.is(s.periodsPerYear, 365);
});

test('computeStats: a run of 800,000 round trips (500 symbols × 250 sessions) is summarised without overflowing the stack', (t) => {
  const trades = Array.from({ length: 800_000 }, (_, i) => ({ pnl: (i % 7) - 3, returnPct: ((i % 7) - 3) / 10, durationMs: 60_000 * (1 + (i % 30)) }));
  const s = computeStats({ ...input, trades });
  t.is(s.trades, 800_000);
  // Trade returns of −0.3 % … +0.3 %.
  t.true(near(s.bestTradePct, 0.3));
  t.true(near(s.worstTradePct, -0.3));
  t.is(s.maxTradeDurationMs, 30 * 60_000);
});
