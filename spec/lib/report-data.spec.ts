import test from 'ava';
import { reportData, reportDayOf } from '../../lib/cli/report-data.ts';
import { computeStats } from '../../lib/metrics/compute-stats.ts';
import type { DayResult } from '../../lib/session/results.ts';

// The report's trades table past 5,000 trades: the largest by |P&L|, in entry-time order.

const DAY = Date.parse('2024-01-02T14:30:00Z');

function trade(i: number, pnl: number, entryTime = DAY + i * 1000): Record<string, unknown> {
  return { symbol: `S${i % 7}`, direction: 'long', entryTime, exitTime: entryTime + 60_000, entryPrice: 10, exitPrice: 11, quantity: 1, pnl, returnPct: pnl, durationMs: 60_000 };
}

function dayWith(trades: Array<Record<string, unknown>>): DayResult {
  return { date: '2024-01-02', open: DAY, close: DAY + 23_400_000, quality: {}, tables: { trades, equity: [], fills: [] }, components: {} } as unknown as DayResult;
}

test('reportData: more than 5,000 trades keeps the 5,000 largest by |P&L| (ties: the earlier), ordered by entry time, and says so', (t) => {
  // 6,000 trades with distinct |P&L| but 400 tied at 1001, of which the cut takes 200.
  const trades = Array.from({ length: 6000 }, (_, i) => {
    const k = (i * 7919) % 6000;
    const size = k < 800 ? k + 1 : k < 1200 ? 1001 : k + 1;
    return trade(i, i % 2 === 0 ? size : -size);
  });
  const stats = computeStats({ startEquity: 100, start: DAY, end: DAY + 1, days: [{ date: '2024-01-02', time: DAY + 1, equity: 100 }], trades: [], exposure: 0, commissions: 0, traded: 0, periodsPerYear: 252 });
  const data = reportData({ name: 'x', timezone: 'UTC', stats, days: [dayWith(trades)], prices: [] });
  t.is(data.trades.length, 5000);
  const sizes = trades.map((x) => Math.abs(x.pnl as number)).sort((a, b) => b - a);
  const cut = sizes[4999]!;
  const kept = data.trades.map((x) => Math.abs(x.pnl));
  t.true(kept.every((s) => s >= cut));
  // All trades above the cut, and the earliest of those at the cut.
  const above = trades.filter((x) => Math.abs(x.pnl as number) > cut).length;
  t.is(kept.filter((s) => s > cut).length, above);
  const tiedInOrder = trades.filter((x) => Math.abs(x.pnl as number) === cut).slice(0, 5000 - above).map((x) => x.entryTime);
  // In UTC the page's times are epoch seconds.
  t.deepEqual(data.trades.filter((x) => Math.abs(x.pnl) === cut).map((x) => x.entry), tiedInOrder.map((e) => Math.floor((e as number) / 1000)));
  const entries = data.trades.map((x) => x.entry);
  t.true(entries.every((e, i) => i === 0 || e >= entries[i - 1]!), 'entry-time order');
  t.true(data.downsampled.some((d) => d === 'trades: the 5000 largest by |P&L| of 6000'));
});

test('reportDayOf: the report from slim days (a quality summary, the broker tables) is the report from the whole days', (t) => {
  const quality = (scores: number[]) => Object.fromEntries(scores.map((score, i) => [`S${i}`, { intervals: { '1m': { score, expected: 390, present: 390, rejected: 0, gaps: 0 }, '5m': { score: score + 1, expected: 78, present: 78, rejected: 0, gaps: 0 } }, history: {}, rejected: {}, reordered: 0 }]));
  const days = [
    { ...dayWith([trade(1, 5)]), quality: quality([100, 97.5, 99]), signals: [{ symbol: 'S1', side: 'buy', time: DAY }] },
    { ...dayWith([trade(2, -3)]), date: '2024-01-03', quality: quality([]), carry: { broker: { cash: 1 } } },
  ] as unknown as DayResult[];
  const stats = computeStats({ startEquity: 100, start: DAY, end: DAY + 1, days: [{ date: '2024-01-02', time: DAY + 1, equity: 100 }], trades: [], exposure: 0, commissions: 0, traded: 0, periodsPerYear: 252 });
  const whole = reportData({ name: 'x', timezone: 'UTC', stats, days, prices: [] });
  const slim = reportData({ name: 'x', timezone: 'UTC', stats, days: days.map(reportDayOf), prices: [] });
  t.deepEqual(slim, whole);
  t.deepEqual(slim.quality[0], { date: '2024-01-02', symbols: 3, minScore: 97.5, meanScore: (100 + 97.5 + 99) / 3 });
  t.true(Number.isNaN(slim.quality[1]!.minScore), 'a day without symbols has no score');
  t.false('carry' in reportDayOf(days[1]!) || 'signals' in reportDayOf(days[0]!));
});
